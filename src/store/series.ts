/**
 * Keeping live series short: per-batch points arrive for as long as a run trains, but a chart
 * needs a few hundred. When a series reaches its cap it keeps every other point, so old data
 * thins out evenly and the newest point is always kept. Pure.
 */

/** Most points a live series holds before it is thinned. */
export const SERIES_CAP = 200;

/** Appends `point`, halving the series first when it is full. */
export function appendThinned<T>(series: readonly T[], point: T, cap: number = SERIES_CAP): T[] {
  const base = series.length >= cap ? series.filter((_, i) => i % 2 === 1) : series;
  return [...base, point];
}

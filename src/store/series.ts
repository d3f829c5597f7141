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

/**
 * The epoch and step a run's last per-batch point stands for (its x is epochs trained:
 * epoch − 1 + step / steps), or null without points. A run restored from storage keeps its
 * points, not its live progress: this is where it stopped.
 */
export function lastStep(batches: readonly { readonly x: number }[], batchesPerEpoch: number): { epoch: number; batch: number; batches: number } | null {
  const x = batches.at(-1)?.x;
  if (x === undefined || !(batchesPerEpoch > 0)) return null;
  const epoch = Math.max(1, Math.ceil(x - 1e-9));
  return { epoch, batch: Math.round((x - (epoch - 1)) * batchesPerEpoch), batches: batchesPerEpoch };
}

/** How far through its epochs a run is, from 0 to 1: the epochs done and the part of the one under way. */
export function runFraction(step: { readonly epoch: number; readonly batch: number; readonly batches: number } | null, epochsDone: number, epochs: number): number {
  if (!(epochs > 0)) return 0;
  return Math.min(1, step ? (step.epoch - 1 + step.batch / step.batches) / epochs : epochsDone / epochs);
}

/**
 * Seconds a run in training has left, NaN where no figure is known yet: a validation or test
 * pass's own while one reports; else the newer of the last batch report's and the last
 * epoch's (which, after the last epoch, is the test evaluation's alone).
 */
export function secondsLeftOf(run: {
  readonly pass?: { readonly etaSeconds: number } | null;
  readonly progress: { readonly epoch: number; readonly etaSeconds: number } | null;
  readonly epochs: readonly { readonly epoch: number; readonly etaSeconds: number }[];
}): number {
  if (run.pass && Number.isFinite(run.pass.etaSeconds)) return run.pass.etaSeconds;
  const record = run.epochs.at(-1);
  if (record && (run.progress === null || record.epoch >= run.progress.epoch)) return record.etaSeconds;
  return run.progress?.etaSeconds ?? Number.NaN;
}

/**
 * Whether a run is being evaluated on the test set: its test pass has reported (the worker
 * reports its start), or it has trained all its epochs with no evaluation yet. EarlyStopping
 * may end training epochs early: the first is what says so then.
 */
export function isEvaluating(run: {
  readonly pass?: { readonly pass: 'validation' | 'test' } | null;
  readonly epochs: readonly unknown[];
  readonly evaluation: unknown;
  readonly spec: { readonly fit: { readonly epochs: number } };
}): boolean {
  return run.evaluation === null && (run.pass?.pass === 'test' || run.epochs.length === run.spec.fit.epochs);
}

/**
 * What the learning-curve charts share (one run's live curves, several runs overlaid): the
 * pair of loss and accuracy figures, and each metric's axes. Recharts only; no data here.
 */
import type { ReactNode } from 'react';
import type { YAxisProps } from 'recharts';
import { progbarValue } from '../training/kerasLog';

/** How often the charts redraw while a run streams its progress (twice a second): the text beside them updates at every batch. */
export const CHART_REFRESH_MS = 500;

export type Metric = 'loss' | 'accuracy';

/** The validation lines' dashes, in every learning-curve chart and its key. */
export const VALIDATION_DASH = '6 3';
/** A line with no run's colour: the live charts before the first run, the line styles in Compare's key. */
export const NEUTRAL_LINE = '#64748b';

/** Whether a run has a validation curve (a split held out, or a run file that recorded one). */
export const hasValidation = (run: { readonly epochs: readonly { readonly valLoss: number | null }[] } | null): boolean =>
  run?.epochs.some((e) => e.valLoss !== null) ?? false;

/** A line's sample in a chart's key. */
export function Swatch({ color, width, dash, opacity }: { readonly color: string; readonly width: number; readonly dash?: string; readonly opacity?: number }) {
  return (
    <svg width="24" height="10" viewBox="0 0 24 10">
      <line x1="0" y1="5" x2="24" y2="5" stroke={color} strokeWidth={width} strokeDasharray={dash} strokeOpacity={opacity} />
    </svg>
  );
}

/** The LineChart margin and x axis every learning-curve chart uses. */
export const CURVE_MARGIN = { top: 8, right: 16, bottom: 16, left: 0 } as const;
export const EPOCH_LABEL = { value: 'epoch', position: 'insideBottom', offset: -8 } as const;

const formatAccuracy = (v: number): string => v.toFixed(2);
/**
 * A loss tick: up to four significant digits, trailing zeros dropped. Two digits wrote a
 * narrow axis's 2.24, 2.26 … 2.32 as 2.2, 2.3, 2.3, 2.3; Recharts's ticks are round numbers,
 * so four digits tell them apart on any axis but one flatter than a thousandth of its values
 * (2.30012 and 2.30014 both read 2.3), without the float noise of 0.30000000000000004. A
 * diverging run's huge losses are written as powers of ten.
 */
export const formatLoss = (v: number): string => (Math.abs(v) >= 1e5 ? Number(v.toPrecision(3)).toExponential() : String(Number(v.toPrecision(4))));

/** A linear axis's span and ticks, as `accuracyAxis` and `lossAxis` give them. */
export interface LinearAxis {
  readonly domain: [number, number];
  readonly ticks: number[];
}

/**
 * The y axis for a metric: `linear`'s span and ticks (an `accuracyAxis` or a `lossAxis`),
 * accuracy with two decimals; loss on a log scale Recharts spans when `log`. Every prop is the
 * same value from one redraw to the next (the formatters are module functions, the axes
 * memoised by their callers): Recharts compares them, and a changed one re-registers the axis,
 * which redraws the whole chart a second time in the same task.
 */
export function metricAxis(metric: Metric, log: boolean, linear: LinearAxis): YAxisProps {
  const tickFormatter = metric === 'accuracy' ? formatAccuracy : formatLoss;
  return metric === 'loss' && log
    ? { scale: 'log', domain: ['auto', 'auto'], allowDataOverflow: true, fontSize: 11, tickFormatter }
    : { scale: 'linear', domain: linear.domain, ticks: linear.ticks, allowDataOverflow: true, fontSize: 11, tickFormatter };
}

/** A metric's linear axis from its lowest accuracy or highest loss (`bound`). */
export const linearAxis = (metric: Metric, bound: number): LinearAxis => (metric === 'accuracy' ? accuracyAxis(bound) : lossAxis(bound));

/** The points of a running line (`runningLine`) with no neighbour to be joined to: drawn as dots, or not at all. */
export function lonePoints(line: readonly { readonly x: number; readonly running: number | null }[]): { x: number; running: number }[] {
  const valueAt = (i: number): number | null => line[i]?.running ?? null;
  return line.flatMap(({ x, running }, i) => (running !== null && valueAt(i - 1) === null && valueAt(i + 1) === null ? [{ x, running }] : []));
}

/** The smallest step of `multiples` × a power of ten at least `rough` (> 0): a round axis step. */
function roundStep(rough: number, multiples: readonly number[]): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  return [...multiples, 10].map((m) => m * power).find((candidate) => candidate >= rough * (1 - 1e-9)) ?? 10 * power;
}

/**
 * An epoch axis's ticks from 0 towards `epochs`, whole and round (every epoch up to 10, then
 * every 2, 5, 10, 20 …, six or so ticks; the last epoch has one only when the step divides
 * it): Recharts drew none on an axis with no points yet.
 */
export function epochTicks(epochs: number): number[] {
  const last = Math.max(1, Math.ceil(epochs));
  const step = last <= 10 ? 1 : roundStep(last / 6, [1, 2, 5]);
  return Array.from({ length: Math.floor(last / step) + 1 }, (_, i) => i * step);
}

/**
 * A loss axis from 0 to just over the highest point, ticked at round steps (1, 2, 2.5 or 5
 * times a power of ten), three to five of them: Recharts's own split 0 to 2.75 at 0.55, 1.1,
 * 1.65. A loss is never below 0, and its fall is read against 0.
 */
export function lossAxis(highest: number): LinearAxis {
  if (!Number.isFinite(highest) || highest <= 0) return { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] };
  const step = roundStep(highest / 4, [1, 2, 2.5, 5]);
  const count = Math.max(1, Math.ceil(highest / step - 1e-9));
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { domain: [0, ticks.at(-1) ?? step], ticks };
}

/** How many times one run's highest loss may be another's before a linear axis flattens the lower curves. */
const LOSS_SPREAD = 100;

/**
 * The run whose loss dwarfs another's on a linear axis (its highest point over 100 times
 * another run's highest), which flattens their curves to a line at the bottom; null when none.
 * Finite losses only: a diverged run has failed, and draws nothing.
 */
export function dwarfingRun<R extends { readonly losses: readonly number[] }>(runs: readonly R[]): R | null {
  const peaks = runs.flatMap((run) => {
    const finite = run.losses.filter(Number.isFinite);
    return finite.length === 0 ? [] : [{ run, peak: Math.max(...finite) }];
  });
  if (peaks.length < 2) return null;
  const highest = peaks.reduce((a, b) => (b.peak > a.peak ? b : a));
  const lowest = Math.min(...peaks.map((p) => p.peak));
  return lowest > 0 && highest.peak / lowest > LOSS_SPREAD ? highest.run : null;
}

/**
 * An accuracy axis that shows the epochs' points (compared runs', or one run's live): from a
 * tenth at least 0.02 below the lowest point (runs are often all above 90%, squeezed into the
 * top tenth of a 0-1 axis; a point on the axis line is hard to see) to exactly 1 (with 'auto',
 * Recharts rounded the top up to 1.05), ticked at round steps (Recharts split 0.7…1 at 0.775,
 * 0.85 and 0.925, written 0.78, 0.85, 0.93).
 */
export function accuracyAxis(lowest: number): LinearAxis {
  // The axis spans `tenths` tenths; rounding to 1e-6 first keeps 0.82 − 0.02 from flooring to 0.7.
  const reached = Number.isFinite(lowest) ? Math.min(lowest, 1) : 1;
  let tenths = 10 - Math.max(0, Math.floor(Math.round(reached * 1e6 - 2e4) / 1e5));
  if (tenths > 6 && tenths % 2 === 1) tenths += 1;
  const step = tenths <= 3 ? 0.05 : tenths <= 6 ? 0.1 : 0.2;
  const count = Math.round((tenths / 10) / step);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Math.round((1 - (tenths / 10) + i * step) * 100) / 100);
  return { domain: [ticks[0] ?? 0, 1], ticks };
}

/** Tooltip values as the history table writes them (4 decimals), not as raw floats. */
const formatTooltipValue = (value: unknown): string => (typeof value === 'number' ? progbarValue(value) : String(value));
/** A point's epoch, for charts of epochs' points only. */
const formatTooltipEpoch = (x: unknown): string => (typeof x === 'number' ? `epoch ${x}` : String(x));

/**
 * The tooltip's box: small type, and dark text rather than each line's colour (a light line
 * wrote a light row). At 16 px with long names the box was as wide as a chart and ran past
 * the window's edge.
 */
const TOOLTIP_STYLE = {
  contentStyle: { fontSize: 12, padding: '2px 6px', lineHeight: 1.4 },
  itemStyle: { color: '#1f2937', padding: 0 },
  labelStyle: { color: '#1f2937', fontWeight: 600 },
} as const;

/** The learning-curve charts' Tooltip props: module values, so that Recharts sees the same ones on every redraw. */
export const CURVE_TOOLTIP = { formatter: formatTooltipValue, labelFormatter: formatTooltipEpoch, ...TOOLTIP_STYLE } as const;

/**
 * Where a point of a run's live chart lies, as the progress line and the Keras log count:
 * "end of epoch 2" for an epoch's points (x = 2), "epoch 2, step 91/169" for a batch's
 * (x = epoch − 1 + step / steps). Said as "epoch 1.54" it read as epoch 1, where the progress
 * line said epoch 2.
 */
export function pointWords(x: number, stepsPerEpoch: number): string {
  if (Number.isInteger(x)) return `end of epoch ${x}`;
  const epoch = Math.floor(x) + 1;
  if (stepsPerEpoch <= 0) return `epoch ${epoch}`;
  const step = Math.min(stepsPerEpoch, Math.max(1, Math.round((x - Math.floor(x)) * stepsPerEpoch)));
  return `epoch ${epoch}, step ${step}/${stepsPerEpoch}`;
}

/** A live chart's Tooltip props for a run of `stepsPerEpoch` steps (memoise it: Recharts compares props between redraws). */
export const liveTooltip = (stepsPerEpoch: number) =>
  ({ formatter: formatTooltipValue, labelFormatter: (x: unknown): string => (typeof x === 'number' ? pointWords(x, stepsPerEpoch) : String(x)), ...TOOLTIP_STYLE }) as const;

/**
 * The per-batch running values as a line broken where each epoch starts (a point with no
 * value between two epochs): Keras's running mean starts again with every epoch, and a line
 * joining one epoch's mean to the next epoch's first steps drew a cliff that no step of
 * training made. A batch's x is epoch − 1 + step / steps, so its epoch is ⌈x⌉.
 */
export function runningLine(points: readonly { readonly x: number; readonly value: number }[]): { x: number; running: number | null }[] {
  const line: { x: number; running: number | null }[] = [];
  let last: number | null = null;
  for (const { x, value } of points) {
    // Halfway between the two epochs' points: no x of a real point is given twice.
    if (last !== null && Math.ceil(x) !== Math.ceil(last)) line.push({ x: (last + x) / 2, running: null });
    last = x;
    line.push({ x, running: value });
  }
  return line;
}

/** Loss beside accuracy; `log` (the user's log-scale toggle) reaches the loss chart only. */
export function LossAndAccuracy({ log, chart }: { readonly log: boolean; readonly chart: (metric: Metric, log: boolean) => ReactNode }) {
  return (
    <div className="charts-row">
      <figure>
        <figcaption>Loss</figcaption>
        {chart('loss', log)}
      </figure>
      <figure>
        <figcaption>Accuracy</figcaption>
        {chart('accuracy', false)}
      </figure>
    </div>
  );
}

/**
 * What the learning-curve charts share (one run's live curves, several runs overlaid): the
 * pair of loss and accuracy figures, and each metric's axes. Recharts only; no data here.
 */
import type { ReactNode } from 'react';
import type { YAxisProps } from 'recharts';

export type Metric = 'loss' | 'accuracy';

/** The LineChart margin and x axis every learning-curve chart uses. */
export const CURVE_MARGIN = { top: 8, right: 16, bottom: 16, left: 0 } as const;
export const EPOCH_LABEL = { value: 'epoch', position: 'insideBottom', offset: -8 } as const;

const formatAccuracy = (v: number): string => v.toFixed(2);
const formatLoss = (v: number): string => v.toPrecision(2);

/**
 * The y axis for a metric: accuracy in `accuracyDomain` with two decimals, loss on a log or
 * linear scale. Every prop is the same value from one redraw to the next (the formatters are
 * module functions): Recharts compares them, and a changed one re-registers the axis, which
 * redraws the whole chart a second time in the same task.
 */
export function metricAxis(metric: Metric, log: boolean, accuracyDomain: YAxisProps['domain']): YAxisProps {
  return {
    scale: metric === 'loss' && log ? 'log' : 'linear',
    domain: metric === 'accuracy' ? accuracyDomain : ['auto', 'auto'],
    allowDataOverflow: true,
    fontSize: 11,
    tickFormatter: metric === 'accuracy' ? formatAccuracy : formatLoss,
  };
}

/** Tooltip values as the history table writes them (4 decimals), not as raw floats. */
const formatTooltipValue = (value: unknown): string => (typeof value === 'number' ? value.toFixed(4) : String(value));
/** A point's epoch: whole for an epoch's end, two decimals for a batch within one ("epoch 0.29"). */
const formatTooltipEpoch = (x: unknown): string => (typeof x === 'number' ? `epoch ${Number.isInteger(x) ? x : x.toFixed(2)}` : String(x));

/** The learning-curve charts' Tooltip props: module values, so that Recharts sees the same ones on every redraw. */
export const CURVE_TOOLTIP = { formatter: formatTooltipValue, labelFormatter: formatTooltipEpoch } as const;

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

/**
 * Loss and accuracy as they are learned: train and validation per epoch, and the per-batch
 * running values as a lighter line. No animation, series thinned by the store, a log scale
 * for loss, and the history as a table for anyone who cannot see the charts.
 */
import { memo, useDeferredValue, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { Run } from '../store';
import { ChartFrame } from './ChartFrame';
import { CURVE_MARGIN, EPOCH_LABEL, LossAndAccuracy, metricAxis, type Metric } from './chartParts';
import { CheckField } from './fields';
import { usePanelShown } from './Tabs';
import { useThrottledValue } from './useThrottledValue';

/** How often the charts redraw while batches stream in (about ten a second): the text updates at every batch. */
const CHART_REFRESH_MS = 500;
const CHART_HEIGHT = 220;

interface ChartProps {
  /** Null on the first render: the frame is laid out and measured, the chart comes in the deferred render. */
  readonly run: Run | null;
  readonly metric: Metric;
  readonly log: boolean;
}

/**
 * Memoised, and fed by LiveCharts a run that changes at most twice a second and is deferred:
 * React redraws the chart in interruptible slices after the urgent updates (progress text).
 * The frame stays mounted from the first render, so its width is known when the deferred
 * render draws the chart into it.
 */
const MetricChart = memo(function MetricChart({ run, metric, log }: ChartProps) {
  return <ChartFrame height={CHART_HEIGHT}>{(width) => run && <MetricLines run={run} metric={metric} log={log} width={width} />}</ChartFrame>;
});

function MetricLines({ run, metric, log, width }: { readonly run: Run; readonly metric: Metric; readonly log: boolean; readonly width: number }) {
  const epochs = run.epochs.map((e) => ({ x: e.epoch, train: e[metric], validation: metric === 'loss' ? e.valLoss : e.valAccuracy }));
  const batches = run.batches.map((b) => ({ x: b.x, running: b[metric] }));
  const hasValidation = run.epochs.some((e) => e.valLoss !== null);
  return (
    <LineChart width={width} height={CHART_HEIGHT} accessibilityLayer={false} margin={CURVE_MARGIN}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="x" type="number" domain={[0, run.spec.fit.epochs]} allowDecimals={false} label={EPOCH_LABEL} fontSize={11} />
      <YAxis {...metricAxis(metric, log, [0, 1])} />
      <Tooltip />
      <Legend />
      <Line data={batches} dataKey="running" name={`${metric} (running, per batch)`} stroke="#93c5fd" dot={false} isAnimationActive={false} strokeWidth={1} />
      <Line data={epochs} dataKey="train" name={metric} stroke={run.color} dot isAnimationActive={false} strokeWidth={2} />
      {hasValidation && <Line data={epochs} dataKey="validation" name={`val_${metric}`} stroke={run.color} strokeDasharray="6 3" dot isAnimationActive={false} strokeWidth={2} />}
    </LineChart>
  );
}

const fixed = (n: number | null): string => (n === null ? '–' : n.toFixed(4));

/** `history.history` as a table: the charts' text equivalent. */
export function HistoryTable({ run }: { readonly run: Run }) {
  // Keras's history has an 'lr' entry only when a schedule changes the rate.
  const scheduled = run.spec.fit.learningRateDecay !== 1;
  return (
    <table className="history" aria-label={`Training history of ${run.name}`}>
      <thead>
        <tr>
          <th scope="col">epoch</th>
          <th scope="col">loss</th>
          <th scope="col">accuracy</th>
          <th scope="col">val_loss</th>
          <th scope="col">val_accuracy</th>
          {scheduled && <th scope="col">lr</th>}
          <th scope="col">time</th>
          <th scope="col">samples/s</th>
        </tr>
      </thead>
      <tbody>
        {run.epochs.map((e) => (
          <tr key={e.epoch}>
            <th scope="row">{e.epoch}</th>
            <td>{fixed(e.loss)}</td>
            <td>{fixed(e.accuracy)}</td>
            <td>{fixed(e.valLoss)}</td>
            <td>{fixed(e.valAccuracy)}</td>
            {scheduled && <td>{e.learningRate === null ? '–' : Number(e.learningRate.toPrecision(3))}</td>}
            <td>{e.seconds.toFixed(1)} s</td>
            <td>{Math.round(e.samplesPerSecond)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LiveCharts({ run }: { readonly run: Run }) {
  const [log, setLog] = useState(false);
  // While its tab is hidden the chart keeps what it drew; it catches up when shown again.
  // The first render draws empty frames (null): the charts are mounted in a background render
  // that React slices, not in the Train click's task.
  const deferred = useDeferredValue(useThrottledValue(run, CHART_REFRESH_MS, !usePanelShown()), null);
  return (
    <section className="live-charts" aria-labelledby="charts-heading">
      <h3 id="charts-heading">Learning curves</h3>
      <CheckField label="Log scale for loss" checked={log} onChange={setLog} />
      <LossAndAccuracy log={log} chart={(metric, logScale) => <MetricChart run={deferred} metric={metric} log={logScale} />} />
      <HistoryTable run={run} />
    </section>
  );
}

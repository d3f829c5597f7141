/**
 * Loss and accuracy as they are learned: train and validation per epoch, and the per-batch
 * running values as a lighter line of the run's colour, broken where each epoch's running mean
 * starts again. Accuracy zooms to the epochs' points. No animation, series thinned by the
 * store, a log scale for loss, and the history as a table for anyone who cannot see the charts.
 */
import { memo, useDeferredValue, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { Run } from '../store';
import { curveNotes } from '../store/series';
import type { EpochRecord } from '../training/protocol';
import { validates, type MonitorName } from '../training/spec';
import { ChartFrame } from './ChartFrame';
import { CHART_REFRESH_MS, CURVE_MARGIN, EPOCH_LABEL, epochTicks, hasValidation, linearAxis, liveTooltip, LossAndAccuracy, lonePoints, metricAxis, NEUTRAL_LINE, runningLine, Swatch, VALIDATION_DASH, type Metric } from './chartParts';
import { CheckField } from './fields';
import { usePanelShown } from './Tabs';
import { useDelayedValue, useThrottledValue } from './useThrottledValue';
import { progbarValue } from '../training/kerasLog';

const CHART_HEIGHT = 220;
/** How long after the loss chart the accuracy chart mounts and redraws, so that each has a task of its own. */
const STAGGER_MS = CHART_REFRESH_MS / 2;
const NO_POINTS: readonly { x: number }[] = [];
/** Up to this many epochs, each is marked by a dot; past it the dots would merge into a line and cost a redraw thousands of circles. */
const DOTTED_EPOCHS = 100;
/** The per-batch line is the run's colour, lighter. */
const RUNNING_OPACITY = 0.45;
/** A running value with no neighbour in its epoch. */
const LONE_DOT = { r: 1.5, strokeWidth: 0 } as const;

interface ChartProps {
  /** Null before the first run: empty axes over `epochs`. */
  readonly run: Run | null;
  readonly epochs: number;
  readonly metric: Metric;
  readonly log: boolean;
  /** Accuracy's axis from 0 instead of zoomed to the epochs' points (epoch 1's climb then shows whole). */
  readonly fromZero: boolean;
}

/**
 * Memoised, and fed by LiveCharts a run that changes at most twice a second and is deferred:
 * React redraws the chart in interruptible slices after the urgent updates (progress text).
 * The same chart serves every run, and is drawn empty before the first: a new run only
 * changes its data. Mounting a Recharts chart costs far more than updating one (each part
 * registers itself with the chart's store, and each registration redraws it), and done at
 * the Train click it was the longest main-thread task of a training run.
 */
const MetricChart = memo(function MetricChart({ run, epochs, metric, log, fromZero }: ChartProps) {
  return (
    <ChartFrame
      height={CHART_HEIGHT}
      delayMs={metric === 'accuracy' ? STAGGER_MS : 0}
      footer={<CurveKey metric={metric} color={run?.color ?? NEUTRAL_LINE} showValidation={hasValidation(run)} />}
    >
      {(width) => <MetricLines run={run} epochs={epochs} metric={metric} log={log} fromZero={fromZero} width={width} />}
    </ChartFrame>
  );
});

/**
 * The lines' key, in HTML under the chart rather than Recharts's Legend: that measured itself
 * and redrew with every update, about a sixth of the main thread's JavaScript while a model
 * trained (CPU profiles of a 3-epoch MNIST run on the 2-core VM). Hidden from assistive
 * technology like the chart; the history table is their text.
 */
const CurveKey = memo(function CurveKey({ metric, color, showValidation }: { readonly metric: Metric; readonly color: string; readonly showValidation: boolean }) {
  return (
    <ul className="curve-key" aria-hidden="true">
      <li>
        <Swatch color={color} width={1} opacity={RUNNING_OPACITY} />
        {metric}, epoch so far (the progress bar&apos;s running mean)
      </li>
      <li>
        <Swatch color={color} width={2} />
        {metric} of each epoch (history)
      </li>
      {showValidation && (
        <li>
          <Swatch color={color} width={2} dash={VALIDATION_DASH} />
          val_{metric}
        </li>
      )}
    </ul>
  );
});

/**
 * One metric's lines: per-batch running values, and per epoch the training and validation
 * values. The validation line is always there, empty without validation, so the first
 * validation point does not mount a line.
 */
function MetricLines({ run, epochs: epochCount, metric, log, fromZero, width }: ChartProps & { readonly width: number }) {
  const epochs = (run?.epochs ?? []).map((e) => ({ x: e.epoch, train: e[metric], validation: metric === 'loss' ? e.valLoss : e.valAccuracy }));
  const batches = runningLine((run?.batches ?? []).map((b) => ({ x: b.x, value: b[metric] })));
  const validation = hasValidation(run);
  const color = run?.color ?? NEUTRAL_LINE;
  const dot = epochs.length <= DOTTED_EPOCHS;
  // Accuracy zooms, once epoch 1 has ended, to the epochs' points and the later epochs' running
  // values, as a notebook's plot of history zooms to its points: epoch 1's climb from an
  // untrained model's tenth then runs in below the axis. 0 to 1 until then, and with "Accuracy axis from 0".
  // Loss keeps its whole span, from an untrained model's first step: the log scale spreads the small losses of later epochs.
  const epochValues = epochs.flatMap((e) => [e.train, e.validation ?? Number.NaN]);
  const bound =
    metric === 'accuracy'
      ? fromZero
        ? 0
        : Math.min(...[...epochValues, ...batches.flatMap((b) => (b.x > 1 && b.running !== null ? [b.running] : []))].filter(Number.isFinite), epochs.length === 0 ? 0 : 1)
      : Math.max(...[...epochValues, ...batches.map((b) => b.running ?? Number.NaN)].filter(Number.isFinite));
  // The same objects from one redraw to the next (see metricAxis).
  const axis = useMemo(() => linearAxis(metric, bound), [metric, bound]);
  // A running value alone in its epoch (one report in it, as in a run of many short epochs) has no line to be drawn on: a dot.
  const lonely = lonePoints(batches);
  // Usually none: the same empty array then, so that Recharts finds that line's data unchanged.
  const lone = lonely.length === 0 ? NO_POINTS : lonely;
  const planned = run?.spec.fit.epochs ?? epochCount;
  const xDomain = useMemo(() => [0, planned], [planned]);
  // Before the run's first report, the running line's data is two valueless points at the axis's ends: they give the
  // epoch axis its ticks (Recharts draws none on an axis without points) without a line of their own to redraw later.
  const xEnds = useMemo(() => [{ x: 0, running: null }, { x: planned, running: null }], [planned]);
  const xTicks = useMemo(() => epochTicks(planned), [planned]);
  const steps = run?.batchesPerEpoch ?? 0;
  const tooltip = useMemo(() => liveTooltip(steps), [steps]);
  return (
    <LineChart width={width} height={CHART_HEIGHT} accessibilityLayer={false} margin={CURVE_MARGIN}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="x" type="number" domain={xDomain} ticks={xTicks} allowDecimals={false} label={EPOCH_LABEL} fontSize={11} />
      <YAxis {...metricAxis(metric, log, axis)} />
      <Tooltip {...tooltip} />
      <Line data={batches.length > 0 ? batches : xEnds} dataKey="running" name={`${metric}, epoch so far`} stroke={color} strokeOpacity={RUNNING_OPACITY} dot={false} isAnimationActive={false} strokeWidth={1} />
      <Line data={lone} dataKey="running" stroke="none" fill={color} fillOpacity={RUNNING_OPACITY} dot={LONE_DOT} activeDot={false} tooltipType="none" legendType="none" isAnimationActive={false} />
      <Line data={epochs} dataKey="train" name={metric} stroke={color} dot={dot} isAnimationActive={false} strokeWidth={2} />
      <Line data={validation ? epochs : NO_POINTS} dataKey="validation" name={`val_${metric}`} stroke={color} strokeDasharray={VALIDATION_DASH} dot={dot} isAnimationActive={false} strokeWidth={2} />
    </LineChart>
  );
}

/** A logged value as the Keras log prints it (float32, 4 decimals), so that the table and the log agree to the digit. */
const fixed = (n: number | null): string => (n === null ? '–' : progbarValue(n));

/**
 * history.history's logged columns, each with its value in an epoch's record, in Keras 3's
 * order, as the Keras log prints them: Keras 3 sorts a step's logs (accuracy before loss), adds
 * the validation pass's after them and the scheduler's learning_rate last. (tf.keras 2 had
 * loss first, and called the rate 'lr'.)
 */
const LOG_COLUMNS: readonly (readonly [MonitorName, (e: EpochRecord) => number | null])[] = [
  ['accuracy', (e) => e.accuracy],
  ['loss', (e) => e.loss],
  ['val_accuracy', (e) => e.valAccuracy],
  ['val_loss', (e) => e.valLoss],
];

function History({ run }: { readonly run: Run }) {
  // Keras's history has a 'learning_rate' entry only when a schedule changes the rate.
  const scheduled = run.spec.fit.learningRateDecay !== 1;
  // Without validation Keras's history has no val_ entries at all (not empty ones).
  const columns = validates(run.spec.fit) || hasValidation(run) ? LOG_COLUMNS : LOG_COLUMNS.filter(([column]) => !column.startsWith('val_'));
  // EarlyStopping's best epoch, marked in the column it watched.
  const stop = run.earlyStop ?? null;
  const bestMark = (epoch: number, column: MonitorName) =>
    stop && stop.bestEpoch === epoch && stop.monitor === column ? <span className="best-mark"> ★ best{stop.restored ? ', weights kept' : ''}</span> : null;
  return (
    <div className="scroll-x">
      <table className="history" aria-label={`Training history of ${run.name}`}>
        <thead>
          <tr>
            <th scope="col">epoch</th>
            {columns.map(([column]) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {scheduled && <th scope="col">learning_rate</th>}
            <th scope="col">time</th>
            <th scope="col">samples/s</th>
          </tr>
        </thead>
        <tbody>
          {run.epochs.map((e) => (
            <tr key={e.epoch}>
              <th scope="row">{e.epoch}</th>
              {columns.map(([column, value]) => (
                <td key={column}>
                  {fixed(value(e))}
                  {bestMark(e.epoch, column)}
                </td>
              ))}
              {scheduled && <td>{fixed(e.learningRate)}</td>}
              <td>{e.seconds.toFixed(1)} s</td>
              <td>{Math.round(e.samplesPerSecond)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * `history.history` as a table: the charts' text equivalent. Drawn again only when what it
 * shows changes (an epoch ends, EarlyStopping marks its best), never for a step.
 */
export const HistoryTable = memo(
  History,
  (before, after) =>
    before.run.epochs === after.run.epochs && before.run.earlyStop === after.run.earlyStop && before.run.name === after.run.name && before.run.spec === after.run.spec,
);

/** What the curves show that a learner may take for a bug (val_loss below loss) or miss (overfitting), in words; redrawn with each epoch. */
const CurveNotes = memo(
  function CurveNotes({ run }: { readonly run: Run }) {
    return curveNotes(run).map((note) => (
      <p key={note} className="note" data-testid="curve-note">
        {note}
      </p>
    ));
  },
  (before, after) => before.run.epochs === after.run.epochs && before.run.spec === after.run.spec && before.run.trainCount === after.run.trainCount,
);

/** The current run's curves and history; before the first run, empty axes over the draft's `epochs`. */
export function LiveCharts({ run, epochs }: { readonly run: Run | null; readonly epochs: number }) {
  const [log, setLog] = useState(false);
  const [fromZero, setFromZero] = useState(false);
  // While its tab is hidden the chart keeps what it drew; it catches up when shown again.
  const throttled = useThrottledValue(run, CHART_REFRESH_MS, !usePanelShown());
  const deferred = useDeferredValue(throttled);
  // The accuracy chart redraws half an interval after the loss chart: each chart's redraw
  // then has a task of its own instead of sharing one animation frame with the other.
  const later = useDelayedValue(deferred, STAGGER_MS);
  // A run's own epochs, so that editing the draft while it trains does not redraw its charts.
  const axisEpochs = run?.spec.fit.epochs ?? epochs;
  return (
    <section className="live-charts" aria-labelledby="charts-heading">
      {/* The toggle beside the heading, not under it: a line less between the progress bars and the curves. */}
      <div className="heading-row">
        <h3 id="charts-heading">Learning curves</h3>
        <CheckField label="Log scale for loss" checked={log} onChange={setLog} />
        <CheckField label="Accuracy axis from 0" checked={fromZero} onChange={setFromZero} />
      </div>
      <LossAndAccuracy log={log} chart={(metric, logScale) => <MetricChart run={metric === 'loss' ? deferred : later} epochs={axisEpochs} metric={metric} log={logScale} fromZero={fromZero} />} />
      {/* Throttled like the charts: a history of hundreds of short epochs, redrawn at every step, would take the page. */}
      {run && <CurveNotes run={throttled?.id === run.id ? throttled : run} />}
      {run ? <HistoryTable run={throttled?.id === run.id ? throttled : run} /> : <p>Train a model to see its loss and accuracy here, batch by batch and epoch by epoch.</p>}
    </section>
  );
}

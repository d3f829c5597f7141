/**
 * Learning curves of several runs on the same axes: each run in its own colour and marker
 * (RunMarker), training solid and validation dashed, per epoch. A table of the same values is
 * their text equivalent.
 */
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { isActiveRun, type Run } from '../store';
import { thinCurve, trainedTo } from '../store/series';
import { ChartFrame } from './ChartFrame';
import { CHART_REFRESH_MS, CURVE_MARGIN, CURVE_TOOLTIP, dwarfingRun, EPOCH_LABEL, hasValidation, linearAxis, LossAndAccuracy, metricAxis, NEUTRAL_LINE, Swatch, VALIDATION_DASH, type Metric } from './chartParts';
import { CheckField } from './fields';
import { isMarked, markerDot, MARKERS_PER_LINE, markerStep, RunLineSwatch } from './RunMarker';
import { usePanelShown } from './Tabs';
import { useThrottledValue } from './useThrottledValue';
import { progbarValue } from '../training/kerasLog';

interface CompareChartsProps {
  readonly runs: readonly Run[];
}

const fixed = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : progbarValue(n));

/** The lowest accuracy any compared run reached, training or validation. */
const lowestAccuracy = (runs: readonly Run[]): number => Math.min(...runs.flatMap((run) => run.epochs.flatMap((e) => (e.valAccuracy === null ? [e.accuracy] : [e.accuracy, e.valAccuracy]))));

/**
 * The epochs the x axis spans: a run still owed by the worker reserves its planned epochs, and
 * one that has ended only those it finished (a run stopped in epoch 1 of 10 stretched the axis
 * to 10, with no line to show for it).
 */
export const epochSpan = (runs: readonly Pick<Run, 'status' | 'spec' | 'epochs'>[]): number =>
  Math.max(1, ...runs.map((run) => (isActiveRun(run) ? run.spec.fit.epochs : run.epochs.length)));

/** The most points a run's line is drawn with: a 1,000-epoch run's lines, drawn whole at each epoch's end, made every redraw a long task. */
const POINTS_PER_LINE = 200;

/**
 * A run's line, with its marker at each point; on a long line, at the first and every few:
 * then the markers are a line of their own, of those points only and not stroked, since
 * Recharts builds each point's dot (its props spread three times) even when it draws nothing.
 */
function curve(key: string, points: readonly { x: number; y: number }[], name: string, color: string, dash: string | undefined) {
  const dot = markerDot(color);
  if (points.length <= MARKERS_PER_LINE) {
    return [<Line key={key} data={points} dataKey="y" name={name} stroke={color} strokeDasharray={dash} dot={dot} isAnimationActive={false} strokeWidth={2} />];
  }
  const step = markerStep(points.length);
  const marked = points.filter((_, i) => isMarked(i, step));
  return [
    <Line key={key} data={points} dataKey="y" name={name} stroke={color} strokeDasharray={dash} dot={false} isAnimationActive={false} strokeWidth={2} />,
    <Line key={`${key}-markers`} data={marked} dataKey="y" name={`${name} markers`} stroke="none" dot={dot} activeDot={false} tooltipType="none" legendType="none" isAnimationActive={false} />,
  ];
}

function OverlayChart({ runs, metric, log }: { readonly runs: readonly Run[]; readonly metric: Metric; readonly log: boolean }) {
  const maxEpochs = epochSpan(runs);
  const bound = metric === 'accuracy' ? lowestAccuracy(runs) : Math.max(...runs.flatMap((run) => run.epochs.flatMap((e) => [e.loss, e.valLoss ?? 0])).filter(Number.isFinite));
  // The same arrays from one redraw to the next (see metricAxis).
  const axis = useMemo(() => linearAxis(metric, bound), [metric, bound]);
  return (
    <ChartFrame height={260}>
      {(width) => (
        <LineChart width={width} height={260} accessibilityLayer={false} margin={CURVE_MARGIN}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" domain={[0, maxEpochs]} allowDecimals={false} padding={{ right: 8 }} label={EPOCH_LABEL} fontSize={11} />
          <YAxis {...metricAxis(metric, log, axis)} />
          <Tooltip {...CURVE_TOOLTIP} />
          {runs.flatMap((run) => {
            const train = thinCurve(
              run.epochs.map((e) => ({ x: e.epoch, y: e[metric] })),
              POINTS_PER_LINE,
            );
            const validation = thinCurve(
              run.epochs.flatMap((e) => {
                const y = metric === 'loss' ? e.valLoss : e.valAccuracy;
                return y === null ? [] : [{ x: e.epoch, y }];
              }),
              POINTS_PER_LINE,
            );
            return [
              ...curve(`${run.id}-train`, train, `${run.name} ${metric}`, run.color, undefined),
              ...(validation.length > 0 ? curve(`${run.id}-val`, validation, `${run.name} val_${metric}`, run.color, VALIDATION_DASH) : []),
            ];
          })}
        </LineChart>
      )}
    </ChartFrame>
  );
}

/** Why a run has no line yet, or none at all, in its key entry: the curves are per epoch, and it has not finished one. */
export function noLineWords(run: Pick<Run, 'status' | 'epochs' | 'batches' | 'evaluation'>): string {
  if (run.epochs.length > 0) return '';
  if (isActiveRun(run)) return ' (its line starts when epoch 1 ends)';
  return trainedTo(run).kind === 'before-training' ? ` (${run.status} before training)` : ` (${run.status} in epoch 1: no finished epoch to draw)`;
}

/**
 * The overlaid lines' key, under both charts: each run's colour, marker and name, then the two
 * line styles. HTML, hidden from assistive technology like the charts; the table is their text.
 */
function RunKey({ runs }: CompareChartsProps) {
  return (
    <ul className="curve-key" aria-hidden="true" data-testid="compare-key">
      {runs.map((run) => (
        <li key={run.id}>
          <RunLineSwatch color={run.color} />
          {run.name}
          {noLineWords(run)}
        </li>
      ))}
      <li>
        <Swatch color={NEUTRAL_LINE} width={2} />
        training
      </li>
      {runs.some(hasValidation) && (
        <li>
          <Swatch color={NEUTRAL_LINE} width={2} dash={VALIDATION_DASH} />
          validation
        </li>
      )}
    </ul>
  );
}

/**
 * Every compared run's history, epoch by epoch: the charts as a table. Its rows are made only
 * while it is open: closed, a thousand-epoch run's rows were redrawn at every epoch for nothing.
 */
function CurvesTable({ runs }: CompareChartsProps) {
  const [open, setOpen] = useState(false);
  const maxEpochs = Math.max(0, ...runs.map((run) => run.epochs.length));
  return (
    <details className="curves-table" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>The curves as a table</summary>
      {open && (
        <div className="table-scroll">
          <table className="history" aria-label="Learning curves of the compared runs">
            <thead>
              <tr>
                <th scope="col">epoch</th>
                {runs.map((run) => (
                  <th key={run.id} scope="col">
                    {run.name}: loss / val_loss / accuracy / val_accuracy
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: maxEpochs }, (_, i) => (
                <tr key={i}>
                  <th scope="row">{i + 1}</th>
                  {runs.map((run) => {
                    const e = run.epochs[i];
                    return <td key={run.id}>{e ? `${fixed(e.loss)} / ${fixed(e.valLoss)} / ${fixed(e.accuracy)} / ${fixed(e.valAccuracy)}` : '–'}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

/** The charts, key and table of `runs`: drawn again only when `runs` is another list (memo). */
const CompareChartsContent = memo(function CompareChartsContent({ runs }: CompareChartsProps) {
  const [log, setLog] = useState(false);
  const dwarfing = dwarfingRun(runs.map((run) => ({ name: run.name, losses: run.epochs.flatMap((e) => (e.valLoss === null ? [e.loss] : [e.loss, e.valLoss])) })));
  return (
    <section className="compare-charts" aria-labelledby="compare-charts-heading">
      {/* Focusable by script only: "Skip to the comparison" (ComparePanel) lands here. */}
      <h3 id="compare-charts-heading" tabIndex={-1}>
        Learning curves, overlaid
      </h3>
      <p className="muted">Each run in its colour and marker: training solid, validation dashed.</p>
      <CheckField label="Log scale for loss (compare)" checked={log} onChange={setLog} />
      {dwarfing && !log && (
        <p className="note" data-testid="loss-spread">
          {dwarfing.name}&apos;s loss is over a hundred times another run&apos;s, which flattens the other curves: a log scale shows them all.
        </p>
      )}
      <LossAndAccuracy log={log} chart={(metric, logScale) => <OverlayChart runs={runs} metric={metric} log={logScale} />} />
      <RunKey runs={runs} />
      <CurvesTable runs={runs} />
    </section>
  );
});

function CompareChartsView({ runs }: CompareChartsProps) {
  // A run of many short epochs changes its history many times a second: the curves follow at most twice a second.
  return <CompareChartsContent runs={useThrottledValue(runs, CHART_REFRESH_MS, !usePanelShown())} />;
}

/** Redrawn only when a compared run's history, name, colour or status changes: not on every batch. */
export const CompareCharts = memo(
  CompareChartsView,
  (before, after) =>
    before.runs.length === after.runs.length &&
    before.runs.every((run, i) => {
      const next = after.runs[i];
      return next !== undefined && next.id === run.id && next.epochs === run.epochs && next.name === run.name && next.color === run.color && next.status === run.status;
    }),
);

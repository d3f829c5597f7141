/**
 * Compare runs side by side: the queue of runs (waiting, training, done; pause, resume, stop, rename, export,
 * delete, import) with a tick to include each in the comparison, their curves overlaid, the comparison table, the spec
 * difference and confusion difference of any two, and a link that shares the compared models.
 */
import { memo, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isActiveRun, linkedRuns, runImageSize, useAppStore, type AppState, type Run } from '../store';
import { compareRow, sharedColours } from '../store/compare';
import { describeSpecDiff } from '../training/specDiff';
import { CompareCharts } from './CompareCharts';
import { CompareTable } from './CompareTable';
import { ConfusionCompare } from './ConfusionCompare';
import { ImportRuns, RunActions, UndoDelete } from './RunActions';
import { ShareLink } from './ShareLink';
import { usePanelShown } from './Tabs';
import { PauseResumeButton } from './TrainingControls';
import { useFocusFallback } from './useFocusFallback';
import { RunSwatch } from './RunMarker';
import { queueStatus } from './words';

/** The heading "Skip to the comparison" takes the focus to, past the queue: the overlaid curves' (CompareCharts). */
const COMPARISON_HEADING = 'compare-charts-heading';

function RunQueue({ runs, hidden, onShowRun }: { readonly runs: readonly Run[]; readonly hidden: readonly string[]; readonly onShowRun: (id: string) => void }) {
  return (
    <ul className="run-queue" aria-label="Runs">
      {runs.map((run) => (
        <QueuedRun key={run.id} run={run} compared={!hidden.includes(run.id)} onShow={onShowRun} />
      ))}
    </ul>
  );
}

/**
 * One run in the queue. Its Pause and Stop go when it stops or ends: a keyboard user's focus then moves to its checkbox, not to the
 * top of the page. Memoised: a batch streamed by one run redraws that run's line only.
 */
const QueuedRun = memo(function QueuedRun({ run, compared, onShow }: { readonly run: Run; readonly compared: boolean; readonly onShow: (id: string) => void }) {
  const setCompared = useAppStore((state) => state.setCompared);
  const stopRun = useAppStore((state) => state.stopRun);
  const active = isActiveRun(run);
  const checkbox = useRef<HTMLInputElement>(null);
  const buttonFocus = useFocusFallback(active && run.stopping !== true, checkbox);
  return (
    <li data-status={run.status}>
      <label>
        <input ref={checkbox} type="checkbox" checked={compared} onChange={(event) => setCompared(run.id, event.target.checked)} />
        <RunSwatch color={run.color} /> Compare {run.name}
      </label>
      <span className="muted"> · {run.datasetName} · </span>
      <span data-testid="queue-status">{queueStatus(run)}</span>{' '}
      <button type="button" aria-label={`Show ${run.name} in Build & train`} onClick={() => onShow(run.id)}>
        Show
      </button>
      <PauseResumeButton run={run} named {...buttonFocus} />
      {active && !run.stopping && (
        <button type="button" {...buttonFocus} onClick={() => stopRun(run.id)}>
          Stop {run.name}
        </button>
      )}
      {run.error && <span className="error"> {run.error.message}</span>}
      {!active && <RunActions run={run} onOpened={() => onShow(run.id)} />}
    </li>
  );
});

function SpecDiff({ a, b }: { readonly a: Run; readonly b: Run }) {
  const dataset = a.datasetName === b.datasetName ? `another dataset also named ${b.datasetName}` : `dataset ${a.datasetName} → ${b.datasetName}`;
  const changes = [...(a.datasetId === b.datasetId ? [] : [dataset]), ...describeSpecDiff(a.spec, b.spec)];
  return (
    <p data-testid="spec-diff">
      From {a.name} to {b.name}: {changes.length === 0 ? 'the same model and training options.' : changes.join(', ')}
    </p>
  );
}

/**
 * The runs in queue order. While the tab is hidden, the list it last showed: a run streaming
 * its batches then re-renders nothing here, and showing the tab renders only what changed
 * since (the panel stays mounted; mounted on each show, it made every switch to Compare a
 * 40-55 ms task while a model trained, on a 2-core VM).
 */
function useShownRuns(): readonly Run[] {
  const shown = usePanelShown();
  const held = useRef<readonly Run[]>([]);
  const select = useShallow((state: AppState): readonly Run[] => state.runOrder.flatMap((id) => state.runs[id] ?? []));
  return useAppStore((state) => {
    if (shown) held.current = select(state);
    return held.current;
  });
}

/** `onShowRun`: shows a run in Build & train (its history, Keras log, matrix and predictions). */
export function ComparePanel({ onShowRun }: { readonly onShowRun: (id: string) => void }) {
  const runs = useShownRuns();
  const hidden = useAppStore((state) => state.hiddenFromCompare);
  const datasets = useAppStore((state) => state.datasets);
  const linkToRuns = useAppStore((state) => state.linkToRuns);
  const compared = useMemo(() => runs.filter((run) => !hidden.includes(run.id)), [runs, hidden]);
  // A restored run's image size is in its record, even while its dataset is not loaded.
  const rows = compared.map((run) => {
    const images = runImageSize({ datasets }, run);
    return compareRow(run, images ? { ...images, channels: 1 } : null);
  });
  const linkCaveat = useMemo(() => {
    const { linked, leftOut } = linkedRuns(compared);
    if (leftOut.length === 0) return undefined;
    const them = leftOut.map((run) => `${run.name} (${run.datasetName})`).join(', ');
    const models = linked.length === 1 ? 'the 1 model' : `the ${linked.length} models`;
    return `A link names one dataset: it holds ${models} trained on ${linked[0]?.datasetName ?? ''}, and leaves out ${them}.`;
  }, [compared]);
  const sameLook = useMemo(() => sharedColours(compared), [compared]);
  const [pairIds, setPairIds] = useState<readonly [string | null, string | null]>([null, null]);
  const a = compared.find((run) => run.id === pairIds[0]) ?? compared[0];
  // Unpicked, the second is one on the first's dataset, whose matrices can be subtracted.
  const b =
    compared.find((run) => run.id === pairIds[1] && run.id !== a?.id) ??
    compared.find((run) => run.id !== a?.id && run.datasetId === a?.datasetId) ??
    compared.find((run) => run.id !== a?.id);
  const pair = a && b ? ([a, b] as const) : null;
  /** The second run kept when the first changes: not the new first itself, nor one on another dataset (the default then picks one on the same). */
  const keptSecond = (firstId: string): string | null => {
    const first = compared.find((run) => run.id === firstId);
    return pair && pair[1].id !== firstId && pair[1].datasetId === first?.datasetId ? pair[1].id : null;
  };

  return (
    <section className="panel compare-panel" aria-labelledby="compare-heading">
      <h2 id="compare-heading">Compare runs</h2>
      {/* Shown on keyboard focus only: each run in the queue is several Tab stops before the comparison. */}
      {compared.length > 0 && (
        <button type="button" className="skip-link" onClick={() => document.getElementById(COMPARISON_HEADING)?.focus()}>
          Skip to the comparison
        </button>
      )}
      <UndoDelete />
      <ImportRuns />
      {runs.length === 0 ? (
        <p>Every model you train becomes a run, kept in this browser. Train two or more (Build &amp; train: pick a preset, Train, then another) to compare them here.</p>
      ) : (
        <>
          <RunQueue runs={runs} hidden={hidden} onShowRun={onShowRun} />
          <ShareLink label="Link to the compared models" disabled={compared.length === 0} makeUrl={() => linkToRuns(compared.map((run) => run.id))} caveat={linkCaveat} />
          {compared.length === 0 && (
            <p data-testid="none-compared">No run is ticked for comparison: tick &quot;Compare …&quot; beside a run above to see its curves and figures here.</p>
          )}
          {compared.length > 0 && (
            <>
              <CompareCharts runs={compared} />
              {sameLook.length > 0 && (
                <p className="note" data-testid="shared-colours">
                  Drawn alike, as there are only ten colours and markers: {sameLook.map((names) => names.join(' and ')).join('; ')}. Untick some above to tell
                  their lines apart.
                </p>
              )}
              <h3>Side by side</h3>
              <CompareTable rows={rows} />
              {pair && (
                <section className="pair" aria-labelledby="pair-heading">
                  <h3 id="pair-heading">What changed between two runs</h3>
                  <div className="pair-pickers">
                    <label>
                      From{' '}
                      <select value={pair[0].id} onChange={(event) => setPairIds([event.target.value, keptSecond(event.target.value)])}>
                        {compared.map((run) => (
                          <option key={run.id} value={run.id}>
                            {run.name}
                          </option>
                        ))}
                      </select>
                    </label>{' '}
                    <label>
                      to{' '}
                      <select value={pair[1].id} onChange={(event) => setPairIds([pair[0].id, event.target.value])}>
                        {compared
                          .filter((run) => run.id !== pair[0].id)
                          .map((run) => (
                            <option key={run.id} value={run.id}>
                              {run.name}
                            </option>
                          ))}
                      </select>
                    </label>
                  </div>
                  <SpecDiff a={pair[0]} b={pair[1]} />
                </section>
              )}
              <ConfusionCompare runs={compared} pair={pair} />
            </>
          )}
        </>
      )}
    </section>
  );
}

/** The tab's title says how the run in training is going, so that a long run can be followed from another tab. */
import { useEffect } from 'react';
import { useAppStore, type AppState, type Run } from '../store';
import { isEvaluating, runPercent, secondsLeftOf, type RunWork } from '../store/series';
import { duration } from './words';

/** The page's own title, as index.html has it. */
export const PAGE_TITLE = 'Digit & Fashion training playground';

/**
 * The title for the run the worker is on (null: none): "37% · ETA 52 min · name", "Paused at
 * 37% · name", "96% · evaluating · ETA 4 s · name", "Stopping · name", "Starting · name",
 * each before the page's own title.
 */
export function trainingTitle(run: (RunWork & Pick<Run, 'name' | 'status' | 'progress' | 'epochs' | 'evaluation' | 'spec' | 'stopping' | 'pass'>) | null): string {
  if (run === null) return PAGE_TITLE;
  // As the controls' "Run N%" is.
  const percent = `${runPercent(run)}%`;
  const state = run.stopping
    ? 'Stopping'
    : run.status === 'paused'
      ? `Paused at ${percent}`
      : run.status !== 'running' || run.progress === null
        ? 'Starting'
        : isEvaluating(run)
          ? `${percent} · evaluating · ETA ${duration(secondsLeftOf(run))}`
          : `${percent} · ETA ${duration(secondsLeftOf(run))}`;
  return `${state} · ${run.name} — ${PAGE_TITLE}`;
}

/**
 * The title for a run that ended while the page was out of sight, kept until it is seen:
 * "Finished · test 97.35% · name", "Stopped · test 96.10% · name", "Failed · name". The
 * page's own title alone said nothing of how a run followed from another tab had ended.
 */
export function endedTitle(run: Pick<Run, 'name' | 'status' | 'evaluation'>): string {
  const state = run.status === 'finished' ? 'Finished' : run.status === 'stopped' ? 'Stopped' : 'Failed';
  const test = run.status !== 'failed' && run.evaluation !== null ? ` · test ${(run.evaluation.accuracy * 100).toFixed(2)}%` : '';
  return `${state}${test} · ${run.name} — ${PAGE_TITLE}`;
}

/** The run the worker is on: training or paused, else the first waiting; null when none. */
function runInTraining(state: Pick<AppState, 'runOrder' | 'runs'>): Run | null {
  const runs = state.runOrder.map((id) => state.runs[id]).filter((run): run is Run => run !== undefined);
  return runs.find((run) => run.status === 'running' || run.status === 'paused') ?? runs.find((run) => run.status === 'starting') ?? null;
}

/**
 * Keeps document.title on the run in training; the page's own title when none is, or, when
 * the last one ended while the page was hidden, how it ended, until the page is seen again.
 */
export function DocumentTitle() {
  // The store and the page's visibility are outside React: one subscription to each writes the title.
  useEffect(() => {
    let last: string | null = null;
    let ended: string | null = null;
    const show = (): void => {
      const state = useAppStore.getState();
      const training = runInTraining(state);
      if (training) {
        last = training.id;
        ended = null;
      } else if (last !== null) {
        const run = state.runs[last];
        last = null;
        if (run && document.visibilityState === 'hidden') ended = endedTitle(run);
      }
      const title = ended ?? trainingTitle(training);
      if (document.title !== title) document.title = title;
    };
    const seen = (): void => {
      if (document.visibilityState !== 'visible') return;
      ended = null;
      show();
    };
    show();
    const unsubscribe = useAppStore.subscribe(show);
    document.addEventListener('visibilitychange', seen);
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', seen);
    };
  }, []);
  return null;
}

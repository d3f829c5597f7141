/** The tab's title says how the run in training is going, so that a long run can be followed from another tab. */
import { useEffect } from 'react';
import { useAppStore, type Run } from '../store';
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

/** Keeps document.title on the run in training; the page's own title when none is. */
export function DocumentTitle() {
  const title = useAppStore((state) => {
    const runs = state.runOrder.map((id) => state.runs[id]).filter((run): run is Run => run !== undefined);
    const training = runs.find((run) => run.status === 'running' || run.status === 'paused') ?? runs.find((run) => run.status === 'starting') ?? null;
    return trainingTitle(training);
  });
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}

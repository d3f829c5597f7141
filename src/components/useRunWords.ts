/**
 * Lists of runs that redraw only when what they show of a run changes, not with every batch a
 * run streams: Build & train's run picker and Draw's model menu. React and the store only.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore, type Run } from '../store';

/**
 * What `describe` says of each run (strings and other JSON values), in queue order, each with
 * its id. The store is asked for one string per run, compared one by one (useShallow), so the
 * caller re-renders only when a run's words change, is added or goes.
 */
export function useRunWords<T extends object>(describe: (run: Run) => T): (T & { readonly id: string })[] {
  const keys = useAppStore(
    useShallow((state) =>
      state.runOrder.flatMap((id) => {
        const run = state.runs[id];
        return run ? [JSON.stringify({ ...describe(run), id })] : [];
      }),
    ),
  );
  return useMemo(() => keys.map((key) => JSON.parse(key) as T & { readonly id: string }), [keys]);
}

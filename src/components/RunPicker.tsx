/**
 * Which run Build & train shows: every run, in queue order, with its status. A Train click
 * shows the run it starts (queued or not); here a learner goes back to the one training, or to
 * any earlier run's history, Keras log, matrix and predictions.
 */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store';
import { queueStatus } from './words';

/** The picker's id: "Show in Build & train" (Compare) puts the focus here. */
export const RUN_PICKER_ID = 'run-picker';

/** Memoised: the dashboard around it re-renders with every streamed batch; its own selector re-renders it when a run's words change. */
export const RunPicker = memo(function RunPicker() {
  const selectRun = useAppStore((state) => state.selectRun);
  const currentRunId = useAppStore((state) => state.currentRunId);
  // Flat strings, so that a batch streamed re-renders the picker only when a status's words change.
  const fields = useAppStore(
    useShallow((state) =>
      state.runOrder.flatMap((runId) => {
        const run = state.runs[runId];
        return run ? [runId, `${run.name} (${run.datasetName}) — ${queueStatus(run)}`] : [];
      }),
    ),
  );
  const options = useMemo(() => {
    const list: { id: string; label: string }[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) list.push({ id: fields[i] ?? '', label: fields[i + 1] ?? '' });
    return list;
  }, [fields]);
  if (options.length < 2 || currentRunId === null) return null;
  return (
    <p className="field run-picker">
      <label htmlFor={RUN_PICKER_ID}>Run shown</label>
      <select id={RUN_PICKER_ID} value={currentRunId} onChange={(event) => selectRun(event.target.value)}>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </p>
  );
});

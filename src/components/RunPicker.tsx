/**
 * Which run Build & train shows: every run, in queue order, with its status. A Train click
 * shows the run it starts (queued or not); here a learner goes back to the one training, or to
 * any earlier run's history, Keras log, matrix and predictions.
 */
import { memo } from 'react';
import { useAppStore, type Run } from '../store';
import { useRunWords } from './useRunWords';
import { queueStatus } from './words';

/** What the picker shows of a run: its name, dataset and state. */
const pickerEntry = (run: Run) => ({ label: `${run.name} (${run.datasetName}) — ${queueStatus(run)}` });

/** The picker's id: "Show in Build & train" (Compare) puts the focus here. */
export const RUN_PICKER_ID = 'run-picker';

/** Memoised: the dashboard around it re-renders with every streamed batch; its own selector re-renders it when a run's words change. */
export const RunPicker = memo(function RunPicker() {
  const selectRun = useAppStore((state) => state.selectRun);
  const currentRunId = useAppStore((state) => state.currentRunId);
  const options = useRunWords(pickerEntry);
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

/**
 * The training dashboard: build the model (with its summary and Keras code) on one side,
 * watch the current run learn on the other, and inspect its results in tabs.
 */
import { useMemo, useState } from 'react';
import { augmentationRows, summarize, validateSpec } from '../training/shapes';
import { selectActiveDataset, useAppStore } from '../store';
import { ConfusionMatrix } from './ConfusionMatrix';
import { KerasLog } from './KerasLog';
import { LayerPictures } from './LayerPictures';
import { LiveCharts } from './LiveCharts';
import { ModelBuilder } from './ModelBuilder';
import { ModelSummary } from './ModelSummary';
import { PredictionGrid } from './PredictionGrid';
import { PythonCode } from './PythonCode';
import { RunPicker } from './RunPicker';
import { ImportRuns, RunActions, StorageError, UndoDelete } from './RunActions';
import { ShareLink } from './ShareLink';
import { Tabs } from './Tabs';
import { focusTrain, TrainingControls, type TrainBlocker } from './TrainingControls';

type ResultTab = 'curves' | 'log' | 'confusion' | 'predictions' | 'layer';

export function TrainPanel() {
  const dataset = useAppStore(selectActiveDataset);
  const draft = useAppStore((state) => state.draft);
  const linkToDraft = useAppStore((state) => state.linkToDraft);
  const input = useMemo(() => ({ height: dataset?.train.height ?? 28, width: dataset?.train.width ?? 28, channels: 1 }), [dataset]);
  const classCount = dataset?.classNames.length ?? 10;
  const trainImages = dataset?.train.count;
  const issues = useMemo(() => validateSpec(draft, input, classCount, trainImages), [draft, input, classCount, trainImages]);
  const summary = useMemo(() => summarize(draft, input), [draft, input]);
  const augmentation = useMemo(() => augmentationRows(draft, input), [draft, input]);
  // Why Train is off, said beside it: the reason may be far up the builder.
  const error = issues.find((issue) => issue.severity === 'error');
  const blocker: TrainBlocker | null =
    dataset === null
      ? { message: 'no dataset is loaded yet (the Data tab loads one).', field: null, layer: null }
      : error
        ? { message: error.message, field: error.field, layer: error.layerIndex }
        : null;
  const pythonDataset = useMemo(
    () => ({ id: dataset?.id ?? 'mnist', name: dataset?.name ?? 'MNIST', height: input.height, width: input.width, classCount }),
    [dataset, input, classCount],
  );

  return (
    <section className="panel train-panel" aria-labelledby="train-heading">
      <h2 id="train-heading">Build and train{dataset ? ` on ${dataset.name}` : ''}</h2>
      {/* Shown on keyboard focus only: the builder has dozens of fields before Train. */}
      <button type="button" className="skip-link" onClick={focusTrain}>
        Skip to Train
      </button>
      <div className="train-layout">
        <div className="train-left">
          <ModelBuilder issues={issues} classCount={classCount} />
          <ModelSummary summary={summary} augmentation={augmentation} />
          <PythonCode spec={draft} dataset={pythonDataset} />
          <ShareLink label="Link to this model" disabled={dataset === null} makeUrl={linkToDraft} />
        </div>
        <RunDashboard blocker={blocker} />
      </div>
    </section>
  );
}

/** Why a tested run's matrix or predictions are not shown: they show its dataset's test images, and that dataset is not loaded. */
function notLoadedWords(datasetName: string, what: string): string {
  return `This run was tested on ${datasetName}, which is not loaded now: its ${what} show${what.endsWith('s') ? '' : 's'} that dataset's test images. Load ${datasetName} on the Data tab to see them.`;
}

/**
 * The current run: controls, progress and results. Its own component so that the stream of
 * batches redraws this column only, never the builder beside it.
 */
function RunDashboard({ blocker }: { readonly blocker: TrainBlocker | null }) {
  const run = useAppStore((state) => (state.currentRunId === null ? null : (state.runs[state.currentRunId] ?? null)));
  const runDataset = useAppStore((state) => (run === null ? null : (state.datasets[run.datasetId]?.dataset ?? null)));
  const draftEpochs = useAppStore((state) => state.draft.fit.epochs);
  const [tab, setTab] = useState<ResultTab>('curves');
  // Result tabs render only while shown: a run's evaluation then costs one table, not three.
  // The tabs are there before the first run, empty, so that the charts are drawn once, while
  // the page is idle, and a Train click only gives them data (mounting them took ~100 ms).
  return (
    <div className="train-right">
      <RunPicker />
      <TrainingControls run={run} blocker={blocker} />
      <section className="run-storage" aria-label="Saved runs">
        {/* Undo first: Shift+Tab from it must not land on the Delete of the run shown in the deleted one's place. */}
        <UndoDelete shownRun={run} />
        {run && <RunActions run={run} />}
        <ImportRuns />
        <StorageError />
      </section>
      <Tabs<ResultTab>
        label="Results"
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'curves', label: 'Learning curves', content: <LiveCharts run={run} epochs={draftEpochs} /> },
          { id: 'log', label: 'Keras log', content: tab !== 'log' ? null : <KerasLog run={run} dataset={runDataset} /> },
          {
            id: 'confusion',
            label: 'Confusion matrix',
            content:
              tab !== 'confusion' ? null : run?.evaluation && runDataset ? (
                <ConfusionMatrix evaluation={run.evaluation} dataset={runDataset} />
              ) : run?.evaluation ? (
                <p>{notLoadedWords(run.datasetName, 'confusion matrix')}</p>
              ) : (
                <p>The confusion matrix appears when the run has been evaluated on the test set.</p>
              ),
          },
          {
            id: 'predictions',
            label: 'Predictions',
            content:
              tab !== 'predictions' ? null : run?.evaluation && runDataset ? (
                <PredictionGrid evaluation={run.evaluation} dataset={runDataset} spec={run.spec} />
              ) : run?.evaluation ? (
                <p>{notLoadedWords(run.datasetName, 'predictions')}</p>
              ) : (
                <p>Predictions appear when the run has been evaluated on the test set.</p>
              ),
          },
          { id: 'layer', label: 'First layer', focusable: true, content: tab !== 'layer' ? null : <LayerPictures run={run} /> },
        ]}
      />
    </div>
  );
}

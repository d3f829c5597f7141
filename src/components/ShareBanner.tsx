/**
 * What a share link brought: its models, by name and in words, ready to queue for training
 * or to open in the builder — or, for a damaged link, why it could not be read.
 */
import { useMemo } from 'react';
import { selectActiveDataset, useAppStore } from '../store';
import { sharedModelProblems } from '../store/compareSlice';
import { trainingMemoryWarning } from '../training/shapes';
import { describeLayers } from '../training/specDiff';
import { matchesOwnDataset, type SharedDataset } from '../training/specUrl';
import { counted, trainingWords } from './words';

/** What a visitor still has to do for a link to a dataset by its id, built in or a fingerprint of files (null: nothing). */
function datasetIdNote(ready: boolean, datasetId: string, datasetName: string | null, models: number): string | null {
  if (ready) return null;
  if (datasetName !== null) return `Loading ${datasetName}…`;
  // Not a built-in dataset, and no files loaded here have that fingerprint (a link made from runs on files that were not loaded, or a damaged id).
  return `Its models were trained on a dataset that is not built in and not loaded here (“${datasetId}”): load the same IDX files on the Data tab to train ${theModels(models)}.`;
}

/** "the model" for one shared model, "these models" for more. */
const theModels = (models: number): string => (models === 1 ? 'the model' : 'these models');

/** Which of the visitor's datasets will stand in for the sharer's own: the selected one, one to select, or one to load. */
function ownDatasetNote(own: SharedDataset, selectedMatch: string | null, loadedMatch: string | null, models: number): string {
  const shape = `${own.height}×${own.width} images, ${own.classCount} classes`;
  if (selectedMatch !== null) return `They will train on ${selectedMatch} (${shape}), which matches it.`;
  if (loadedMatch !== null) return `Select ${loadedMatch} on the Data tab: it matches (${shape}).`;
  return `Load your copy of it (${shape}) as IDX files on the Data tab to train ${theModels(models)}.`;
}

interface ShareBannerProps {
  readonly onOpenBuilder: () => void;
  /** Called once the models are queued, with how many there are. */
  readonly onQueued: (count: number) => void;
  /** Called once the banner is dismissed: the button that had the focus is gone. */
  readonly onDismissed: () => void;
}

export function ShareBanner({ onOpenBuilder, onQueued, onDismissed }: ShareBannerProps) {
  const incoming = useAppStore((state) => state.incomingShare);
  const activeDatasetId = useAppStore((state) => state.activeDatasetId);
  const activeDataset = useAppStore(selectActiveDataset);
  // A loaded dataset that can stand in for the sharer's own, if there is one.
  const matchingName = useAppStore((state) => {
    const own = incoming?.kind === 'ok' ? incoming.share.ownDataset : undefined;
    if (own === undefined) return null;
    return Object.values(state.datasets).find((entry) => entry.dataset !== null && matchesOwnDataset(entry.dataset, own))?.name ?? null;
  });
  const datasetName = useAppStore((state) => (incoming?.kind === 'ok' ? (state.datasets[incoming.share.dataset]?.name ?? null) : null));
  const dismissShare = useAppStore((state) => state.dismissShare);
  const dismiss = (): void => {
    dismissShare();
    onDismissed();
  };
  const queueAll = useAppStore((state) => state.queueSharedModels);
  const edit = useAppStore((state) => state.editSharedModel);
  const problems = useMemo(() => (incoming?.kind === 'ok' ? sharedModelProblems(incoming.share, activeDataset) : []), [incoming, activeDataset]);
  // The builder's memory warning, for a model too large for a tab: Train it would start a run that fails.
  const memoryWarnings = useMemo(() => {
    if (incoming?.kind !== 'ok' || activeDataset === null) return [];
    const input = { height: activeDataset.train.height, width: activeDataset.train.width, channels: 1 };
    return incoming.share.runs.map((model, i) => (problems[i] === null ? trainingMemoryWarning(model.spec, input) : null));
  }, [incoming, activeDataset, problems]);
  if (incoming === null) return null;
  if (incoming.kind === 'error') {
    return (
      <section className="panel share-banner" aria-label="Shared link">
        <p className="error" role="alert">
          {incoming.message}
        </p>
        <button type="button" onClick={dismiss}>
          Dismiss
        </button>
      </section>
    );
  }
  const { share } = incoming;
  const own = share.ownDataset;
  // A sharer's own dataset is not in the link, only its name, image size and class count: any dataset of that size and those classes will do.
  const ready = own === undefined ? activeDatasetId === share.dataset : activeDataset !== null && matchesOwnDataset(activeDataset, own);
  const models = share.runs.length;
  // Checked on the dataset they will train on, once it is here.
  const trainable = ready ? problems.filter((problem) => problem === null).length : models;
  const note = own === undefined ? datasetIdNote(ready, share.dataset, datasetName, models) : ownDatasetNote(own, ready ? (activeDataset?.name ?? null) : null, matchingName, models);
  return (
    <section className="panel share-banner" aria-labelledby="share-heading">
      <h2 id="share-heading">
        Shared with you: {counted(share.runs.length, 'model')} for {own === undefined ? (datasetName ?? share.dataset) : `“${own.name}”, the sharer's own dataset`}
      </h2>
      {note !== null && <p className="muted">{note}</p>}
      <ol className="shared-models">
        {share.runs.map((model, i) => (
          <li key={i}>
            <strong>{model.name}</strong>: {describeLayers(model.spec.layers)}; {trainingWords(model.spec)}{' '}
            {ready && problems[i] != null && <span className="error">It cannot train here: {problems[i]} </span>}
            {ready && memoryWarnings[i] != null && <span className="warning-text">{memoryWarnings[i]} </span>}
            <button
              type="button"
              onClick={() => {
                edit(i);
                onOpenBuilder();
              }}
            >
              Open {model.name} in the builder
            </button>
          </li>
        ))}
      </ol>
      <div className="buttons">
        <button
          type="button"
          className="primary"
          disabled={!ready || trainable === 0}
          onClick={() => {
            queueAll();
            onQueued(trainable);
          }}
        >
          {models === 1 ? 'Train it' : trainable === models ? `Train all ${models}` : `Train the ${counted(trainable, 'model')} that can`}
        </button>
        <button type="button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </section>
  );
}

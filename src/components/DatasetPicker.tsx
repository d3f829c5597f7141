/** The list of datasets as radio buttons; a dataset that failed to load shows why beside it. */
import { useShallow } from 'zustand/react/shallow';
import { BUILTIN_DATASETS, isBuiltinDatasetId } from '../data/datasets';
import { useAppStore } from '../store';

export function DatasetPicker() {
  const entries = useAppStore(useShallow((state) => state.datasetOrder.map((id) => state.datasets[id]).filter((e) => e !== undefined)));
  const activeId = useAppStore((state) => state.activeDatasetId);
  const pendingId = useAppStore((state) => state.pendingDatasetId);
  const selectDataset = useAppStore((state) => state.selectDataset);
  const keptIds = useAppStore(useShallow((state) => state.keptDatasets?.kept.datasetIds ?? []));
  return (
    <fieldset className="dataset-picker">
      <legend>Choose a dataset</legend>
      {entries.map((entry) => {
        const set = entry.dataset;
        const description = isBuiltinDatasetId(entry.id)
          ? BUILTIN_DATASETS[entry.id].description
          : set
            ? `${set.train.height}×${set.train.width} images, ${set.classNames.length} classes`
            : '';
        return (
          <div key={entry.id} className="dataset-option">
            <label>
              <input
                type="radio"
                name="dataset"
                value={entry.id}
                checked={(pendingId ?? activeId) === entry.id}
                onChange={() => selectDataset(entry.id)}
              />
              <span className="dataset-name">{entry.name}</span>
              <span className="dataset-description">{description}</span>
              {entry.status === 'loading' && <span className="badge">loading…</span>}
              {entry.status === 'ready' && entry.loadSeconds !== null && (
                <span className="badge">
                  ready in {entry.loadSeconds.toFixed(2)} s{entry.fromBrowserCopy ? ", from this browser's copy" : keptIds.some((id) => id === entry.id) ? ', kept in this browser' : ''}
                </span>
              )}
            </label>
            {entry.error && (
              <p className="error" role="alert">
                Could not load {entry.name}: {entry.error.message}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

/** The dataset panel: pick a dataset, watch it load, and see what `load_data()` returned. */
import { useShallow } from 'zustand/react/shallow';
import { selectActiveDataset, useAppStore } from '../store';
import { ClassDistribution } from './ClassDistribution';
import { DatasetPicker } from './DatasetPicker';
import { DatasetSummary } from './DatasetSummary';
import { KeptDatasets } from './KeptDatasets';
import { LoadProgress } from './LoadProgress';
import { PixelTable } from './PixelTable';
import { SampleGrid } from './SampleGrid';
import { UserDatasetDrop } from './UserDatasetDrop';

export function DatasetPanel() {
  const dataset = useAppStore(selectActiveDataset);
  const loading = useAppStore(
    useShallow((state) => {
      const id = state.pendingDatasetId;
      const entry = id === null ? undefined : state.datasets[id];
      return entry?.status === 'loading' ? { name: entry.name, progress: entry.progress } : null;
    }),
  );
  return (
    <section className="panel" aria-labelledby="dataset-heading">
      <h2 id="dataset-heading">Dataset</h2>
      <div className="dataset-controls">
        <div>
          <DatasetPicker />
          <KeptDatasets />
        </div>
        <UserDatasetDrop />
      </div>
      {loading && <LoadProgress name={loading.name} progress={loading.progress} />}
      {dataset && (
        <div className="dataset-details">
          <DatasetSummary dataset={dataset} />
          <ClassDistribution dataset={dataset} />
          <SampleGrid dataset={dataset} />
          <PixelTable dataset={dataset} />
        </div>
      )}
    </section>
  );
}

/** The setting that keeps the built-in datasets in this browser, and what it keeps now. */
import type { KeptReport } from '../data/browserCopy';
import { BUILTIN_DATASETS } from '../data/datasets';
import { useAppStore } from '../store';

/** What is kept, in words; empty until the worker has said. */
function describeKept(keep: boolean, state: KeptReport | null): string {
  if (state === null) return '';
  if (!state.available) return 'This browser cannot keep files for the page (a private window or an older browser, say): the datasets are downloaded on every visit.';
  const names = state.kept.datasetIds.map((id) => BUILTIN_DATASETS[id].name);
  if (names.length === 0) return keep ? 'Nothing is kept yet: a dataset is kept once it has loaded.' : 'Nothing is kept: every visit downloads the datasets again.';
  const one = names.length === 1;
  return `${names.join(' and ')} ${one ? 'is' : 'are'} kept (${Math.round(state.kept.bytes / 1e6)} MB): a reopened page reads ${one ? 'it' : 'them'} from disk instead of downloading ${one ? 'it' : 'them'}.`;
}

export function KeptDatasets() {
  const keep = useAppStore((state) => state.keepDatasets);
  const kept = useAppStore((state) => state.keptDatasets);
  const setKeep = useAppStore((state) => state.setKeepDatasets);
  return (
    <div className="kept-datasets">
      <label>
        <input type="checkbox" checked={keep} onChange={(event) => setKeep(event.target.checked)} aria-describedby="kept-datasets-status" />
        Keep downloaded datasets in this browser
      </label>
      <p id="kept-datasets-status" className="muted" data-testid="kept-datasets">
        {describeKept(keep, kept)}
      </p>
      {kept?.error && (
        <p className="error" role="alert">
          Could not change what this browser keeps: {kept.error}
        </p>
      )}
    </div>
  );
}

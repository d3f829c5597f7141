/**
 * Which run's speed estimates a model's training time before it trains: one trained on this
 * page (not restored, nor imported from another machine) on the backend the new run will use:
 * the same layers at the same batch size if one is here, else the same layers, else the model
 * nearest in work per image; on WASM, at each of those, one on the dataset in use first (a
 * dataset whose images are mostly zeros trains a Dense layer faster there: wasmKernels.ts,
 * SPARSE_SHARE; on the other backends a zero costs what any value does). Pure: reads the
 * store's state, changes nothing.
 */
import { median } from '../data/stats';
import { MAX_WORK_RATIO, sameLayers, trainingMultiplyAdds, type SpeedReference } from '../training/cost';
import type { BackendPreference } from '../training/protocol';
import type { InputShape, ModelSpec } from '../training/spec';
import type { AppState } from './index';
import type { Run } from './runsSlice';
import { runImageSize } from './storageSlice';

/** A speed reference, with the run it comes from and its backend's name ('webgl', 'wasm', 'cpu'). */
export interface NamedSpeedReference extends SpeedReference {
  readonly runName: string;
  readonly backend: string;
  /** The name of the dataset it trained on, where that is not the dataset in use and its speed may differ (WASM); else null. */
  readonly otherDataset: string | null;
}

/** A candidate run's reference, and how far its work per image is from the model's (|log ratio|). */
interface Nearest {
  readonly reference: NamedSpeedReference;
  readonly distance: number;
}

/**
 * How fast a run trained, its warm-up (WASM's first calls, WebGL's shader compiles) and each
 * epoch's start left out: the pace of its last report (steps after its epoch's first report,
 * as the time left is estimated); for a run without one, the median samples/s of its epochs
 * after the first; 0 when neither is known (a run of one epoch, whose time holds the warm-up).
 */
function trainingSpeed(run: Run): number {
  const stepSeconds = run.progress?.stepSeconds ?? Number.NaN;
  if (stepSeconds > 0) return run.spec.fit.batchSize / stepSeconds;
  return median(run.epochs.slice(1).map((epoch) => epoch.samplesPerSecond));
}

/**
 * The run whose speed best predicts `spec`'s on the backend `preference` gives: with 'auto',
 * the runs started with 'auto' (the page chooses the same way each time); with a backend
 * named, the runs that trained on it. Of the ended runs trained on this page: the same layers
 * and batch size, else the same layers, else the model whose work per image is nearest (within
 * MAX_WORK_RATIO, one on the dataset in use first); the latest of equals, on the dataset in use
 * first. Null when none has trained here.
 */
export function speedReference(state: Pick<AppState, 'runs' | 'runOrder' | 'datasets' | 'activeDatasetId'>, preference: BackendPreference, spec: ModelSpec, input: InputShape): NamedSpeedReference | null {
  const candidates = state.runOrder.flatMap((id) => {
    const run = state.runs[id];
    if (!run || run.restored === true || (run.status !== 'finished' && run.status !== 'stopped') || !run.backend) return [];
    if (preference === 'auto' ? run.backendPreference !== 'auto' : run.backend.name !== preference) return [];
    const size = runImageSize(state, run);
    const samplesPerSecond = trainingSpeed(run);
    if (size === null || samplesPerSecond <= 0) return [];
    const otherDataset = run.backend.name === 'wasm' && run.datasetId !== state.activeDatasetId ? run.datasetName : null;
    return [{ onDataset: otherDataset === null, reference: { spec: run.spec, input: { ...size, channels: 1 }, samplesPerSecond, runName: run.name, backend: run.backend.name, otherDataset } }];
  });
  const latest = (list: typeof candidates): NamedSpeedReference | null => (list.filter((c) => c.onDataset).at(-1) ?? list.at(-1))?.reference ?? null;
  const estimated = { spec, input };
  const layers = candidates.filter(({ reference }) => sameLayers(estimated, reference));
  const batch = layers.filter(({ reference }) => reference.spec.fit.batchSize === spec.fit.batchSize);
  if (layers.length > 0) return latest(batch.length > 0 ? batch : layers);
  // Each candidate's work counted once; the later of two as near wins.
  const work = trainingMultiplyAdds(spec, input);
  const nearest = (list: typeof candidates): Nearest | null => {
    let found: Nearest | null = null;
    for (const { reference } of list) {
      const distance = Math.abs(Math.log(trainingMultiplyAdds(reference.spec, reference.input) / work));
      if (found === null || distance <= found.distance) found = { reference, distance };
    }
    return found;
  };
  const onDataset = nearest(candidates.filter((c) => c.onDataset));
  if (onDataset !== null && onDataset.distance <= Math.log(MAX_WORK_RATIO)) return onDataset.reference;
  return nearest(candidates)?.reference ?? null;
}

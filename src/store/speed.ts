/**
 * Which run's speed estimates a model's training time before it trains: one this browser
 * trained on the backend the new run will use, the same model if one is here, else the latest.
 * Pure: reads the store's state, changes nothing.
 */
import type { SpeedReference } from '../training/cost';
import type { BackendPreference } from '../training/protocol';
import type { InputShape, ModelSpec } from '../training/spec';
import type { AppState } from './index';
import type { Run } from './runsSlice';
import { runImageSize } from './storageSlice';

/** A speed reference, with the run it comes from and its backend's name ('webgl', 'wasm', 'cpu'). */
export interface NamedSpeedReference extends SpeedReference {
  readonly runName: string;
  readonly backend: string;
}

/**
 * How fast a run trained, its warm-up (WASM's first calls, WebGL's shader compiles) left out:
 * the median samples/s of its epochs after the first; with one epoch, the pace of its last
 * report, which leaves out the epoch's first steps; 0 without an epoch.
 */
function trainingSpeed(run: Run): number {
  const stepSeconds = run.progress?.stepSeconds ?? Number.NaN;
  if (run.epochs.length === 1 && stepSeconds > 0) return run.spec.fit.batchSize / stepSeconds;
  const speeds = run.epochs
    .slice(run.epochs.length > 1 ? 1 : 0)
    .map((epoch) => epoch.samplesPerSecond)
    .sort((a, b) => a - b);
  const middle = Math.floor(speeds.length / 2);
  return speeds.length === 0 ? 0 : speeds.length % 2 === 1 ? (speeds[middle] ?? 0) : ((speeds[middle - 1] ?? 0) + (speeds[middle] ?? 0)) / 2;
}

/**
 * The run whose speed best predicts `spec`'s on the backend `preference` will give: with
 * 'auto', the backend the latest run trained on (the same browser chooses the same way).
 * Among the ended runs with an epoch on that backend, one of the same layers, batch size and
 * image size, else the latest; null when none has trained here.
 */
export function speedReference(state: Pick<AppState, 'runs' | 'runOrder' | 'datasets'>, preference: BackendPreference, spec: ModelSpec, input: InputShape): NamedSpeedReference | null {
  const ended = state.runOrder
    .map((id) => state.runs[id])
    .filter((run): run is Run => run !== undefined && (run.status === 'finished' || run.status === 'stopped') && run.backend !== null && trainingSpeed(run) > 0);
  const backend = preference === 'auto' ? ended.at(-1)?.backend?.name : preference;
  const candidates = ended.flatMap((run) => {
    const size = runImageSize(state, run);
    return run.backend?.name === backend && size !== null ? [{ run, input: { ...size, channels: 1 } }] : [];
  });
  const same = candidates.filter(
    ({ run, input: size }) => JSON.stringify(run.spec.layers) === JSON.stringify(spec.layers) && run.spec.fit.batchSize === spec.fit.batchSize && size.height === input.height && size.width === input.width,
  );
  const chosen = same.at(-1) ?? candidates.at(-1);
  if (!chosen || backend === undefined) return null;
  return { spec: chosen.run.spec, input: chosen.input, samplesPerSecond: trainingSpeed(chosen.run), runName: chosen.run.name, backend };
}

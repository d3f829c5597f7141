import { describe, expect, it, vi } from 'vitest';
import { PRESETS } from '../training/presets';
import type { EpochRecord } from '../training/protocol';
import type { AppState } from './index';
import type { Run } from './runsSlice';
import { speedReference } from './speed';
import { run } from './testing';

vi.mock('./worker', () => ({ connectWorker: () => undefined, sendToWorker: () => undefined }));

const MNIST = { height: 28, width: 28, channels: 1 };
const datasets = { mnist: { dataset: { train: { height: 28, width: 28 } } } } as unknown as AppState['datasets'];

/** The fixture run's first epoch. */
function epochRecord(): EpochRecord {
  const [first] = run.epochs;
  if (!first) throw new Error('the fixture run has an epoch');
  return first;
}

/** A run of `spec` that trained at these samples/s per epoch on `backend`. */
function trained(id: string, backend: string, speeds: number[], spec = PRESETS.quickstart.spec, changes: Partial<Run> = {}): Run {
  const epochs = speeds.map((samplesPerSecond, i) => ({ ...epochRecord(), epoch: i + 1, samplesPerSecond }));
  return { ...run, id, name: `Run ${id}`, spec, epochs, progress: null, backend: { name: backend, renderer: null, software: false, fallbackReason: null, autoReason: null }, ...changes };
}

const stateOf = (...runs: Run[]) => ({ runs: Object.fromEntries(runs.map((r) => [r.id, r])), runOrder: runs.map((r) => r.id), datasets });

describe('the run whose speed estimates a new one', () => {
  it('is none before a run has trained here', () => {
    expect(speedReference(stateOf(), 'auto', PRESETS.quickstart.spec, MNIST)).toBeNull();
    expect(speedReference(stateOf(trained('f', 'wasm', [900], undefined, { status: 'failed' })), 'auto', PRESETS.quickstart.spec, MNIST)).toBeNull();
  });

  it('with Automatic, is on the latest run\'s backend: the same model if one is there, its speed after the first epoch', () => {
    const cnn = PRESETS.fashionCnn.spec;
    const state = stateOf(trained('a', 'wasm', [500, 1000, 1200, 1300]), trained('b', 'wasm', [200], cnn), trained('c', 'webgl', [50]), trained('d', 'wasm', [300], cnn));
    // The latest ran on WASM: of WASM's runs, 'a' trained the quickstart.
    expect(speedReference(state, 'auto', PRESETS.quickstart.spec, MNIST)).toMatchObject({ runName: 'Run a', backend: 'wasm', samplesPerSecond: 1200 });
    // No run of the experts' model: the latest on WASM.
    expect(speedReference(state, 'auto', PRESETS.quickstartExperts.spec, MNIST)).toMatchObject({ runName: 'Run d', samplesPerSecond: 300 });
    // Chosen by the user: that backend's runs only.
    expect(speedReference(state, 'webgl', PRESETS.quickstart.spec, MNIST)).toMatchObject({ runName: 'Run c', backend: 'webgl', samplesPerSecond: 50 });
    expect(speedReference(state, 'cpu', PRESETS.quickstart.spec, MNIST)).toBeNull();
  });

  it('takes a one-epoch run\'s pace after its first steps, which hold the warm-up', () => {
    const progress = { epoch: 1, batch: 28, batches: 28, loss: 0.5, accuracy: 0.8, samplesPerSecond: 9000, stepSeconds: 0.002, etaSeconds: 0 };
    expect(speedReference(stateOf(trained('a', 'wasm', [9000], undefined, { progress })), 'auto', PRESETS.quickstart.spec, MNIST)?.samplesPerSecond).toBe(PRESETS.quickstart.spec.fit.batchSize / 0.002);
    expect(speedReference(stateOf(trained('a', 'wasm', [9000])), 'auto', PRESETS.quickstart.spec, MNIST)?.samplesPerSecond).toBe(9000);
  });

  it('is the same model only at the same batch size', () => {
    const quickstart = PRESETS.quickstart.spec;
    const state = stateOf(trained('a', 'wasm', [900]), trained('b', 'wasm', [2000], { ...quickstart, fit: { ...quickstart.fit, batchSize: 128 } }), trained('c', 'wasm', [100], PRESETS.fashionCnn.spec));
    expect(speedReference(state, 'wasm', { ...quickstart, fit: { ...quickstart.fit, batchSize: 128 } }, MNIST)?.runName).toBe('Run b');
    expect(speedReference(state, 'wasm', quickstart, MNIST)?.runName).toBe('Run a');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { PRESETS } from '../training/presets';
import type { BackendPreference, EpochRecord } from '../training/protocol';
import type { AppState } from './index';
import type { Run } from './runsSlice';
import { speedReference } from './speed';
import { run } from './testing';

vi.mock('./worker', () => ({ connectWorker: () => undefined, sendToWorker: () => undefined }));

const MNIST = { height: 28, width: 28, channels: 1 };
const datasets = { mnist: { dataset: { train: { height: 28, width: 28 } } }, 'fashion-mnist': { dataset: { train: { height: 28, width: 28 } } } } as unknown as AppState['datasets'];
const quickstart = PRESETS.quickstart.spec;

/** The fixture run's first epoch. */
function epochRecord(): EpochRecord {
  const [first] = run.epochs;
  if (!first) throw new Error('the fixture run has an epoch');
  return first;
}

/** A run of `spec`, started on this page with `preference`, that trained on `backend` at these samples/s per epoch. */
function trained(id: string, backend: string, speeds: number[], spec = quickstart, changes: Partial<Run> = {}, preference: BackendPreference = 'auto'): Run {
  const epochs = speeds.map((samplesPerSecond, i) => ({ ...epochRecord(), epoch: i + 1, samplesPerSecond }));
  return { ...run, id, name: `Run ${id}`, spec, epochs, progress: null, backendPreference: preference, backend: { name: backend, renderer: null, software: false, fallbackReason: null, autoReason: null }, ...changes };
}

const stateOf = (...runs: Run[]) => ({ runs: Object.fromEntries(runs.map((r) => [r.id, r])), runOrder: runs.map((r) => r.id), datasets, activeDatasetId: 'mnist' });
const onFashion = { datasetId: 'fashion-mnist', datasetName: 'Fashion-MNIST' };

describe('the run whose speed estimates a new one', () => {
  it('is none before a run has trained on this page: failed, restored and imported runs do not count', () => {
    expect(speedReference(stateOf(), 'auto', quickstart, MNIST)).toBeNull();
    expect(speedReference(stateOf(trained('f', 'wasm', [900, 900], undefined, { status: 'failed' })), 'auto', quickstart, MNIST)).toBeNull();
    // A run from another visit or another machine (an H100's run file): its speed is not this machine's.
    expect(speedReference(stateOf(trained('r', 'webgl', [40000, 40000], undefined, { restored: true })), 'auto', quickstart, MNIST)).toBeNull();
  });

  it('leaves out the warm-up and each epoch\'s start: the pace of its last report, else its epochs after the first, else nothing', () => {
    const progress = { epoch: 1, batch: 28, batches: 28, loss: 0.5, accuracy: 0.8, samplesPerSecond: 9000, stepSeconds: 0.002, etaSeconds: 0 };
    expect(speedReference(stateOf(trained('a', 'wasm', [560], undefined, { progress })), 'auto', quickstart, MNIST)?.samplesPerSecond).toBe(quickstart.fit.batchSize / 0.002);
    expect(speedReference(stateOf(trained('a', 'wasm', [500, 1000, 1200, 1300], undefined, { progress })), 'auto', quickstart, MNIST)?.samplesPerSecond).toBe(quickstart.fit.batchSize / 0.002);
    expect(speedReference(stateOf(trained('a', 'wasm', [500, 1000, 1200, 1300])), 'auto', quickstart, MNIST)?.samplesPerSecond).toBe(1200);
    expect(speedReference(stateOf(trained('a', 'wasm', [560])), 'auto', quickstart, MNIST)).toBeNull();
  });

  it('with Automatic, takes the runs started with Automatic; with a backend named, the runs that trained on it', () => {
    const state = stateOf(trained('auto', 'wasm', [900, 1000]), trained('cpu', 'cpu', [30, 30], undefined, {}, 'cpu'), trained('gl', 'webgl', [50, 50], undefined, {}, 'webgl'));
    expect(speedReference(state, 'auto', quickstart, MNIST)).toMatchObject({ runName: 'Run auto', backend: 'wasm', samplesPerSecond: 1000 });
    expect(speedReference(state, 'cpu', quickstart, MNIST)).toMatchObject({ runName: 'Run cpu', backend: 'cpu' });
    expect(speedReference(state, 'wasm', quickstart, MNIST)).toMatchObject({ runName: 'Run auto' });
  });

  it('prefers the same layers and batch size, then the same layers, then the model nearest in work per image', () => {
    const at128 = { ...quickstart, fit: { ...quickstart.fit, batchSize: 128 } };
    const state = stateOf(trained('a', 'wasm', [9, 900]), trained('b', 'wasm', [9, 2000], at128), trained('cnn', 'wasm', [9, 100], PRESETS.fashionCnn.spec), trained('mlp', 'wasm', [9, 500], PRESETS.fashionMlp.spec));
    expect(speedReference(state, 'auto', at128, MNIST)?.runName).toBe('Run b');
    expect(speedReference(state, 'auto', quickstart, MNIST)?.runName).toBe('Run a');
    expect(speedReference(state, 'auto', { ...quickstart, fit: { ...quickstart.fit, batchSize: 64 } }, MNIST)?.runName).toBe('Run b');
    // The experts' quickstart is nearer the Fashion CNN in work than the MLPs.
    expect(speedReference(state, 'auto', PRESETS.quickstartExperts.spec, MNIST)?.runName).toBe('Run cnn');
  });

  it('on WASM, takes a run on the dataset in use before one on another (MNIST\'s images, mostly zeros, train faster there), and names the other', () => {
    const mnist = trained('m', 'wasm', [9, 900]);
    const fashion = trained('f', 'wasm', [9, 600], undefined, onFashion);
    expect(speedReference(stateOf(mnist, fashion), 'auto', quickstart, MNIST)).toMatchObject({ runName: 'Run m', otherDataset: null });
    expect(speedReference(stateOf(fashion, mnist), 'auto', quickstart, MNIST)).toMatchObject({ runName: 'Run m', otherDataset: null });
    // The same layers on another dataset come before other layers on this one.
    const cnn = trained('cnn', 'wasm', [9, 100], PRESETS.quickstartExperts.spec);
    expect(speedReference(stateOf(fashion, cnn), 'auto', quickstart, MNIST)).toMatchObject({ runName: 'Run f', otherDataset: 'Fashion-MNIST' });
    // For other layers, the nearest in work on this dataset, if it is within four times; else the nearest on any.
    const mlp = trained('mlp', 'wasm', [9, 500], PRESETS.fashionMlp.spec, onFashion);
    expect(speedReference(stateOf(mlp, trained('q', 'wasm', [9, 900], PRESETS.quickstartAsWritten.spec)), 'auto', PRESETS.dlwpCh2.spec, MNIST)?.runName).toBe('Run q');
    expect(speedReference(stateOf(cnn, mlp), 'auto', PRESETS.dlwpCh2.spec, MNIST)?.runName).toBe('Run mlp');
    // On WebGL a zero costs what any value does: the dataset does not count, and is not named.
    const onWebgl = (r: Run): Run => ({ ...r, backend: { ...(r.backend ?? mnist.backend), name: 'webgl' } } as Run);
    expect(speedReference(stateOf(onWebgl(mnist), onWebgl(fashion)), 'auto', quickstart, MNIST)).toMatchObject({ runName: 'Run f', otherDataset: null });
  });
});

/**
 * Fixtures for the store's tests: a finished run, and the record this browser keeps of it.
 * Test code only.
 */
import { PRESETS } from '../training/presets';
import { toSavedRun, type SavedRun } from './runFile';
import type { Run } from './runsSlice';

export const CLASSES = ['0', '1', '2'];

/** A finished quickstart run on three classes, with history and an evaluation. */
export const run: Run = {
  id: 'run-abc-1',
  name: 'Quickstart MLP #1',
  color: '#2563eb',
  datasetId: 'mnist',
  datasetName: 'MNIST',
  classNames: CLASSES,
  spec: PRESETS.quickstart.spec,
  status: 'finished',
  backend: { name: 'webgl', renderer: 'SwiftShader', software: true, fallbackReason: null, autoReason: null },
  trainCount: 90,
  validationCount: 10,
  batchesPerEpoch: 3,
  progress: { epoch: 1, batch: 3, batches: 3, loss: 0.5, accuracy: 0.8, samplesPerSecond: 1000, stepSeconds: 0.03, etaSeconds: 0 },
  batches: [{ x: 0.5, loss: 1.2, accuracy: 0.4 }],
  epochs: [{ epoch: 1, epochs: 1, loss: 0.5, accuracy: 0.8, valLoss: null, valAccuracy: null, learningRate: 0.001, seconds: 1.5, samplesPerSecond: 60, etaSeconds: 0, tensors: 12, bytes: 4096 }],
  evaluation: {
    loss: 0.6,
    accuracy: 0.75,
    count: 4,
    confusion: [
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
    ],
    perClass: CLASSES.map(() => ({ precision: 1, recall: 0.5, f1: 0.66, support: 1 })),
    predictions: Int32Array.from([0, 1, 2, 2]),
    sampleIndices: Int32Array.from([0, 1]),
    sampleProbabilities: Float32Array.from([0.5, 0.25, 0.25, 0.125, 0.75, 0.125]),
    mistakeIndices: Int32Array.from([2]),
    mistakeProbabilities: Float32Array.from([0.25, 0.25, 0.5]),
  },
  error: null,
  startedAt: 1_700_000_000_000,
  seconds: 2.5,
  earlyStop: null,
};

/** `run` as it is saved, optionally as another run (id, name). */
export function saved(changes: Partial<Run> = {}): SavedRun {
  const result = toSavedRun({ ...run, ...changes }, { height: 28, width: 28 });
  if (!result) throw new Error('a finished run should be saved');
  return result;
}

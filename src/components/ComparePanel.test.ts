import { describe, expect, it } from 'vitest';
import { run } from '../store/testing';
import { queueStatus } from './ComparePanel';

// The quickstart preset trains 5 epochs.
const progress = { epoch: 2, batch: 3, batches: 6, loss: 0.4, accuracy: 0.9, samplesPerSecond: 900, stepSeconds: 0.035, etaSeconds: 185 };
const training = { ...run, status: 'running' as const, evaluation: null, epochs: run.epochs.slice(0, 1), progress };

describe("a run's state in Compare's queue", () => {
  it('says which epoch it trains, and when that epoch is being validated', () => {
    expect(queueStatus(training)).toBe('training, epoch 2/5');
    expect(queueStatus({ ...training, pass: { pass: 'validation', done: 500, total: 6000, etaSeconds: 30 } })).toBe('validating, epoch 2/5');
  });

  it('says when its last epoch is done and the test set is being evaluated', () => {
    const allEpochs = [1, 2, 3, 4, 5].flatMap((epoch) => run.epochs.map((record) => ({ ...record, epoch })));
    expect(queueStatus({ ...training, epochs: allEpochs })).toBe('evaluating on the test set');
  });

  it('says waiting, stopping, and how a run ended', () => {
    expect(queueStatus({ ...training, status: 'starting', progress: null, epochs: [] })).toBe('waiting');
    expect(queueStatus({ ...training, stopping: true })).toBe('stopping');
    expect(queueStatus(run)).toBe('finished');
  });
});

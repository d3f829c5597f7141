import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EarlyStopping } from './earlyStopping';
import type { EpochRecord } from './protocol';
import type { EarlyStoppingSpec } from './spec';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A one-layer model whose weights an epoch sets to its own number, so that restored weights say which epoch they are from. */
function tinyModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 2, inputShape: [3] }));
  return model;
}

function setEpochWeights(model: tf.LayersModel, epoch: number): void {
  const weights = model.getWeights().map((w) => tf.fill(w.shape, epoch));
  model.setWeights(weights);
  tf.dispose(weights);
}

const record = (epoch: number, values: Partial<EpochRecord>): EpochRecord => ({
  epoch,
  epochs: 20,
  loss: 1,
  accuracy: 0.5,
  valLoss: null,
  valAccuracy: null,
  learningRate: 0.001,
  seconds: 1,
  samplesPerSecond: 100,
  etaSeconds: 0,
  tensors: 0,
  bytes: 0,
  ...values,
});

/** Runs EarlyStopping over the monitored values, one per epoch, as fit does; the epochs trained and its report. */
function run(spec: EarlyStoppingSpec, values: readonly (number | null)[], model = tinyModel()) {
  const stopping = new EarlyStopping(spec, model);
  let trained = 0;
  for (const [i, value] of values.entries()) {
    const epoch = i + 1;
    trained = epoch;
    setEpochWeights(model, epoch);
    const fields = { val_loss: { valLoss: value }, val_accuracy: { valAccuracy: value }, loss: { loss: value ?? NaN }, accuracy: { accuracy: value ?? NaN } }[spec.monitor];
    if (stopping.afterEpoch(record(epoch, fields))) break;
  }
  const report = stopping.finish();
  const weight = model.getWeights()[0]?.dataSync()[0];
  model.dispose();
  return { trained, report, weight };
}

describe('EarlyStopping, as Keras 3 has it', () => {
  it("stops once the loss has not fallen for `patience` epochs: Keras's own example, a loss that never moves, trains 4 epochs with patience 3", () => {
    const { trained, report } = run({ monitor: 'loss', minDelta: 0, patience: 3, restoreBestWeights: false }, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(trained).toBe(4);
    expect(report).toEqual({ monitor: 'loss', patience: 3, stoppedEpoch: 4, bestEpoch: 1, best: 2, restored: false });
  });

  it('starts counting again at each improvement, and gives back the best epoch\'s weights', () => {
    const { trained, report, weight } = run({ monitor: 'val_loss', minDelta: 0, patience: 2, restoreBestWeights: true }, [1.0, 0.8, 0.9, 0.7, 0.75, 0.71, 0.6]);
    expect(trained).toBe(6);
    expect(report).toMatchObject({ stoppedEpoch: 6, bestEpoch: 4, best: 0.7, restored: true });
    expect(weight).toBe(4);
  });

  it('takes an accuracy as better when it rises, and an equal value as no improvement', () => {
    const { trained, report } = run({ monitor: 'val_accuracy', minDelta: 0, patience: 1, restoreBestWeights: false }, [0.5, 0.6, 0.6, 0.7]);
    expect(trained).toBe(3);
    expect(report).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2, best: 0.6 });
  });

  it('counts a change of min_delta or less as no improvement, for a loss falling and an accuracy rising', () => {
    // The Keras guide's min_delta=1e-2: a loss that falls by 0.005 an epoch has stopped improving.
    const falling = [1, 0.995, 0.99, 0.985];
    expect(run({ monitor: 'loss', minDelta: 0.01, patience: 1, restoreBestWeights: false }, falling).report).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1, best: 1 });
    expect(run({ monitor: 'loss', minDelta: 0, patience: 1, restoreBestWeights: false }, falling).report).toMatchObject({ stoppedEpoch: null, bestEpoch: 4 });
    expect(run({ monitor: 'val_accuracy', minDelta: 0.01, patience: 1, restoreBestWeights: false }, [0.9, 0.905, 0.93]).report).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1 });
  });

  it('with patience 0 stops at the first epoch that does not improve, but never after the first epoch', () => {
    expect(run({ monitor: 'loss', minDelta: 0, patience: 0, restoreBestWeights: false }, [1, 1, 1, 1]).report?.stoppedEpoch).toBe(2);
    expect(run({ monitor: 'loss', minDelta: 0, patience: 0, restoreBestWeights: false }, [1, 0.5, 0.6, 0.4]).report?.stoppedEpoch).toBe(3);
    // A first epoch that does not improve on nothing (a NaN loss): Keras's `epoch > 0` lets it go on.
    const { trained, report } = run({ monitor: 'loss', minDelta: 0, patience: 0, restoreBestWeights: false }, [NaN, 1, 1, 1]);
    expect(trained).toBe(3);
    expect(report).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2 });
  });

  it('does not call a stop at the run\'s last epoch an early one: it cut nothing short', () => {
    const stopping = new EarlyStopping({ monitor: 'loss', minDelta: 0, patience: 1, restoreBestWeights: false }, tinyModel());
    // Five epochs planned: the loss stops falling at epoch 5, the last, where patience 1 runs out.
    const stops = [1, 0.5, 0.4, 0.3, 0.45].map((loss, i) => stopping.afterEpoch(record(i + 1, { loss })));
    expect(stops).toEqual([false, false, false, false, true]);
    // Keras still prints "Epoch 5: early stopping" (verbose=1): the report keeps that it ran out there.
    expect(stopping.finish(5)).toMatchObject({ stoppedEpoch: null, stoppedAtEnd: true, bestEpoch: 4 });
  });

  it('restores the best weights when it never stopped early too, as Keras 3 does', () => {
    const { trained, report, weight } = run({ monitor: 'val_loss', minDelta: 0, patience: 5, restoreBestWeights: true }, [1, 0.5, 0.6, 0.7]);
    expect(trained).toBe(4);
    expect(report).toMatchObject({ stoppedEpoch: null, bestEpoch: 2, restored: true });
    expect(weight).toBe(2);
  });

  it('does nothing, and reports nothing, when the epochs have no value to watch (no validation split)', () => {
    const { trained, report, weight } = run({ monitor: 'val_loss', minDelta: 0, patience: 0, restoreBestWeights: true }, [null, null, null]);
    expect(trained).toBe(3);
    expect(report).toBeNull();
    expect(weight).toBe(3);
  });

  it('frees its copy of the weights when it finishes', () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const stopping = new EarlyStopping({ monitor: 'loss', minDelta: 0, patience: 1, restoreBestWeights: true }, model);
    stopping.afterEpoch(record(1, { loss: 1 }));
    expect(stopping.heldTensors).toBe(2);
    expect(tf.memory().numTensors).toBe(before + 2);
    stopping.finish();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

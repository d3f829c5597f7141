import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KerasRmsprop } from './rmsprop';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

/** Keras 3's RMSprop (rho, ε, no momentum), in float64, over a sequence of gradients of one weight. */
function kerasSteps(gradients: readonly number[], rate: number, rho = 0.9, epsilon = 1e-7): number {
  let [w, v] = [0, 0];
  for (const g of gradients) {
    v = rho * v + (1 - rho) * g * g;
    w -= (rate * g) / (Math.sqrt(v) + epsilon);
  }
  return w;
}

/** The weights after `optimizer` has taken one step per row of `gradients` (one column per weight). */
function trained(optimizer: tf.Optimizer, gradients: readonly (readonly number[])[]): number[] {
  const w = tf.tidy(() => tf.variable(tf.zeros([gradients[0]?.length ?? 0])));
  for (const row of gradients) {
    // The loss Σ gᵢ·wᵢ has the gradient g, whatever w is.
    optimizer.minimize(() => tf.sum(tf.mul(w, tf.tensor1d(row))));
  }
  const values = Array.from(w.dataSync());
  w.dispose();
  return values;
}

describe('KerasRmsprop', () => {
  it("steps as Keras's RMSprop, also for gradients too small for tfjs's", () => {
    // Columns: an ordinary gradient, a small one, a tiny one, and one that changes sign.
    const gradients = [
      [0.5, 1e-4, 1e-6, 0.2],
      [0.3, 2e-4, 1e-6, -0.1],
      [0.4, 1e-4, 3e-6, 0.05],
    ];
    const optimizer = new KerasRmsprop(0.01);
    const got = trained(optimizer, gradients);
    optimizer.dispose();
    gradients[0]?.forEach((_, column) => {
      const expected = kerasSteps(gradients.map((row) => row[column] ?? 0), 0.01);
      expect(got[column]).toBeCloseTo(expected, 5);
      expect(Math.abs((got[column] ?? 0) - expected)).toBeLessThan(1e-4 * Math.abs(expected));
    });
    // tfjs's own RMSprop takes √(v + ε): the small gradients' weights barely move.
    const tfjs = tf.train.rmsprop(0.01, 0.9, 0, 1e-7);
    const theirs = trained(tfjs, gradients);
    tfjs.dispose();
    expect(Math.abs(theirs[1] ?? 0)).toBeLessThan(Math.abs(kerasSteps([1e-4, 2e-4, 1e-4], 0.01)) / 5);
  });

  it('reads its learning rate at each step, as a schedule sets it', () => {
    const optimizer = new KerasRmsprop(0.01);
    const w = tf.variable(tf.scalar(0));
    optimizer.minimize(() => w.mul(1).asScalar());
    optimizer.learningRate = 0.001;
    optimizer.minimize(() => w.mul(1).asScalar());
    expect(w.dataSync()[0]).toBeCloseTo(kerasSteps([1], 0.01) + (kerasSteps([1, 1], 0.001) - kerasSteps([1], 0.001)), 6);
    w.dispose();
    optimizer.dispose();
  });

  it('gives its state back and takes it again, and leaves no tensors when disposed', async () => {
    const before = tf.memory().numTensors;
    const optimizer = new KerasRmsprop(0.01);
    trained(optimizer, [[0.5, -0.25]]);
    const weights = await optimizer.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', expect.stringMatching(/\/rms$/)]);
    expect(Array.from((await weights[1]?.tensor.data()) ?? [])).toEqual([expect.closeTo(0.025, 6), expect.closeTo(0.00625, 6)]);
    const copy = new KerasRmsprop(0.01);
    const copied = weights.map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
    await copy.setWeights(copied);
    tf.dispose(copied.map(({ tensor }) => tensor));
    expect(copy.iterations).toBe(1);
    expect(copy.getClassName()).toBe('KerasRMSprop');
    expect(copy.getConfig()).toEqual({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7 });
    tf.dispose(weights[0]?.tensor);
    optimizer.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization, normalizeBatchInTraining } from './batchNorm';
import { relativeError } from './gradientCases';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

const EPSILON = 1e-3;
/** The largest |a − b|, relative to b's largest magnitude. */
const error = (a: tf.Tensor, b: tf.Tensor): number => relativeError(a.dataSync<'float32'>(), b.dataSync<'float32'>());
/** The largest |a − b|. */
const maxDifference = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] ?? NaN);
const channelsOf = (shape: readonly number[]): number => shape[shape.length - 1] ?? 1;

/** tfjs's own batch normalisation in training, differentiated op by op: the reference. */
function reference(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const { mean, variance } = tf.moments(x, x.shape.slice(0, -1).map((_, axis) => axis));
  return tf.batchNorm(x, mean, variance, beta, gamma, EPSILON);
}

const ours = (x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor => {
  const { y, mean, variance } = normalizeBatchInTraining(x, gamma, beta, EPSILON);
  tf.dispose([mean, variance]);
  return y;
};

describe('batch normalisation in training', () => {
  it.each([[[8, 5, 5, 3]], [[16, 7]], [[4, 6, 6, 16]], [[2, 3, 3, 1]]])('matches tfjs in value and in all three gradients for %j', (shape) => {
    tf.tidy(() => {
      const x = tf.randomNormal(shape, 2, 3, 'float32', 1);
      const gamma = tf.randomNormal<tf.Rank.R1>([channelsOf(shape)], 1, 0.3, 'float32', 2);
      const beta = tf.randomNormal<tf.Rank.R1>([channelsOf(shape)], 0, 0.3, 'float32', 3);
      // A loss that weighs every output differently, so that no gradient term cancels out.
      const weights = tf.randomNormal(shape, 0, 1, 'float32', 4);
      const loss = (normalize: typeof ours) => (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.square(normalize(input, g as tf.Tensor1D, b as tf.Tensor1D)), weights));
      expect(error(ours(x, gamma, beta), reference(x, gamma, beta))).toBeLessThan(1e-5);
      const got = tf.grads(loss(ours))([x, gamma, beta]);
      const want = tf.grads(loss(reference))([x, gamma, beta]);
      ['dx', 'dγ', 'dβ'].forEach((name, i) => expect(error(got[i] ?? tf.scalar(NaN), want[i] ?? tf.scalar(0)), name).toBeLessThan(1e-5));
    });
  });

  it('returns the batch mean and biased variance per channel, and leaks nothing', () => {
    const x = tf.randomNormal([6, 4, 4, 5], -1, 2, 'float32', 5);
    const gamma = tf.ones<tf.Rank.R1>([5]);
    const beta = tf.zeros<tf.Rank.R1>([5]);
    const before = tf.memory().numTensors;
    const { y, mean, variance } = normalizeBatchInTraining(x, gamma, beta, EPSILON);
    expect(tf.memory().numTensors).toBe(before + 3);
    const moments = tf.moments(x, [0, 1, 2]);
    expect(error(mean, moments.mean)).toBeLessThan(1e-6);
    expect(error(variance, moments.variance)).toBeLessThan(1e-6);
    // Normalised: every channel of y has mean 0 and variance σ²/(σ² + ε), just under 1.
    const yMoments = tf.moments(y, [0, 1, 2]);
    expect(Math.max(...Array.from(tf.abs(yMoments.mean).dataSync()))).toBeLessThan(1e-5);
    expect(Math.min(...Array.from(yMoments.variance.dataSync()))).toBeGreaterThan(0.99);
    tf.dispose([x, gamma, beta, y, mean, variance, moments.mean, moments.variance, yMoments.mean, yMoments.variance]);
  });
});

describe('BatchNormalization layer', () => {
  /** Our layer and tfjs's, built on the same input shape with the same (non-default) weights. */
  function twins(shape: number[]): [tf.layers.Layer, tf.layers.Layer] {
    const args = { momentum: 0.9, epsilon: EPSILON, inputShape: shape.slice(1) };
    const pair: [tf.layers.Layer, tf.layers.Layer] = [new BatchNormalization(args), tf.layers.batchNormalization(args)];
    const channels = channelsOf(shape);
    const weights = [tf.randomNormal([channels], 1, 0.2, 'float32', 6), tf.randomNormal([channels], 0, 0.2, 'float32', 7), tf.randomNormal([channels], 0.5, 0.1, 'float32', 8), tf.randomUniform([channels], 0.5, 2, 'float32', 9)];
    for (const layer of pair) {
      layer.build(shape);
      layer.setWeights(weights);
    }
    tf.dispose(weights);
    return pair;
  }

  it('is tfjs\'s class by name, so saved models and Keras exports are unchanged, and loads as ours', () => {
    const model = tf.sequential({ layers: [new BatchNormalization({ inputShape: [4], momentum: 0.9 })] });
    expect(model.layers[0]?.getClassName()).toBe('BatchNormalization');
    const copy = tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) });
    return copy.then((loaded) => {
      expect(loaded.layers[0]).toBeInstanceOf(BatchNormalization);
      expect(loaded.layers[0]?.getConfig()).toEqual(model.layers[0]?.getConfig());
      loaded.dispose();
      model.dispose();
    });
  });

  it('trains as tfjs\'s layer does: the same output and the same moving mean and variance after a step', () => {
    const shape = [8, 3, 3, 4];
    const [mine, theirs] = twins(shape);
    const x = tf.randomNormal(shape, 1, 2, 'float32', 10);
    const trained = [mine.apply(x, { training: true }), theirs.apply(x, { training: true })] as [tf.Tensor, tf.Tensor];
    expect(error(...trained)).toBeLessThan(1e-5);
    const theirWeights = theirs.getWeights();
    // gamma, beta, moving mean, moving variance.
    mine.getWeights().forEach((w, i) => expect(error(w, theirWeights[i] ?? tf.scalar(NaN)), `weight ${i}`).toBeLessThan(1e-5));
    // At inference both use the moving averages: the same again.
    const inferred = [mine.apply(x, { training: false }), theirs.apply(x, { training: false })] as [tf.Tensor, tf.Tensor];
    expect(error(...inferred)).toBeLessThan(1e-5);
    tf.dispose([x, ...trained, ...inferred]);
    for (const layer of [mine, theirs]) for (const weight of layer.weights) weight.dispose();
  });

  it('leads an optimizer to the same weights as tfjs\'s layer', () => {
    const build = (norm: tf.layers.Layer): tf.Sequential =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
          norm,
          tf.layers.flatten(),
          tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
    const models = [build(new BatchNormalization({ momentum: 0.9 })), build(tf.layers.batchNormalization({ momentum: 0.9 }))];
    const x = tf.randomNormal([5, 6, 6, 1], 0, 1, 'float32', 11);
    const target = tf.randomNormal([5, 4], 0, 1, 'float32', 12);
    for (const model of models) {
      const optimizer = tf.train.sgd(0.1);
      for (let step = 0; step < 3; step++) optimizer.minimize(() => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(target, model.apply(x, { training: true }) as tf.Tensor));
      optimizer.dispose();
    }
    const [ours = [], theirs = []] = models.map((model) => model.getWeights());
    expect(ours.length).toBe(theirs.length);
    // Absolute differences: the convolution's bias has a gradient of 0 under a batch norm (which
    // subtracts any offset), so it stays at 0 plus rounding, where a relative error means nothing.
    ours.forEach((w, i) => expect(maxDifference(w, theirs[i] ?? tf.scalar(NaN)), `weight ${i}`).toBeLessThan(1e-5));
    tf.dispose([x, target]);
    for (const model of models) model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { correctCount, crossEntropy, modelScores, PREDICT_BATCH, probabilities, type ModelScores } from './losses';
import { denseModel, maxDifference } from './testData';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const logits = [
  [2.0, 1.0, 0.1],
  [0.5, 2.5, -1.0],
  [-0.3, 0.2, 3.0],
];
const labels = [0, 1, 2];
const value = (t: tf.Scalar): number => t.dataSync()[0] ?? NaN;
const asLogits = (rows: number[][]): ModelScores => ({ kind: 'logits', values: tf.tensor2d(rows) });
const asProbabilities = (rows: number[][] | tf.Tensor): ModelScores => ({ kind: 'probabilities', values: Array.isArray(rows) ? tf.tensor2d(rows) : rows });
const sparse = { loss: 'sparseCategoricalCrossentropy', fromLogits: false } as const;
const categorical = { loss: 'categoricalCrossentropy', fromLogits: false } as const;
const sparseLabels = (values: number[]): tf.Tensor1D => tf.tensor1d(values, 'int32');

/** Flatten → Dense(3 units, softmax) on 2×2 images, with the given kernel (4 × 3) and zero biases. */
const softmaxModel = (kernel: number[][]): tf.Sequential => denseModel(2, 2, kernel, 'softmax');

describe('cross-entropy', () => {
  it('matches a hand-computed value: −log softmax of the true class', () => {
    const expected = -logits.map((row, i) => Math.log(Math.exp(row[labels[i] ?? 0] ?? 0) / row.reduce((s, v) => s + Math.exp(v), 0))).reduce((a, b) => a + b, 0) / 3;
    expect(value(crossEntropy(sparse, sparseLabels(labels), asLogits(logits)))).toBeCloseTo(expected, 5);
  });

  it('gives the same loss for sparse labels and their one-hot rows', () => {
    const fromSparse = crossEntropy(sparse, sparseLabels(labels), asLogits(logits));
    const fromOneHot = crossEntropy(categorical, tf.oneHot(sparseLabels(labels), 3), asLogits(logits));
    expect(value(fromOneHot)).toBeCloseTo(value(fromSparse), 6);
  });

  it('one-hot encodes class indices given to the categorical loss, as to_categorical does', () => {
    const fromSparse = crossEntropy(sparse, sparseLabels(labels), asLogits(logits));
    const fromIndices = crossEntropy(categorical, sparseLabels(labels), asLogits(logits));
    expect(value(fromIndices)).toBeCloseTo(value(fromSparse), 6);
  });

  it('on logits equals on their softmax read as probabilities', () => {
    const fromLogits = crossEntropy(sparse, sparseLabels(labels), asLogits(logits));
    const fromProbabilities = crossEntropy(sparse, sparseLabels(labels), asProbabilities(tf.softmax(tf.tensor2d(logits))));
    expect(value(fromProbabilities)).toBeCloseTo(value(fromLogits), 5);
  });

  it('clips probabilities like Keras, so a confident wrong answer costs −log(1e-7), not infinity', () => {
    expect(value(crossEntropy(sparse, sparseLabels([0]), asProbabilities([[0, 1, 0]])))).toBeCloseTo(-Math.log(1e-7), 3);
  });

  it('sparse: clips scores before renormalising them, so a ReLU output of zeros costs log(classes), not NaN', () => {
    expect(value(crossEntropy(sparse, sparseLabels([0]), asProbabilities([[0, 0, 0, 0]])))).toBeCloseTo(Math.log(4), 5);
    // Scores above 1 are clipped to 1 − 1e-7 first: all three count alike.
    expect(value(crossEntropy(sparse, sparseLabels([0]), asProbabilities([[2, 1, 1]])))).toBeCloseTo(Math.log(3), 5);
  });

  it('categorical: renormalises scores before clipping them, as Keras does', () => {
    expect(value(crossEntropy(categorical, sparseLabels([0]), asProbabilities([[2, 1, 1]])))).toBeCloseTo(-Math.log(0.5), 5);
  });

  it("counts the highest output as the prediction, as Keras's accuracy does, even for scores that sum below 0", () => {
    const scores = asProbabilities([
      [-1, -2, -3],
      [0.1, 0.7, 0.2],
    ]);
    expect(value(correctCount(sparseLabels([0, 1]), scores))).toBe(2);
  });
});

describe('a model that ends in softmax', () => {
  const kernel = [
    [1, 0, 0],
    [0, 2, 0],
    [0, 0, 3],
    [1, 1, 1],
  ];
  const x = tf.tensor4d([0.5, 0.2, 0.1, 1], [1, 2, 2, 1]);

  it('gives the loss the logits that went into its softmax, for both from_logits settings', () => {
    const model = softmaxModel(kernel);
    for (const fromLogits of [false, true]) {
      const scores = modelScores(model, x, fromLogits);
      expect(scores.kind).toBe('logits');
      expect(maxDifference(scores.values.dataSync(), [1.5, 1.4, 1.3])).toBeLessThan(1e-6);
      expect(maxDifference(probabilities(scores, 'sparseCategoricalCrossentropy').dataSync(), (model.predict(x) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
    }
  });

  it('does not apply softmax twice when the loss is told from_logits=True: tf.keras uses the logits too', () => {
    const model = softmaxModel(kernel);
    const right = crossEntropy(sparse, sparseLabels([0]), modelScores(model, x, false));
    const told = crossEntropy({ ...sparse, fromLogits: true }, sparseLabels([0]), modelScores(model, x, true));
    expect(value(told)).toBeCloseTo(value(right), 6);
    expect(value(right)).toBeCloseTo(-Math.log(Math.exp(1.5) / (Math.exp(1.5) + Math.exp(1.4) + Math.exp(1.3))), 5);
  });

  it('is not clipped: a confidently wrong answer costs its full −log p, as in Keras', () => {
    const model = softmaxModel([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 40, 0],
    ]);
    // p(class 0) = 1 / (2 + e^40): far below the 1e-7 clip, which would cap the loss at 16.1.
    expect(value(crossEntropy(sparse, sparseLabels([0]), modelScores(model, x, false)))).toBeCloseTo(40, 3);
  });

  it('reads the logits of a Dense(softmax) without a bias', () => {
    const model = denseModel(2, 2, kernel, 'softmax', false);
    expect(maxDifference(modelScores(model, x, false).values.dataSync(), [1.5, 1.4, 1.3])).toBeLessThan(1e-6);
  });

  it('is hidden by a layer after the softmax, as it is from Keras: the output is then read as from_logits says', () => {
    const model = softmaxModel(kernel);
    model.add(tf.layers.dropout({ rate: 0.5 }));
    const scores = modelScores(model, x, true);
    expect(scores.kind).toBe('logits');
    expect(maxDifference(scores.values.dataSync(), (model.predict(x) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
  });

  it('reads the logits of a final Activation(softmax) layer from the layer before it', () => {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [2, 2, 1] }));
    model.add(tf.layers.activation({ activation: 'softmax' }));
    const scores = modelScores(model, x, false);
    expect(scores.kind).toBe('logits');
    expect(maxDifference(scores.values.dataSync(), [0.5, 0.2, 0.1, 1])).toBeLessThan(1e-6);
  });

  it('runs many rows PREDICT_BATCH at a time, to the same scores, freeing each batch', () => {
    const model = softmaxModel(kernel);
    const many = tf.randomUniform([PREDICT_BATCH * 2 + 5, 2, 2, 1]);
    const whole = tf.tidy(() => modelScores(model, many, false, true).values);
    const before = tf.memory().numTensors;
    const batched = modelScores(model, many, false);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(batched.values.shape).toEqual([PREDICT_BATCH * 2 + 5, 3]);
    expect(maxDifference(batched.values.dataSync(), whole.dataSync())).toBeLessThan(1e-6);
  });

  it('trains every weight through the logits, the last layer included', () => {
    const model = softmaxModel(kernel);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    tf.train.sgd(0.5).minimize(() => crossEntropy(sparse, sparseLabels([2]), modelScores(model, x, false, true)));
    const after = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
  });
});

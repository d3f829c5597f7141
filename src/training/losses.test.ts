import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy } from './losses';

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

describe('cross-entropy', () => {
  it('matches a hand-computed value: −log softmax of the true class', () => {
    const expected = -logits.map((row, i) => Math.log(Math.exp(row[labels[i] ?? 0] ?? 0) / row.reduce((s, v) => s + Math.exp(v), 0))).reduce((a, b) => a + b, 0) / 3;
    const loss = crossEntropy({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, tf.tensor1d(labels, 'int32'), tf.tensor2d(logits));
    expect(value(loss)).toBeCloseTo(expected, 5);
  });

  it('gives the same loss for sparse labels and their one-hot rows', () => {
    const sparse = crossEntropy({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, tf.tensor1d(labels, 'int32'), tf.tensor2d(logits));
    const onehot = crossEntropy({ loss: 'categoricalCrossentropy', fromLogits: true }, tf.oneHot(tf.tensor1d(labels, 'int32'), 3), tf.tensor2d(logits));
    expect(value(onehot)).toBeCloseTo(value(sparse), 6);
  });

  it('one-hot encodes class indices given to the categorical loss, as to_categorical does', () => {
    const sparse = crossEntropy({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, tf.tensor1d(labels, 'int32'), tf.tensor2d(logits));
    const indices = crossEntropy({ loss: 'categoricalCrossentropy', fromLogits: true }, tf.tensor1d(labels, 'int32'), tf.tensor2d(logits));
    expect(value(indices)).toBeCloseTo(value(sparse), 6);
  });

  it('on logits with from_logits equals on softmax outputs without it', () => {
    const fromLogits = crossEntropy({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, tf.tensor1d(labels, 'int32'), tf.tensor2d(logits));
    const fromProbabilities = crossEntropy({ loss: 'sparseCategoricalCrossentropy', fromLogits: false }, tf.tensor1d(labels, 'int32'), tf.softmax(tf.tensor2d(logits)));
    expect(value(fromProbabilities)).toBeCloseTo(value(fromLogits), 5);
  });

  it('clips probabilities like Keras, so a confident wrong answer costs −log(1e-7), not infinity', () => {
    const loss = crossEntropy({ loss: 'sparseCategoricalCrossentropy', fromLogits: false }, tf.tensor1d([0], 'int32'), tf.tensor2d([[0, 1, 0]]));
    expect(value(loss)).toBeCloseTo(-Math.log(1e-7), 3);
  });

  it('softmax trained with from_logits gives a different (flattened) loss: the bug the validator warns about', () => {
    const probs = tf.softmax(tf.tensor2d(logits));
    const right = crossEntropy({ loss: 'sparseCategoricalCrossentropy', fromLogits: false }, tf.tensor1d(labels, 'int32'), probs);
    const twice = crossEntropy({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, tf.tensor1d(labels, 'int32'), probs);
    expect(value(twice)).toBeGreaterThan(value(right) + 0.2);
  });
});

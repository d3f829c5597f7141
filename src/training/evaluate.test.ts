import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel, predictOne } from './evaluate';
import type { TrainingData } from './fit';
import { denseModel, maxDifference } from './testData';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Seven 1×2 "images", each pixel one input of a Dense(3) layer with the given activation and kernel, zero biases. */
function setUp(activation: 'softmax' | 'linear', kernel: number[][]): { model: tf.Sequential; data: TrainingData; labels: Uint8Array; pixels: number[][] } {
  const model = denseModel(1, 2, kernel, activation);
  const pixels = [
    [1, 0],
    [0, 1],
    [0.5, 0.5],
    [0.2, 0.9],
    [0.9, 0.1],
    [0, 0],
    [0.3, 0.3],
  ];
  const labels = Uint8Array.from([0, 1, 2, 1, 0, 2, 1]);
  const data = { x: tf.tensor4d(pixels.flat(), [7, 1, 2, 1]), y: tf.tensor1d(Array.from(labels), 'int32'), count: 7, classCount: 3 };
  return { model, data, labels, pixels };
}

describe('evaluateModel', () => {
  it("gives Keras's test loss and accuracy: the mean over every image, whatever the batch size", async () => {
    const kernel = [
      [2, -1, 0],
      [-1, 2, 0.5],
    ];
    const { model, data, labels, pixels } = setUp('softmax', kernel);
    const logits = pixels.map(([a = 0, b = 0]) => [0, 1, 2].map((c) => a * (kernel[0]?.[c] ?? 0) + b * (kernel[1]?.[c] ?? 0)));
    const losses = logits.map((row, i) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - (row[labels[i] ?? 0] ?? 0));
    const predicted = logits.map((row) => row.indexOf(Math.max(...row)));
    for (const batchSize of [3, 500]) {
      const evaluation = await evaluateModel(model, data, { loss: 'sparseCategoricalCrossentropy', fromLogits: false }, labels, batchSize);
      expect(evaluation.loss).toBeCloseTo(losses.reduce((a, b) => a + b, 0) / 7, 5);
      expect(Array.from(evaluation.predictions)).toEqual(predicted);
      expect(evaluation.accuracy).toBeCloseTo(predicted.filter((p, i) => p === labels[i]).length / 7, 10);
      expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(7);
    }
  });

  it('waits for its step after each chunk, with the images done so far', async () => {
    const { model, data, labels } = setUp('softmax', [
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const done: number[] = [];
    await evaluateModel(model, data, { loss: 'sparseCategoricalCrossentropy', fromLogits: false }, labels, 3, async (n) => {
      done.push(n);
      await Promise.resolve();
    });
    expect(done).toEqual([3, 6, 7]);
  });

  it('predicts the highest output even when raw scores read as probabilities sum below zero', async () => {
    // A linear output without from_logits (the bug the validator warns about): image 1's scores
    // are (−1, −2, −0.5), so Keras's accuracy counts class 2, the highest, as its prediction.
    const { model, data, labels } = setUp('linear', [
      [1, 0, 0],
      [-1, -2, -0.5],
    ]);
    const evaluation = await evaluateModel(model, data, { loss: 'sparseCategoricalCrossentropy', fromLogits: false }, labels);
    expect(evaluation.predictions[1]).toBe(2);
    expect(Number.isFinite(evaluation.loss)).toBe(true);
  });
});

describe('predictOne', () => {
  it('gives the softmax of a model that ends in softmax once, with from_logits set or not', async () => {
    const { model } = setUp('softmax', [
      [3, 0, 0],
      [0, 1, 0],
    ]);
    const expected = (model.predict(tf.tensor4d([1, 0], [1, 1, 2, 1])) as tf.Tensor).dataSync();
    for (const fromLogits of [false, true]) {
      const p = await predictOne(model, Float32Array.from([1, 0]), 1, 2, { loss: 'sparseCategoricalCrossentropy', fromLogits });
      expect(maxDifference(p, expected)).toBeLessThan(1e-6);
    }
  });
});

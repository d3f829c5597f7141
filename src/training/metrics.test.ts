import { describe, expect, it } from 'vitest';
import { batchCount, shuffledIndices, shuffleSeed, splitValidation } from './batches';
import { accuracyFromMatrix, confusionMatrix, mostConfidentMistakes, perClassMetrics } from './metrics';

describe('confusion matrix and per-class metrics', () => {
  const truth = [0, 0, 0, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 1, 1, 0, 1, 1, 1];
  const matrix = confusionMatrix(truth, predicted, 3);

  it('counts rows as true classes and columns as predictions', () => {
    expect(matrix).toEqual([
      [2, 1, 0],
      [1, 1, 0],
      [0, 3, 0],
    ]);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(truth.length);
    expect(accuracyFromMatrix(matrix)).toBe(3 / 8);
  });

  it('gives precision, recall and F1 per class, and 0 for a class never predicted', () => {
    const [a, b, c] = perClassMetrics(matrix);
    expect(a).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 });
    expect(b?.precision).toBeCloseTo(1 / 5);
    expect(b?.recall).toBeCloseTo(1 / 2);
    expect(b?.f1).toBeCloseTo((2 * 0.2 * 0.5) / 0.7);
    expect(c).toEqual({ precision: 0, recall: 0, f1: 0, support: 3 });
  });

  it('ranks mistakes by the confidence of the wrong answer', () => {
    const probabilities = [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.05, 0.95];
    expect(mostConfidentMistakes(probabilities, [0, 1, 0, 1], 2, [0, 0, 1, 0], 5)).toEqual([3, 1, 2]);
  });

  it('takes the predicted class from the predictions, not from the probabilities', () => {
    // Row 0's probabilities tie (clipped scores); the model's highest output was class 1.
    expect(mostConfidentMistakes([0.5, 0.5, 0.9, 0.1], [1, 0], 2, [0, 0], 5)).toEqual([0]);
  });
});

describe('batches', () => {
  it('takes the validation split from the end, before shuffling, as Keras does', () => {
    expect(splitValidation(10, 0.2)).toEqual({ trainCount: 8, validationStart: 8, validationCount: 2 });
    expect(splitValidation(60000, 0.1)).toEqual({ trainCount: 54000, validationStart: 54000, validationCount: 6000 });
    expect(splitValidation(7, 0.5)).toEqual({ trainCount: 3, validationStart: 3, validationCount: 4 });
    expect(splitValidation(10, 0)).toEqual({ trainCount: 10, validationStart: 10, validationCount: 0 });
  });

  it('shuffles into a permutation that the same seed and epoch reproduce', () => {
    const a = shuffledIndices(1000, 42, 1);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(shuffledIndices(1000, 42, 1)).toEqual(a);
    expect(shuffledIndices(1000, 42, 2)).not.toEqual(a);
    expect(shuffledIndices(1000, 43, 1)).not.toEqual(a);
  });

  it('seeds each epoch by exact arithmetic mod 2³² for every seed Keras takes', () => {
    const exact = (seed: number, epoch: number): number => Number((BigInt(seed) * 2654435761n + BigInt(epoch) * 40503n + 1n) % 2n ** 32n);
    for (const seed of [0, 42, 3_399_999, 3_500_001, 123_456_789, 2 ** 31, 2 ** 32 - 1]) {
      for (const epoch of [1, 2, 500]) expect(shuffleSeed(seed, epoch)).toBe(exact(seed, epoch));
    }
  });

  it('counts a partial last batch', () => {
    expect(batchCount(54000, 32)).toBe(1688);
    expect(batchCount(64, 32)).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { batchCount, shuffledIndices, shuffleSeed, splitValidation } from './batches';
import { accuracyFromMatrix, classificationReport, confusionMatrix, mostConfidentMistakes, perClassMetrics, pythonFixed } from './metrics';

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

/** A test set's confusion matrix with Fashion-MNIST's names: Dress never right, Shirt never predicted. */
const FASHION_MATRIX = [
  [911, 12, 18, 23, 0, 3, 0, 23, 6, 7],
  [21, 910, 6, 20, 6, 10, 0, 13, 2, 0],
  [21, 18, 920, 13, 20, 8, 0, 19, 3, 7],
  [3, 11, 24, 0, 9, 10, 0, 5, 12, 6],
  [0, 18, 1, 7, 912, 12, 0, 24, 18, 24],
  [2, 18, 7, 13, 23, 906, 0, 4, 8, 24],
  [10, 12, 7, 2, 10, 15, 0, 19, 9, 15],
  [19, 22, 10, 0, 17, 13, 0, 911, 9, 1],
  [11, 16, 19, 21, 5, 14, 0, 6, 908, 20],
  [14, 12, 16, 12, 24, 18, 0, 3, 13, 920],
];
const FASHION_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/**
 * Printed by scikit-learn 1.2.1's classification_report(y_true, y_pred, labels=range(n),
 * target_names=names, digits=…) for the images each matrix counts (Debian's, the newest this
 * machine has), but `half`: see there.
 */
const SKLEARN_REPORTS = {
  fashion: {
    matrix: FASHION_MATRIX,
    names: FASHION_NAMES,
    digits: 2,
    text: [
      '              precision    recall  f1-score   support',
      '',
      ' T-shirt/top       0.90      0.91      0.90      1003',
      '     Trouser       0.87      0.92      0.89       988',
      '    Pullover       0.89      0.89      0.89      1029',
      '       Dress       0.00      0.00      0.00        80',
      '        Coat       0.89      0.90      0.89      1016',
      '      Sandal       0.90      0.90      0.90      1005',
      '       Shirt       0.00      0.00      0.00        99',
      '     Sneaker       0.89      0.91      0.90      1002',
      '         Bag       0.92      0.89      0.90      1020',
      '  Ankle boot       0.90      0.89      0.89      1032',
      '',
      '    accuracy                           0.88      8274',
      '   macro avg       0.72      0.72      0.72      8274',
      'weighted avg       0.88      0.88      0.88      8274',
      '',
    ].join('\n'),
  },
  fashion4: {
    matrix: FASHION_MATRIX,
    names: FASHION_NAMES,
    digits: 4,
    text: [
      '              precision    recall  f1-score   support',
      '',
      ' T-shirt/top     0.9002    0.9083    0.9042      1003',
      '     Trouser     0.8675    0.9211    0.8935       988',
      '    Pullover     0.8949    0.8941    0.8945      1029',
      '       Dress     0.0000    0.0000    0.0000        80',
      '        Coat     0.8889    0.8976    0.8932      1016',
      '      Sandal     0.8979    0.9015    0.8997      1005',
      '       Shirt     0.0000    0.0000    0.0000        99',
      '     Sneaker     0.8870    0.9092    0.8980      1002',
      '         Bag     0.9190    0.8902    0.9044      1020',
      '  Ankle boot     0.8984    0.8915    0.8949      1032',
      '',
      '    accuracy                         0.8820      8274',
      '   macro avg     0.7154    0.7213    0.7182      8274',
      'weighted avg     0.8750    0.8820    0.8784      8274',
      '',
    ].join('\n'),
  },
  ties: {
    matrix: [[1, 7, 0], [3, 5, 0], [4, 3, 5]],
    names: ['a', 'b', 'a class with a long name'],
    digits: 2,
    text: [
      '                          precision    recall  f1-score   support',
      '',
      '                       a       0.12      0.12      0.12         8',
      '                       b       0.33      0.62      0.43         8',
      'a class with a long name       1.00      0.42      0.59        12',
      '',
      '                accuracy                           0.39        28',
      '               macro avg       0.49      0.39      0.38        28',
      '            weighted avg       0.56      0.39      0.41        28',
      '',
    ].join('\n'),
  },
  // Class a: 5 right of 7, 9 predicted. scikit-learn 1.4 and later (the learner's Colab) take
  // F1 from the counts, 2·5 / (7 + 9) = 0.625 exactly, and print 0.62 (half to even); 1.2.1
  // took the harmonic mean of 5/9 and 5/7, 0.6250000000000001, and printed 0.63. Its other
  // lines are 1.2.1's, which no F1 of an exact half reaches.
  half: {
    matrix: [[5, 2], [4, 0]],
    names: ['a', 'b'],
    digits: 2,
    text: [
      '              precision    recall  f1-score   support',
      '',
      '           a       0.56      0.71      0.62         7',
      '           b       0.00      0.00      0.00         4',
      '',
      '    accuracy                           0.45        11',
      '   macro avg       0.28      0.36      0.31        11',
      'weighted avg       0.35      0.45      0.40        11',
      '',
    ].join('\n'),
  },
} as const;

describe('classificationReport', () => {
  it.each(Object.entries(SKLEARN_REPORTS))("prints scikit-learn's report to the character: %s", (_, { matrix, names, digits, text }) => {
    expect(classificationReport(matrix, names, digits)).toBe(text);
  });

  it('rounds an exact half to even as Python does, and anything else to nearest', () => {
    expect([0.125, 0.375, 0.625, 0.875, 0.5, 0.25].map((x) => pythonFixed(x, 2))).toEqual(['0.12', '0.38', '0.62', '0.88', '0.50', '0.25']);
    expect([0.12500001, 1 / 3, 2 / 3, 0, 1].map((x) => pythonFixed(x, 2))).toEqual(['0.13', '0.33', '0.67', '0.00', '1.00']);
    expect([2.5, 3.5, 0.5].map((x) => pythonFixed(x, 0))).toEqual(['2', '4', '0']);
  });

  it("rounds a recall of k of 1,000 test images as Python's '%.2f' does: 0.815 is stored below its half", () => {
    // Printed by Python 3.11: ','.join('%.2f' % (k / 1000) for k in range(5, 1000, 10)).
    const python =
      '0.01,0.01,0.03,0.04,0.04,0.06,0.07,0.07,0.09,0.10,0.10,0.12,0.12,0.14,0.14,0.15,0.17,0.17,0.18,0.20,0.20,0.21,0.23,0.23,0.24,0.26,0.27,0.28,0.28,0.29,0.30,0.32,0.33,0.34,0.34,0.35,0.36,0.38,0.39,0.40,0.41,0.41,0.42,0.43,0.45,0.46,0.47,0.47,0.48,0.49,0.51,0.52,0.53,0.54,0.55,0.56,0.56,0.57,0.58,0.59,0.60,0.61,0.62,0.64,0.65,0.66,0.67,0.68,0.69,0.69,0.70,0.71,0.72,0.73,0.74,0.76,0.77,0.78,0.79,0.80,0.81,0.81,0.82,0.83,0.84,0.85,0.86,0.88,0.89,0.90,0.91,0.92,0.93,0.94,0.94,0.95,0.96,0.97,0.98,0.99';
    expect(Array.from({ length: 100 }, (_, i) => pythonFixed((10 * i + 5) / 1000, 2)).join(',')).toBe(python);
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

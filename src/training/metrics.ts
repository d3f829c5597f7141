/**
 * Classification metrics from predictions: the confusion matrix, per-class precision,
 * recall and F1, and the most confident mistakes. Pure numbers; no tfjs.
 */
import type { ClassMetrics } from './protocol';

/** counts[t][p]: how many images of true class t were predicted as p. */
export function confusionMatrix(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  const n = Math.min(trueLabels.length, predicted.length);
  for (let i = 0; i < n; i++) {
    const row = matrix[trueLabels[i] ?? 0];
    const p = predicted[i] ?? 0;
    if (row && p < classCount) row[p] = (row[p] ?? 0) + 1;
  }
  return matrix;
}

/**
 * Per class: precision = correct / predicted as it (column sum), recall = correct / truly it
 * (row sum), F1 their harmonic mean, support the row sum. A ratio with nothing to divide by
 * (a class never predicted, or absent) is 0, as scikit-learn reports it.
 */
export function perClassMetrics(matrix: readonly (readonly number[])[]): ClassMetrics[] {
  return matrix.map((row, c) => {
    const correct = row[c] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, r) => sum + (r[c] ?? 0), 0);
    const precision = predicted === 0 ? 0 : correct / predicted;
    const recall = support === 0 ? 0 : correct / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
}

/** Fraction on the diagonal. */
export function accuracyFromMatrix(matrix: readonly (readonly number[])[]): number {
  let correct = 0;
  let total = 0;
  matrix.forEach((row, t) => {
    row.forEach((count, p) => {
      total += count;
      if (t === p) correct += count;
    });
  });
  return total === 0 ? 0 : correct / total;
}

/**
 * Indices of wrongly classified images, the most confident first: ranked by the probability
 * the model gave its (wrong) predicted class. `probabilities` holds `classCount` values per
 * image; `predictions` each image's predicted class (the highest output, as the confusion
 * matrix counts it).
 */
export function mostConfidentMistakes(probabilities: ArrayLike<number>, predictions: ArrayLike<number>, classCount: number, trueLabels: ArrayLike<number>, k: number): number[] {
  const mistakes: { index: number; confidence: number }[] = [];
  for (let i = 0; i < predictions.length; i++) {
    const predicted = predictions[i] ?? 0;
    if (predicted !== trueLabels[i]) mistakes.push({ index: i, confidence: probabilities[i * classCount + predicted] ?? 0 });
  }
  return mistakes.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, k).map((m) => m.index);
}

/**
 * Classification metrics from predictions: the confusion matrix, per-class precision,
 * recall and F1 (and scikit-learn's classification report of them), and the most confident
 * mistakes. Pure numbers; no tfjs.
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
 *
 * F1 is taken from the counts, 2·correct / (support + predicted), as scikit-learn 1.4 and later
 * compute it: the harmonic mean of the two rounded ratios can land a hair off an exact half
 * (0.6250000000000001 for 5 right of 7, 9 predicted), and the report then prints 0.63 where
 * scikit-learn prints 0.62.
 */
export function perClassMetrics(matrix: readonly (readonly number[])[]): ClassMetrics[] {
  return matrix.map((row, c) => {
    const correct = row[c] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, r) => sum + (r[c] ?? 0), 0);
    const precision = predicted === 0 ? 0 : correct / predicted;
    const recall = support === 0 ? 0 : correct / support;
    const f1 = support + predicted === 0 ? 0 : (2 * correct) / (support + predicted);
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

/**
 * scikit-learn's `classification_report(y_true, y_pred, target_names=names)` as it prints it,
 * from the confusion matrix: a row per class (precision, recall, F1, support), then accuracy,
 * the macro average (each class counts once) and the support-weighted average. Names are
 * right-aligned to the longest of them and "weighted avg"; figures have `digits` decimals,
 * rounded as Python's format rounds (an exact half to even: 0.125 → 0.12).
 */
export function classificationReport(matrix: readonly (readonly number[])[], names: readonly string[], digits = 2): string {
  const perClass = perClassMetrics(matrix);
  const total = perClass.reduce((sum, c) => sum + c.support, 0);
  const width = Math.max(...names.map((name) => name.length), 'weighted avg'.length, digits);
  const right = (text: string, size: number): string => text.padStart(size);
  const row = (heading: string, figures: readonly (number | null)[], support: number): string =>
    `${right(heading, width)} ${figures.map((f) => ` ${right(f === null ? '' : pythonFixed(f, digits), 9)}`).join('')} ${right(String(support), 9)}\n`;
  const mean = (pick: (c: ClassMetrics) => number, weight: (c: ClassMetrics) => number): number => {
    const weights = perClass.reduce((sum, c) => sum + weight(c), 0);
    return weights === 0 ? 0 : perClass.reduce((sum, c) => sum + pick(c) * weight(c), 0) / weights;
  };
  const averages = (weight: (c: ClassMetrics) => number): number[] => [mean((c) => c.precision, weight), mean((c) => c.recall, weight), mean((c) => c.f1, weight)];
  return [
    `${right('', width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ` ${right(h, 9)}`).join('')}\n\n`,
    ...perClass.map((c, i) => row(names[i] ?? String(i), [c.precision, c.recall, c.f1], c.support)),
    '\n',
    row('accuracy', [null, null, accuracyFromMatrix(matrix)], total),
    row('macro avg', averages(() => 1), total),
    row('weighted avg', averages((c) => c.support), total),
  ].join('');
}

/**
 * Python's `f'{x:.{digits}f}'`: both round the number's exact binary value, so 0.815 (stored
 * as 0.81499999…) is "0.81" in both. They differ only on an exact half (0.125, stored exactly):
 * toFixed rounds it up, Python to the even digit ("0.12"). toFixed(100) spells the exact value
 * of any double this report holds (a ratio of counts), which tells an exact half apart.
 */
export function pythonFixed(x: number, digits: number): string {
  const exact = x.toFixed(100);
  const point = exact.indexOf('.');
  if (!/^50*$/.test(exact.slice(point + 1 + digits))) return x.toFixed(digits);
  const kept = digits === 0 ? exact.slice(0, point) : exact.slice(0, point + 1 + digits);
  return Number(kept.at(-1)) % 2 === 0 ? kept : x.toFixed(digits);
}

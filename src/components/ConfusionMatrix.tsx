/**
 * The confusion matrix as a heatmap table (rows: true class, columns: predicted), with counts
 * and row-normalised percentages, each class's recall at the end of its row, its precision and
 * F1 under its column (where each is computed from), scikit-learn's classification report of
 * the same figures, and the test images of a clicked cell below.
 * Column headings run upwards, so that Fashion-MNIST's names ("T-shirt/top") do not widen the
 * columns: the matrix fits the builder's column at 1280 px. Its cells are one stop for Tab, and
 * the arrow keys (Home, End; with Ctrl, the matrix's corners) move between them: a hundred
 * cells were a hundred Tab presses.
 */
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { imageAt, type Dataset } from '../data/dataset';
import { useAppStore } from '../store';
import { classificationReport } from '../training/metrics';
import type { ClassMetrics, Evaluation } from '../training/protocol';
import { shareTint } from './contrast';
import { DigitImage } from './DigitImage';
import { counted, grouped } from './words';

const CELL_IMAGES = 60;
/** The per-class rows under the columns: each predicted class's precision and F1. */
const FOOTER_ROWS = [
  ['precision', 'precision'],
  ['F1', 'f1'],
] as const satisfies readonly (readonly [string, keyof ClassMetrics])[];
/** Up to this many classes the matrix shows whole; a user's dataset with more scrolls in its box. */
const WHOLE_UP_TO = 12;

interface ConfusionMatrixProps {
  readonly evaluation: Evaluation;
  readonly dataset: Dataset;
}

/** Memoised: its props change once per run, not with every streamed batch. */
export const ConfusionMatrix = memo(function ConfusionMatrix({ evaluation, dataset }: ConfusionMatrixProps) {
  const [picked, setPicked] = useState<{ truth: number; predicted: number } | null>(null);
  // The one cell Tab reaches: the last one the arrows or a click went to.
  const [chosen, setChosen] = useState({ truth: 0, predicted: 0 });
  const table = useRef<HTMLTableElement>(null);
  const figure = useRef<HTMLElement>(null);
  const announce = useAppStore((state) => state.announce);
  const names = dataset.classNames;
  const last = names.length - 1;
  // Within this matrix: another run's may have fewer classes than the cells last used.
  const current = { truth: Math.min(chosen.truth, last), predicted: Math.min(chosen.predicted, last) };
  const cell = picked !== null && picked.truth <= last && picked.predicted <= last ? picked : null;
  const pick = (to: { truth: number; predicted: number } | null): void => {
    setPicked(to);
    if (to !== null) {
      const total = evaluation.confusion[to.truth]?.[to.predicted] ?? 0;
      announce(`${cellWords(names, to.truth, to.predicted, total)}${total > 0 ? ', under the matrix.' : ''}`);
    } else if (cell !== null) announce(`Closed the test images of ${names[cell.truth] ?? cell.truth} predicted as ${names[cell.predicted] ?? cell.predicted}.`);
  };
  // The images are below the matrix, often below the window: brought into view (their caption
  // only, where they are taller than half the window, so that the cell stays in view too).
  useEffect(() => {
    const shown = figure.current;
    if (cell === null || shown === null) return;
    const tall = shown.getBoundingClientRect().height > window.innerHeight / 2;
    (tall ? (shown.querySelector('figcaption') ?? shown) : shown).scrollIntoView({ block: 'nearest' });
  }, [cell]);
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>): void => {
    if (event.key === 'Escape' && cell !== null) {
      event.preventDefault();
      pick(null);
      return;
    }
    // Alt with an arrow is the browser's Back and Forward.
    if (event.altKey) return;
    const to = cellAfterKey(event.key, event.ctrlKey || event.metaKey, current, last);
    if (to === null) return;
    event.preventDefault();
    setChosen(to);
    table.current?.querySelector<HTMLButtonElement>(`button[data-cell="${to.truth},${to.predicted}"]`)?.focus();
  };
  const { confusion, perClass } = evaluation;
  const images = cell === null ? [] : cellImages(evaluation, dataset, cell.truth, cell.predicted);
  return (
    <section className="confusion" aria-labelledby="confusion-heading">
      <h3 id="confusion-heading">Confusion matrix ({counted(evaluation.count, 'test image')})</h3>
      <div className={names.length <= WHOLE_UP_TO ? 'table-scroll whole' : 'table-scroll'}>
        {/* The keys belong to the cells' buttons; the table only hears them bubble up. */}
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
        <table className="confusion-table" ref={table} onKeyDown={onKeyDown}>
          <caption>Rows: true class. Columns: predicted class. Each cell: count and share of its row; click one (or reach it with the arrow keys) to see its test images.</caption>
          <thead>
            <tr>
              <th scope="col">true ↓ / predicted →</th>
              {names.map((name) => (
                <th key={name} scope="col" className="predicted">
                  <span>{name}</span>
                </th>
              ))}
              <th scope="col">recall</th>
            </tr>
          </thead>
          <tbody>
            {confusion.map((row, t) => {
              const total = row.reduce((a, b) => a + b, 0);
              return (
                <tr key={t}>
                  <th scope="row">{names[t]}</th>
                  {row.map((count, p) => {
                    const share = total === 0 ? 0 : count / total;
                    const diagonal = t === p;
                    const style = count === 0 ? undefined : shareTint(diagonal, share);
                    return (
                      <td key={p} className={diagonal ? 'diag' : undefined} style={style}>
                        <button
                          type="button"
                          aria-label={`${counted(count, 'image')} of ${names[t] ?? t} predicted as ${names[p] ?? p} (${(share * 100).toFixed(1)}% of the row). Show them`}
                          aria-pressed={cell?.truth === t && cell.predicted === p}
                          tabIndex={current.truth === t && current.predicted === p ? 0 : -1}
                          onClick={() => {
                            pick(cell?.truth === t && cell.predicted === p ? null : { truth: t, predicted: p });
                            setChosen({ truth: t, predicted: p });
                          }}
                          data-cell={`${t},${p}`}
                          data-count={count}
                        >
                          <span>{grouped(count)}</span>
                          {/* One decimal, as the recall and precision beside it: a diagonal cell and its recall are one figure. */}
                          <small>{(share * 100).toFixed(1)}%</small>
                        </button>
                      </td>
                    );
                  })}
                  <td className="num">{((perClass[t]?.recall ?? 0) * 100).toFixed(1)}%</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            {FOOTER_ROWS.map(([label, metric]) => (
              <tr key={metric}>
                <th scope="row">{label}</th>
                {names.map((name, p) => (
                  <td key={name} className="num">
                    {((perClass[p]?.[metric] ?? 0) * 100).toFixed(1)}%
                  </td>
                ))}
                <td />
              </tr>
            ))}
          </tfoot>
        </table>
      </div>
      {cell !== null && (
        <figure className="cell-images" ref={figure}>
          <figcaption>{cellWords(names, cell.truth, cell.predicted, confusion[cell.truth]?.[cell.predicted] ?? 0)}</figcaption>
          <ul className="image-strip">
            {images.map((index) => (
              <li key={index}>
                <DigitImage pixels={imageAt(dataset.test, index)} width={dataset.test.width} height={dataset.test.height} size={42} label={`test image ${index}`} />
              </li>
            ))}
          </ul>
        </figure>
      )}
      <details className="classification-report">
        <summary>The same figures as scikit-learn&apos;s classification_report prints them</summary>
        <p className="muted">
          In the notebook, after the tf.keras code: <code>y_pred = model.predict(x_test).argmax(axis=1)</code>, then{' '}
          <code>print(classification_report(y_test, y_pred, labels=range({names.length}), target_names=class_names))</code> from{' '}
          <code>sklearn.metrics</code>, with <code>y_test</code> as class numbers (<code>.argmax(axis=1)</code> of one-hot labels) and <code>class_names</code> the{' '}
          {names.length} names below in order.
        </p>
        <pre className="keras-log scroll-x" role="region" tabIndex={0} aria-label="classification_report">
          {classificationReport(confusion, names)}
        </pre>
      </details>
    </section>
  );
});

/** The cell an arrow key (Home, End; with Ctrl, to the matrix's corners) moves to from `at`, in a matrix of classes 0 to `last`; null for any other key. */
export function cellAfterKey(key: string, ctrl: boolean, at: { readonly truth: number; readonly predicted: number }, last: number): { truth: number; predicted: number } | null {
  const clamp = (value: number): number => Math.min(Math.max(value, 0), last);
  switch (key) {
    case 'ArrowUp':
      return { truth: clamp(at.truth - 1), predicted: at.predicted };
    case 'ArrowDown':
      return { truth: clamp(at.truth + 1), predicted: at.predicted };
    case 'ArrowLeft':
      return { truth: at.truth, predicted: clamp(at.predicted - 1) };
    case 'ArrowRight':
      return { truth: at.truth, predicted: clamp(at.predicted + 1) };
    case 'Home':
      return { truth: ctrl ? 0 : at.truth, predicted: 0 };
    case 'End':
      return { truth: ctrl ? last : at.truth, predicted: last };
    default:
      return null;
  }
}

/** A cell's images in words: "Test images of 7 predicted as 7 (the first 60 of 112)", or that there are none. */
function cellWords(names: readonly string[], truth: number, predicted: number, total: number): string {
  const [t, p] = [names[truth] ?? String(truth), names[predicted] ?? String(predicted)];
  if (total === 0) return `No test image of ${t} was predicted as ${p}.`;
  return `Test images of ${t} predicted as ${p}${total > CELL_IMAGES ? ` (the first ${CELL_IMAGES} of ${grouped(total)})` : ''}`;
}

function cellImages(evaluation: Evaluation, dataset: Dataset, truth: number, predicted: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < evaluation.predictions.length && out.length < CELL_IMAGES; i++) {
    if (dataset.test.labels[i] === truth && evaluation.predictions[i] === predicted) out.push(i);
  }
  return out;
}

/**
 * Test images, numbered as the test set counts them (a tutorial's `test_images[i]`), with
 * their true and predicted class and a small bar chart of the softmax probabilities. Right and
 * wrong are marked with a symbol and words, not colour alone; a filter shows only the wrong
 * ones, or the most confident mistakes.
 */
import { memo, useState } from 'react';
import { imageAt, type Dataset } from '../data/dataset';
import type { Evaluation } from '../training/protocol';
import { DigitImage } from './DigitImage';
import type { ModelSpec } from '../training/spec';
import { counted, grouped, probability, probabilityWords } from './words';

type Filter = 'all' | 'wrong' | 'confident';

const FILTERS = {
  all: 'Sample of test images',
  wrong: 'Wrong among the sample',
  confident: 'Most confident mistakes',
} as const satisfies Record<Filter, string>;

interface Card {
  readonly index: number;
  readonly probabilities: Float32Array;
}

/** How many test images the model got wrong, of how many: off its confusion matrix's diagonal. */
function mistakes(evaluation: Evaluation): { readonly wrong: number; readonly of: number } {
  const right = evaluation.confusion.reduce((sum, row, t) => sum + (row[t] ?? 0), 0);
  return { wrong: evaluation.count - right, of: evaluation.count };
}

/**
 * What the cards shown are, among the test set's mistakes: "Wrong among the sample" alone
 * showed 2 cards for a model that got 936 images wrong, and "No mistakes here." for one whose
 * first 48 images happened to be right.
 */
function shownWords(filter: Filter, shown: number, sample: number, all: { readonly wrong: number; readonly of: number }, wrongInSample: number): string {
  const overall = `${counted(all.wrong, 'mistake')} on all ${counted(all.of, 'test image')}`;
  if (filter === 'confident') return all.wrong === 0 ? 'No mistakes: every test image is right.' : `The ${shown === 1 ? 'mistake' : `${grouped(shown)} mistakes`} the model was surest of, of its ${overall}.`;
  const which = `The first ${counted(sample, 'test image')}`;
  if (wrongInSample === 0) return `${which}: none of them wrong (${overall}).`;
  return `${which}: ${grouped(wrongInSample)} of them wrong (${overall}).`;
}

function cards(evaluation: Evaluation, classCount: number, filter: Filter, labels: Uint8Array): Card[] {
  const from = (indices: Int32Array, probs: Float32Array): Card[] =>
    Array.from(indices, (index, i) => ({ index, probabilities: probs.subarray(i * classCount, (i + 1) * classCount) }));
  if (filter === 'confident') return from(evaluation.mistakeIndices, evaluation.mistakeProbabilities);
  const sample = from(evaluation.sampleIndices, evaluation.sampleProbabilities);
  return filter === 'wrong' ? sample.filter((card) => evaluation.predictions[card.index] !== labels[card.index]) : sample;
}

/** Memoised: its props change once per run, not with every streamed batch. */
export const PredictionGrid = memo(function PredictionGrid({ evaluation, dataset, spec }: { readonly evaluation: Evaluation; readonly dataset: Dataset; readonly spec: Pick<ModelSpec, 'layers' | 'compile'> }) {
  const [filter, setFilter] = useState<Filter>('all');
  const names = dataset.classNames;
  const shown = cards(evaluation, names.length, filter, dataset.test.labels);
  const all = mistakes(evaluation);
  const wrongInSample = Array.from(evaluation.sampleIndices).filter((i) => evaluation.predictions[i] !== dataset.test.labels[i]).length;
  return (
    <section className="prediction-grid" aria-labelledby="predictions-heading">
      <h3 id="predictions-heading">Predictions on test images</h3>
      <fieldset className="filters">
        <legend>Show</legend>
        {(Object.keys(FILTERS) as Filter[]).map((key) => (
          <label key={key}>
            <input type="radio" name="prediction-filter" checked={filter === key} onChange={() => setFilter(key)} />
            {FILTERS[key]}
          </label>
        ))}
      </fieldset>
      <p className="muted" data-testid="prediction-count">
        {shownWords(filter, shown.length, evaluation.sampleIndices.length, all, wrongInSample)}
      </p>
      <p className="muted" data-testid="probability-words">
        {probabilityWords(spec)} Each card’s bars: the true class in blue, a wrong prediction in red, as the tutorials’ plot_value_array draws them.
      </p>
      <ul className="cards">
        {shown.map(({ index, probabilities }) => {
          const truth = dataset.test.labels[index] ?? 0;
          const predicted = evaluation.predictions[index] ?? 0;
          const correct = truth === predicted;
          return (
            <li key={index} className={correct ? 'card correct' : 'card wrong'} aria-label={`Test image ${index}`}>
              <p className="muted" aria-hidden="true">
                #{index}
              </p>
              <DigitImage pixels={imageAt(dataset.test, index)} width={dataset.test.width} height={dataset.test.height} size={56} label={`test image ${index}`} />
              <p className="verdict">
                <span aria-hidden="true">{correct ? '✓' : '✗'}</span> {correct ? 'right' : 'wrong'}
              </p>
              <p>
                true: <strong>{names[truth]}</strong>
                <br />
                predicted: <strong>{names[predicted]}</strong> ({probability(probabilities[predicted] ?? 0)})
              </p>
              <ol className="bars" aria-label="Probabilities">
                {names.map((name, c) => {
                  const p = probabilities[c] ?? 0;
                  return (
                    <li key={name} data-probability={p} className={c === truth ? 'true-class' : c === predicted ? 'wrong-prediction' : undefined}>
                      <span className="bar-label">{name}</span>
                      <span className="bar" style={{ width: `${Math.max(1, p * 100)}%` }} aria-hidden="true" />
                      <span className="bar-value">{probability(p)}</span>
                    </li>
                  );
                })}
              </ol>
            </li>
          );
        })}
      </ul>
    </section>
  );
});

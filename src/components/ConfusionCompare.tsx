/**
 * Confusion matrices side by side on one colour scale (each cell's share of its true class),
 * and the difference between two of them, so a user sees which classes one model fixes over
 * another. Better and worse are said in text as well as colour.
 */
import { memo } from 'react';
import type { Run } from '../store';
import { confusionDifference, rowShares } from '../store/compare';
import { confusionTint, shareTint } from './contrast';
import { RunSwatch } from './RunMarker';

/**
 * A small matrix's headings: the predicted classes by number, so that ten columns fit a phone
 * (Fashion-MNIST's names made the difference matrix 410 px wide), each named in full to
 * assistive technology and on hover; the rows name the true classes in the same order.
 */
function ColumnHeadings({ names }: { readonly names: readonly string[] }) {
  return (
    <>
      <th scope="col" className="corner">
        true ↓ / pred. →
      </th>
      {names.map((name, p) => (
        <th key={p} scope="col" title={name}>
          {name === String(p) ? (
            name
          ) : (
            <>
              <span aria-hidden="true">{p}</span>
              <span className="sr-only">{name}</span>
            </>
          )}
        </th>
      ))}
    </>
  );
}

/** A row's heading: its true class's name, after the number that heads its column where the name is not that number ("0 T-shirt/top"), so that a phone, with no hover, can match them. */
function RowHeading({ names, index }: { readonly names: readonly string[]; readonly index: number }) {
  const name = names[index] ?? String(index);
  return (
    <th scope="row" title={name}>
      {name === String(index) ? name : `${index} ${name}`}
    </th>
  );
}

/** What a matrix shows of a run: a training run's other fields change with every batch, and redrew every matrix with them. */
const sameMatrix = (a: Run, b: Run): boolean =>
  a.evaluation === b.evaluation && a.name === b.name && a.color === b.color && a.classNames === b.classNames && a.datasetId === b.datasetId && a.datasetName === b.datasetName;

const SmallMatrix = memo(function SmallMatrix({ run }: { readonly run: Run }) {
  const evaluation = run.evaluation;
  if (!evaluation) return null;
  const names = run.classNames;
  const rows = rowShares(evaluation.confusion);
  return (
    <figure className="small-confusion">
      <figcaption>
        <RunSwatch color={run.color} /> {run.name}: {(evaluation.accuracy * 100).toFixed(2)}%
      </figcaption>
      <div className="scroll-x">
        <table className="mini-matrix" aria-label={`Confusion matrix of ${run.name}, counts`}>
          <thead>
            <tr>
              <ColumnHeadings names={names} />
            </tr>
          </thead>
          <tbody>
            {evaluation.confusion.map((row, t) => (
              <tr key={t}>
                <RowHeading names={names} index={t} />
                {row.map((count, p) => {
                  const share = rows[t]?.[p] ?? 0;
                  return (
                    <td key={p} style={count === 0 ? undefined : shareTint(t === p, share)}>
                      {count}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}, (before, after) => sameMatrix(before.run, after.run));

/**
 * A difference's size in percentage points: one decimal under 10, whole from 10 up (a change
 * that big needs no tenth, and "+100" fits a phone's column where "+100.0" did not).
 */
export const pointsWords = (points: number): string => Math.abs(points).toFixed(Math.abs(points) >= 9.95 ? 0 : 1);

const DifferenceMatrix = memo(function DifferenceMatrix({ a, b }: { readonly a: Run; readonly b: Run }) {
  if (a.datasetId !== b.datasetId) {
    return (
      <p data-testid="difference-refused">
        {a.name} learnt {a.datasetName} and {b.name} learnt {b.datasetName}: their classes are not the same, so their matrices cannot be subtracted. Pick two runs
        on one dataset.
      </p>
    );
  }
  if (!a.evaluation || !b.evaluation) return <p>Both runs need a test evaluation to compare their confusion matrices.</p>;
  const diff = confusionDifference(a.evaluation.confusion, b.evaluation.confusion);
  if (diff === null) return <p>These runs have different numbers of classes; their matrices cannot be subtracted.</p>;
  const names = b.classNames;
  return (
    <figure className="difference-matrix">
      <figcaption>
        {b.name} minus {a.name}, in percentage points of each true class. “better”: {b.name} gets that class right more often (diagonal) or makes that mistake less often
        (elsewhere).
      </figcaption>
      <div className="table-scroll">
        <table className="mini-matrix" aria-label={`Confusion difference, ${b.name} minus ${a.name}`}>
          <thead>
            <tr>
              <ColumnHeadings names={names} />
            </tr>
          </thead>
          <tbody>
            {diff.map((row, t) => (
              <tr key={t}>
                <RowHeading names={names} index={t} />
                {row.map((value, p) => {
                  const points = value * 100;
                  if (Math.abs(points) < 0.05) return <td key={p}>·</td>;
                  const better = t === p ? points > 0 : points < 0;
                  return (
                    <td key={p} className={better ? 'better' : 'worse'} style={confusionTint(better, 0.15 + Math.abs(points) / 10)}>
                      {points > 0 ? '+' : '−'}
                      {pointsWords(points)}
                      <span className="sr-only">{better ? ' better' : ' worse'}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}, (before, after) => sameMatrix(before.a, after.a) && sameMatrix(before.b, after.b));

interface ConfusionCompareProps {
  readonly runs: readonly Run[];
  readonly pair: readonly [Run, Run] | null;
}

export function ConfusionCompare({ runs, pair }: ConfusionCompareProps) {
  const evaluated = runs.filter((run) => run.evaluation !== null);
  return (
    <section className="confusion-compare" aria-labelledby="confusion-compare-heading">
      <h3 id="confusion-compare-heading">Confusion matrices</h3>
      {evaluated.length === 0 ? (
        <p>Confusion matrices appear as runs are evaluated on the test set.</p>
      ) : (
        <div className="small-multiples">
          {evaluated.map((run) => (
            <SmallMatrix key={run.id} run={run} />
          ))}
        </div>
      )}
      {pair && <DifferenceMatrix a={pair[0]} b={pair[1]} />}
    </section>
  );
}

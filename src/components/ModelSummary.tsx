/**
 * `model.summary()` for the model being edited, updated as it changes; it stops at a layer in
 * error, as Keras's build would. With random shifts on, it lists the exported code's
 * RandomTranslation (and Reshape) first, as the learner's notebook prints them.
 */
import { memo } from 'react';
import { formatShape, type ModelSummary as Summary, type SummaryRow } from '../training/shapes';
import { grouped } from './words';

/** Keras's `readable_memory_size`: the largest unit (of 1024) that keeps the number at 1 or more, "0.00 B" for none. */
function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit] ?? 'GB'}`;
}

interface ModelSummaryProps {
  readonly summary: Summary;
  /** Layers the exported code adds before the model's own for random shifts (`augmentationRows`). */
  readonly augmentation: readonly SummaryRow[];
}

export const ModelSummary = memo(function ModelSummary({ summary, augmentation }: ModelSummaryProps) {
  const { stoppedAt } = summary;
  // A layer in error leaves the totals unknown: "0 (0.00 B)" beside an invalid first layer read as a result.
  const total = (params: number): string => (stoppedAt === null ? `${grouped(params)} (${bytes(params * 4)})` : '– (not known until every layer is valid)');
  return (
    <section className="model-summary" aria-labelledby="summary-heading">
      <h3 id="summary-heading">
        Model: &quot;sequential&quot; <span className="muted">(model.summary())</span>
      </h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Layer (type)</th>
            <th scope="col">Output Shape</th>
            <th scope="col">Param #</th>
          </tr>
        </thead>
        <tbody>
          {[...augmentation, ...summary.rows].map((row) => (
            <tr key={row.name}>
              <td>
                <code>
                  {row.name} ({row.type})
                </code>
              </td>
              <td>
                <code>{formatShape(row.outputShape)}</code>
              </td>
              <td className="num">{grouped(row.params)}</td>
            </tr>
          ))}
          {stoppedAt !== null && (
            <tr>
              <td colSpan={3} className="muted" data-testid="summary-stopped">
                Layer {stoppedAt + 1} and after: not summarised until the error in layer {stoppedAt + 1} is fixed.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {augmentation.length > 0 && (
        <p className="muted" data-testid="summary-augmentation">
          <code>random_translation</code> shifts the training images at random, in training only{augmentation.length > 1 && <>, and <code>reshape</code> makes each one a vector for the first Dense</>}
          . The playground does this to each training batch before its model instead: its model starts at the next layer, with the same parameters.
        </p>
      )}
      <dl className="totals">
        <dt>Total params</dt>
        <dd data-testid="total-params">{total(summary.totalParams)}</dd>
        <dt>Trainable params</dt>
        <dd>{total(summary.trainableParams)}</dd>
        <dt>Non-trainable params</dt>
        <dd>{total(summary.nonTrainableParams)}</dd>
      </dl>
      <p className="muted" data-testid="summary-functional">
        A tutorial&apos;s Functional model (<code>keras.Input</code>, then layers called on it) prints <code>Model: &quot;functional&quot;</code> and an <code>InputLayer</code> row with 0
        parameters first; a subclassed one (<code>class MyModel(Model)</code>) prints its layers once it has been built. The layers and counts are the same.
      </p>
    </section>
  );
});

/** `model.summary()` for the model being edited, updated as it changes. */
import { memo } from 'react';
import { formatShape, type ModelSummary as Summary } from '../training/shapes';

const count = (n: number): string => n.toLocaleString('en-US');

function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(2)} KB`;
}

export const ModelSummary = memo(function ModelSummary({ summary }: { readonly summary: Summary }) {
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
          {summary.rows.map((row) => (
            <tr key={row.name}>
              <td>
                <code>
                  {row.name} ({row.type})
                </code>
              </td>
              <td>
                <code>{formatShape(row.outputShape)}</code>
              </td>
              <td className="num">{count(row.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>Total params</dt>
        <dd data-testid="total-params">
          {count(summary.totalParams)} ({bytes(summary.totalBytes)})
        </dd>
        <dt>Trainable params</dt>
        <dd>
          {count(summary.trainableParams)} ({bytes(summary.trainableParams * 4)})
        </dd>
        <dt>Non-trainable params</dt>
        <dd>
          {count(summary.nonTrainableParams)} ({bytes(summary.nonTrainableParams * 4)})
        </dd>
      </dl>
    </section>
  );
});

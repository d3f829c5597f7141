/** The tf.keras code of the model being edited, data loading included, ready to paste into a notebook. */
import { memo, useMemo, useState } from 'react';
import { pythonCode, type PythonDataset } from '../training/pythonCode';
import type { ModelSpec } from '../training/spec';

export const PythonCode = memo(function PythonCode({ spec, dataset }: { readonly spec: ModelSpec; readonly dataset: PythonDataset }) {
  const code = useMemo(() => pythonCode(spec, dataset), [spec, dataset]);
  const lines = useMemo(() => code.split('\n'), [code]);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (): void => {
    navigator.clipboard.writeText(code).then(
      () => setCopied('Copied to the clipboard.'),
      () => setCopied('The browser did not allow copying: select the code and copy it by hand.'),
    );
  };
  return (
    <details className="python-code">
      <summary>The same model in tf.keras (Python)</summary>
      <div className="buttons">
        <button type="button" onClick={copy}>
          Copy code
        </button>
        <span role="status">{copied}</span>
      </div>
      {/* A scrolling region must take keyboard focus so it can be scrolled without a mouse. */}
      {/* Each line is its own block: a line too long for the column wraps, its continuation indented under it. */}
      <pre role="region" tabIndex={0} aria-label="tf.keras code for this model">
        <code>
          {lines.map((line, i) => (
            <span key={i} className="code-line">
              {line || ' '}
            </span>
          ))}
        </code>
      </pre>
    </details>
  );
});

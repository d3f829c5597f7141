/** One image's pixel values as a table (0–255, or normalised to [0, 1] like `x / 255.0`). */
import { useDeferredValue } from 'react';
import { imageAt, type Dataset } from '../data/dataset';
import { useAppStore } from '../store';
import { textOnGrey } from './contrast';
import { DigitImage } from './DigitImage';

export function PixelTable({ dataset }: { readonly dataset: Dataset }) {
  const index = useAppStore((state) => state.selectedImage);
  const normalized = useAppStore((state) => state.showNormalized);
  const setShowNormalized = useAppStore((state) => state.setShowNormalized);
  const { train } = dataset;
  const pixels = imageAt(train, index);
  const label = train.labels[index] ?? 0;
  const name = dataset.classNames[label] ?? String(label);
  const rows = Array.from({ length: train.height }, (_, y) => pixels.subarray(y * train.width, (y + 1) * train.width));
  // The 784 cells come in React's background render, after the rest of the dataset view has
  // been drawn: in the same task, the page froze ~130 ms as the data arrived.
  const tableShown = useDeferredValue(true, false);
  return (
    <section className="pixel-table" aria-labelledby="pixel-heading">
      <h3 id="pixel-heading">
        Pixels of training image {index} ({name})
      </h3>
      <div className="pixel-view">
        <DigitImage pixels={pixels} width={train.width} height={train.height} size={140} label={`training image ${index}, ${name}`} />
        <label className="toggle">
          <input type="checkbox" checked={normalized} onChange={(event) => setShowNormalized(event.target.checked)} />
          Show normalised to [0, 1] (<code>x / 255.0</code>)
        </label>
      </div>
      <div className="table-scroll">
        <table className={normalized ? 'pixels normalised' : 'pixels'}>
          <caption>
            {train.height} × {train.width} values, {normalized ? 'float32 in [0, 1]' : 'uint8 in 0–255'}
          </caption>
          <tbody>
            {tableShown && rows.map((row, y) => (
              <tr key={y}>
                {Array.from(row, (value, x) => (
                  <td key={x} style={{ background: `rgb(${value},${value},${value})`, color: textOnGrey(value) }}>
                    {normalized ? (value / 255).toFixed(2) : value}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

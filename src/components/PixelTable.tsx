/** One image's pixel values as a table (0–255, or normalised to [0, 1] like `x / 255.0`); of a large image, its middle 64 × 64. */
import { useDeferredValue } from 'react';
import { imageAt, type Dataset } from '../data/dataset';
import { useAppStore } from '../store';
import { textOnGrey } from './contrast';
import { DigitImage } from './DigitImage';

/** Most rows and columns the table draws: a user's 256×256 images made 65,536 cells, and ticking "normalised" took 2.4 s. */
export const MAX_PIXEL_SIDE = 64;

/** The part of a height × width image the table shows: all of it, or its middle `max` rows and columns. */
export function pixelWindow(height: number, width: number, max = MAX_PIXEL_SIDE): { top: number; left: number; rows: number; columns: number } {
  const rows = Math.min(height, max);
  const columns = Math.min(width, max);
  return { top: Math.floor((height - rows) / 2), left: Math.floor((width - columns) / 2), rows, columns };
}

export function PixelTable({ dataset }: { readonly dataset: Dataset }) {
  const index = useAppStore((state) => state.selectedImage);
  const normalized = useAppStore((state) => state.showNormalized);
  const setShowNormalized = useAppStore((state) => state.setShowNormalized);
  const { train } = dataset;
  const pixels = imageAt(train, index);
  const label = train.labels[index] ?? 0;
  const name = dataset.classNames[label] ?? String(label);
  const shown = pixelWindow(train.height, train.width);
  const extent =
    shown.rows === train.height && shown.columns === train.width
      ? `${train.height} × ${train.width} values`
      : `The middle ${shown.rows} × ${shown.columns} of its ${train.height} × ${train.width} values (rows ${shown.top}–${shown.top + shown.rows - 1}, columns ${shown.left}–${shown.left + shown.columns - 1})`;
  const rows = Array.from({ length: shown.rows }, (_, y) => {
    const start = (shown.top + y) * train.width + shown.left;
    return pixels.subarray(start, start + shown.columns);
  });
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
            {extent}, {normalized ? 'float32 in [0, 1]' : 'uint8 in 0–255'}
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

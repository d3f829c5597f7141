/** The first 25 training images in a 5×5 grid, titled with their class; pick one (a radio group) to inspect. */
import { useId, useState } from 'react';
import { imageAt, type Dataset } from '../data/dataset';
import { useAppStore } from '../store';
import { DigitImage } from './DigitImage';

const GRID = 25;

export function SampleGrid({ dataset }: { readonly dataset: Dataset }) {
  const selected = useAppStore((state) => state.selectedImage);
  const selectImage = useAppStore((state) => state.selectImage);
  // One radio group: a single tab stop, and the arrow keys move through the images.
  const group = useId();
  const { train } = dataset;
  const count = Math.min(GRID, train.count);
  // The tutorials' 5×5 plot draws them with cmap=plt.cm.binary: dark on white.
  const [binary, setBinary] = useState(false);
  return (
    <figure className="sample-grid">
      <figcaption>First {count} training images</figcaption>
      <label className="field check sample-colours">
        <input type="checkbox" checked={binary} onChange={(event) => setBinary(event.target.checked)} />
        Dark on white, as the tutorials plot them (cmap=plt.cm.binary)
      </label>
      <ul className="grid-5">
        {Array.from({ length: count }, (_, i) => {
          const label = train.labels[i] ?? 0;
          const name = dataset.classNames[label] ?? String(label);
          return (
            <li key={i}>
              <label className="sample">
                <input
                  type="radio"
                  name={group}
                  checked={selected === i}
                  onChange={() => selectImage(i)}
                  aria-label={`Training image ${i}: ${name}. Show its pixel values`}
                />
                <DigitImage pixels={imageAt(train, i)} width={train.width} height={train.height} size={56} label={`image ${i}, ${name}`} binary={binary} />
                <span className="sample-title">{name}</span>
              </label>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

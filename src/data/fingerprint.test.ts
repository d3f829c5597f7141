import { describe, expect, it } from 'vitest';
import type { ImageSet } from './dataset';
import { datasetFingerprint } from './fingerprint';

const split = (images: Uint8Array, labels: Uint8Array, height: number, width: number): ImageSet => ({ images, labels, count: labels.length, height, width });
const bytes = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 17) % 256);

describe('datasetFingerprint', () => {
  const train = split(bytes(3 * 5 * 7, 1), Uint8Array.from([0, 2, 1]), 5, 7);
  const test = split(bytes(5 * 7, 2), Uint8Array.from([1]), 5, 7);
  const print = datasetFingerprint({ train, test });

  it('is 16 hex digits, the same for the same content wherever its bytes lie in memory', () => {
    expect(print).toMatch(/^[0-9a-f]{16}$/);
    // The images at an odd offset in a larger buffer: read byte by byte, not as aligned words.
    const shifted = new Uint8Array(train.images.length + 1);
    shifted.set(train.images, 1);
    expect(datasetFingerprint({ train: { ...train, images: shifted.subarray(1) }, test })).toBe(print);
  });

  it('changes with any byte, label or shape', () => {
    const image = train.images.slice();
    image[image.length - 1] = (image[image.length - 1] ?? 0) ^ 1;
    expect(datasetFingerprint({ train: { ...train, images: image }, test })).not.toBe(print);
    expect(datasetFingerprint({ train: { ...train, labels: Uint8Array.from([0, 2, 2]) }, test })).not.toBe(print);
    // The same bytes as 7 × 5 images, and the splits swapped.
    expect(datasetFingerprint({ train: { ...train, height: 7, width: 5 }, test: { ...test, height: 7, width: 5 } })).not.toBe(print);
    expect(datasetFingerprint({ train: test, test: train })).not.toBe(print);
  });
});

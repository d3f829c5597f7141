import { describe, expect, it } from 'vitest';
import type { Dataset, ImageSet } from '../data/dataset';
import { datasetForPage, datasetTransferables } from './protocol';

const set = (shared: boolean): ImageSet => {
  const bytes = (length: number): Uint8Array => (shared ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length)).fill(7);
  return { images: bytes(2 * 4), labels: bytes(2), count: 2, height: 2, width: 2 };
};
const dataset = (shared: boolean): Dataset => ({ id: 'd', name: 'D', classNames: ['a', 'b'], train: set(shared), test: set(shared) });

describe('datasetForPage', () => {
  it('gives the page the same arrays when they are in shared memory, with nothing to transfer', () => {
    const worker = dataset(true);
    const page = datasetForPage(worker);
    expect(page).toBe(worker);
    expect(datasetTransferables(page)).toEqual([]);
  });

  it('gives the page copies to transfer when they are not, leaving the worker its own', () => {
    const worker = dataset(false);
    const page = datasetForPage(worker);
    expect(page.train.images).not.toBe(worker.train.images);
    expect(Array.from(page.test.labels)).toEqual(Array.from(worker.test.labels));
    const buffers = datasetTransferables(page);
    expect(buffers).toHaveLength(4);
    expect(buffers).not.toContain(worker.train.images.buffer);
  });
});

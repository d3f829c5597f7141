import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assembleDataset, type DatasetFiles } from './dataset';
import { DIGIT_CLASS_NAMES } from './datasets';
import { DataError } from './errors';
import { encodeIdx, parseIdx } from './idx';
import { assignUserFiles, loadUserDataset } from './load';

const file = (name: string, dims: number[], data: number[] | Uint8Array) => ({ name, idx: parseIdx(encodeIdx(dims, new Uint8Array(data)), name, dims.length) });

function files(overrides: Partial<DatasetFiles> = {}): DatasetFiles {
  return {
    trainImages: file('train-images', [3, 2, 2], new Uint8Array(12)),
    trainLabels: file('train-labels', [3], [0, 1, 2]),
    testImages: file('test-images', [2, 2, 2], new Uint8Array(8)),
    testLabels: file('test-labels', [2], [2, 0]),
    ...overrides,
  };
}

function failure(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('assembleDataset', () => {
  it('infers the class count from the training labels when no names are given', () => {
    const dataset = assembleDataset('c', 'Custom', files());
    expect(dataset.classNames).toEqual(['0', '1', '2']);
    expect(dataset.train).toMatchObject({ count: 3, height: 2, width: 2 });
  });

  it('rejects an image/label count mismatch, naming the labels file and its count field', () => {
    const error = failure(() => assembleDataset('c', 'C', files({ trainLabels: file('train-labels', [2], [0, 1]) })));
    expect(error).toMatchObject({ kind: 'count-mismatch', file: 'train-labels', offset: 4 });
    expect(error.message).toBe('train-labels, byte 4: expected 3 labels, one per image in train-images, found 2 labels');
  });

  it('rejects a label outside the class range at its byte', () => {
    const error = failure(() => assembleDataset('m', 'M', files({ testLabels: file('test-labels', [2], [1, 12]) }), DIGIT_CLASS_NAMES));
    expect(error).toMatchObject({ kind: 'label-out-of-range', file: 'test-labels', offset: 9 });
    expect(error.message).toContain('expected a class label from 0 to 9, found 12 (label 1)');
  });

  it('rejects test images of another size than the training images', () => {
    const error = failure(() => assembleDataset('c', 'C', files({ testImages: file('test-images', [2, 3, 2], new Uint8Array(12)) })));
    expect(error.kind).toBe('shape-mismatch');
  });
});

describe('user datasets', () => {
  it('tells images from labels by their dimensions and train from test by name', () => {
    const assigned = assignUserFiles([
      file('t10k-labels', [2], [0, 1]),
      file('train-images', [5, 2, 2], new Uint8Array(20)),
      file('t10k-images', [2, 2, 2], new Uint8Array(8)),
      file('train-labels', [5], [0, 1, 0, 1, 1]),
    ]);
    expect([assigned.trainImages.name, assigned.trainLabels.name, assigned.testImages.name, assigned.testLabels.name]).toEqual([
      'train-images',
      'train-labels',
      't10k-images',
      't10k-labels',
    ]);
  });

  it('falls back to the larger set being the training set when names say nothing', () => {
    const assigned = assignUserFiles([file('a', [2, 1, 1], [1, 2]), file('b', [9, 1, 1], new Uint8Array(9)), file('c', [9], new Uint8Array(9)), file('d', [2], [0, 0])]);
    expect(assigned.trainImages.name).toBe('b');
    expect(assigned.testLabels.name).toBe('d');
  });

  it('loads four raw or gzipped files of any size', async () => {
    const blob = (bytes: Uint8Array, name: string) => ({ name, stream: () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream() });
    const dataset = await loadUserDataset('u', 'Mine', [
      blob(gzipSync(encodeIdx([4, 5, 7], new Uint8Array(140))), 'train-images.gz'),
      blob(encodeIdx([4], new Uint8Array([0, 3, 1, 2])), 'train-labels'),
      blob(encodeIdx([1, 5, 7], new Uint8Array(35)), 'test-images'),
      blob(gzipSync(encodeIdx([1], new Uint8Array([3]))), 'test-labels.gz'),
    ]);
    expect(dataset.classNames).toHaveLength(4);
    expect(dataset.test).toMatchObject({ count: 1, height: 5, width: 7 });
  });

  it('asks for four files when given three', async () => {
    const blob = { name: 'only', stream: () => new Blob([]).stream() };
    await expect(loadUserDataset('u', 'Mine', [blob, blob, blob])).rejects.toMatchObject({ kind: 'missing-file', found: '3 files' });
  });
});

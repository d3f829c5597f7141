import { describe, expect, it } from 'vitest';
import { assembleDataset, classCounts, classRanges, emptyClasses, imageAt, inferClassCount, shapeText, type DatasetFiles } from './dataset';
import { DIGIT_CLASS_NAMES } from './datasets';
import { encodeIdx, parseIdx } from './idx';
import { expectDataError, syncDataErrorOf } from './testing';

const file = (name: string, dims: number[], data: readonly number[] | Uint8Array) => ({
  name,
  idx: parseIdx(encodeIdx(dims, Uint8Array.from(data)), name, dims.length),
});

/** A tiny consistent dataset: 3 train and 2 test images of 2 × 2, labels 0–2. */
function files(overrides: Partial<DatasetFiles> = {}): DatasetFiles {
  return {
    trainImages: file('train-images', [3, 2, 2], Uint8Array.from({ length: 12 }, (_, i) => i)),
    trainLabels: file('train-labels', [3], [0, 1, 2]),
    testImages: file('test-images', [2, 2, 2], new Uint8Array(8)),
    testLabels: file('test-labels', [2], [2, 0]),
    ...overrides,
  };
}

describe('assembleDataset', () => {
  it('keeps the given class names (the built-in 10 classes)', () => {
    const dataset = assembleDataset('mnist', 'MNIST', files(), DIGIT_CLASS_NAMES);
    expect(dataset.classNames).toEqual(DIGIT_CLASS_NAMES);
    expect(dataset.train).toMatchObject({ count: 3, height: 2, width: 2 });
    expect(dataset.test).toMatchObject({ count: 2, height: 2, width: 2 });
  });

  it('builds a custom 5 × 7 dataset whose class count comes from the training labels', () => {
    const dataset = assembleDataset('custom', 'Custom', {
      trainImages: file('train-images', [4, 5, 7], new Uint8Array(140)),
      trainLabels: file('train-labels', [4], [0, 3, 1, 3]),
      testImages: file('test-images', [1, 5, 7], new Uint8Array(35)),
      testLabels: file('test-labels', [1], [2]),
    });
    expect(dataset.classNames).toEqual(['0', '1', '2', '3']);
    expect(shapeText(dataset.train, 'images')).toBe('(4, 5, 7)');
    expect(shapeText(dataset.test, 'labels')).toBe('(1,)');
  });

  it('rejects an image/label count mismatch at the labels file’s count field', () => {
    const train = syncDataErrorOf(() => assembleDataset('c', 'C', files({ trainLabels: file('train-labels', [2], [0, 1]) })));
    expectDataError(train, 'count-mismatch', 'train-labels', 4);
    expect(train.message).toBe('train-labels, byte 4: expected 3 labels, one per image in train-images, found 2 labels');
    const test = syncDataErrorOf(() => assembleDataset('c', 'C', files({ testLabels: file('test-labels', [3], [0, 1, 1]) })));
    expectDataError(test, 'count-mismatch', 'test-labels', 4);
  });

  it('rejects a label outside the built-in 10 classes at that label’s byte', () => {
    const test = syncDataErrorOf(() => assembleDataset('m', 'M', files({ testLabels: file('test-labels', [2], [1, 12]) }), DIGIT_CLASS_NAMES));
    expectDataError(test, 'label-out-of-range', 'test-labels', 9);
    expect(test.message).toBe('test-labels, byte 9: expected a class label from 0 to 9, found 12, the label of image #1');
    const train = syncDataErrorOf(() => assembleDataset('m', 'M', files({ trainLabels: file('train-labels', [3], [10, 0, 0]) }), DIGIT_CLASS_NAMES));
    expectDataError(train, 'label-out-of-range', 'train-labels', 8);
    expect(() => assembleDataset('m', 'M', files({ trainLabels: file('train-labels', [3], [9, 0, 0]) }), DIGIT_CLASS_NAMES)).not.toThrow();
  });

  it('says that a byte counts the unzipped data when the file was gzip', () => {
    const labels = file('test-labels.gz', [2], [1, 12]);
    const gzipped = { ...labels, idx: { ...labels.idx, gzipped: true } };
    const error = syncDataErrorOf(() => assembleDataset('m', 'M', files({ testLabels: gzipped }), DIGIT_CLASS_NAMES));
    expectDataError(error, 'label-out-of-range', 'test-labels.gz', 9, true);
    expect(error.message).toBe('test-labels.gz, byte 9 of its unzipped data: expected a class label from 0 to 9, found 12, the label of image #1');
  });

  it('rejects a test label the inferred classes do not include', () => {
    const error = syncDataErrorOf(() => assembleDataset('c', 'C', files({ testLabels: file('test-labels', [2], [0, 3]) })));
    expectDataError(error, 'label-out-of-range', 'test-labels', 9);
    expect(error.expected).toBe('a class label from 0 to 2');
  });

  it('rejects training labels that are all 0: one class, nothing for a classifier to tell apart', () => {
    const error = syncDataErrorOf(() => assembleDataset('c', 'C', files({ trainLabels: file('train-labels', [3], [0, 0, 0]), testLabels: file('test-labels', [2], [0, 0]) })));
    expectDataError(error, 'one-class', 'train-labels', 8);
    expect(error.message).toBe('train-labels, byte 8: expected labels of at least 2 classes, for a classifier to tell apart, found only label 0, in all 3 training images');
  });

  it('rejects test images of another size than the training images, at the height field', () => {
    const error = syncDataErrorOf(() => assembleDataset('c', 'C', files({ testImages: file('test-images', [2, 3, 2], new Uint8Array(12)) })));
    expectDataError(error, 'shape-mismatch', 'test-images', 8);
    expect(error.message).toBe('test-images, byte 8: expected 2 × 2 images, like train-images, found 3 × 2');
  });
});

describe('dataset statistics', () => {
  it('counts classes, including classes with no examples', () => {
    expect(classCounts(Uint8Array.from([0, 2, 2, 1, 2]), 4)).toEqual([1, 1, 3, 0]);
    expect(inferClassCount(Uint8Array.from([0, 2, 7, 1]))).toBe(8);
  });

  it('finds the classes no training image has, and where the largest label that made them is', () => {
    expect(emptyClasses(assembleDataset('c', 'C', files()))).toBeNull();
    const stray = assembleDataset('c', 'C', files({ trainLabels: file('train-labels', [3], [0, 9, 1]) }));
    expect(stray.classNames).toHaveLength(10);
    expect(emptyClasses(stray)).toEqual({ empty: [2, 3, 4, 5, 6, 7, 8], largest: 9, byte: 9, where: 'byte 9 of train-labels' });
  });

  it("says that the largest label's byte counts the unzipped data when its file was gzip", () => {
    const zipped = file('train-labels.gz', [3], [0, 9, 1]);
    const stray = assembleDataset('c', 'C', files({ trainLabels: { ...zipped, idx: { ...zipped.idx, gzipped: true } } }));
    expect(emptyClasses(stray)?.where).toBe('byte 9 of the unzipped train-labels.gz');
  });

  it('writes class numbers as runs', () => {
    expect(classRanges([0, 4, 5, 6, 9])).toBe('0, 4–6, 9');
    expect(classRanges([4, 5])).toBe('4, 5');
    expect(classRanges([])).toBe('');
  });

  it('finds an image’s pixels as a view of the split', () => {
    const { train } = assembleDataset('c', 'C', files());
    expect(Array.from(imageAt(train, 1))).toEqual([4, 5, 6, 7]);
    expect(imageAt(train, 2).buffer).toBe(train.images.buffer);
  });
});

/**
 * Typed datasets assembled from four validated IDX arrays, and the statistics the dataset
 * panel shows (shapes, class distribution). Pure: no I/O, no tfjs.
 */
import { DataError } from './errors';
import type { IdxArray } from './idx';
import type { SplitFile } from './datasets';

/** One split (train or test): `count` images of `height × width` bytes, and their labels. */
export interface ImageSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** The images' file (absent in copies kept before it was recorded). */
  readonly imagesFile?: SourceFile;
  /** The labels' file, for pointing into it (absent in copies kept before it was recorded). */
  readonly labelsFile?: SourceFile;
}

/** A file a dataset was read from: its name, and whether it was gzip (its byte offsets then count the unzipped data). */
export interface SourceFile {
  readonly name: string;
  readonly gzipped: boolean;
}

/** A loaded dataset, as Keras's `load_data()` returns it, plus its class names. */
export interface Dataset {
  readonly id: string;
  readonly name: string;
  readonly classNames: readonly string[];
  readonly train: ImageSet;
  readonly test: ImageSet;
  /**
   * A user's file kinds whose training and test files were told apart only by the order
   * they came in: equal counts, and names that say neither train nor test (or both the same).
   */
  readonly pickedInOrder?: readonly FileKind[];
}

/** What an IDX file of a dataset holds. */
export type FileKind = 'images' | 'labels';

/** The four decoded files of a dataset, with the names to use in error messages. */
export type DatasetFiles = Readonly<Record<SplitFile, { readonly name: string; readonly idx: IdxArray }>>;

/** Most classes a dataset may have: labels are single bytes. */
export const MAX_CLASSES = 256;

function imageSet(images: DatasetFiles['trainImages'], labels: DatasetFiles['trainLabels']): ImageSet {
  const [count = 0, height = 0, width = 0] = images.idx.dims;
  const labelCount = labels.idx.dims[0] ?? 0;
  if (labelCount !== count) {
    throw new DataError('count-mismatch', labels.name, 4, `${count} labels, one per image in ${images.name}`, `${labelCount} labels`, labels.idx.gzipped === true);
  }
  const source = (file: DatasetFiles['trainImages']): SourceFile => ({ name: file.name, gzipped: file.idx.gzipped === true });
  return { images: images.idx.data, labels: labels.idx.data, count, height, width, imagesFile: source(images), labelsFile: source(labels) };
}

function checkLabels(set: ImageSet, file: DatasetFiles['trainLabels'], classCount: number): void {
  const { labels } = set;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? 0;
    if (label >= classCount) {
      throw new DataError('label-out-of-range', file.name, 8 + i, `a class label from 0 to ${classCount - 1}`, `${label}, the label of image #${i}`, file.idx.gzipped === true);
    }
  }
}

/** Largest label in the set, plus one: the class count a user's dataset implies. */
export function inferClassCount(labels: Uint8Array): number {
  let max = 0;
  for (const label of labels) if (label > max) max = label;
  return max + 1;
}

/**
 * Checks that the four files fit together (counts match, train and test images share a size,
 * every label names a class) and assembles the dataset. With no `classNames`, the class count
 * is inferred from the training labels and classes are named by number.
 */
export function assembleDataset(id: string, name: string, files: DatasetFiles, classNames?: readonly string[]): Dataset {
  const train = imageSet(files.trainImages, files.trainLabels);
  const test = imageSet(files.testImages, files.testLabels);
  if (test.height !== train.height || test.width !== train.width) {
    throw new DataError(
      'shape-mismatch',
      files.testImages.name,
      8,
      `${train.height} × ${train.width} images, like ${files.trainImages.name}`,
      `${test.height} × ${test.width}`,
      files.testImages.idx.gzipped === true,
    );
  }
  const names = classNames ?? Array.from({ length: inferClassCount(train.labels) }, (_, i) => String(i));
  if (names.length < 2) {
    // A classifier tells classes apart: with one, every model is right by saying it, and learns nothing.
    const label = files.trainLabels;
    throw new DataError('one-class', label.name, 8, 'labels of at least 2 classes, for a classifier to tell apart', `only label 0, in all ${train.count.toLocaleString('en-US')} training images`, label.idx.gzipped === true);
  }
  checkLabels(train, files.trainLabels, names.length);
  checkLabels(test, files.testLabels, names.length);
  return { id, name, classNames: names, train, test };
}

/** How many examples of each class `labels` holds. */
export function classCounts(labels: Uint8Array, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

/** Classes with no training image, and the largest label, which set the class count, with its first byte in the labels file. */
export interface EmptyClasses {
  readonly empty: readonly number[];
  readonly largest: number;
  readonly byte: number;
  /** That byte's place in words: "byte 11 of train-labels.idx1", "byte 11 of the unzipped train-labels.gz". */
  readonly where: string;
}

/**
 * The classes no training image has, or null when every class has some. A user's dataset
 * takes its class count from its largest label, so one stray byte (a 255 among labels 0–3)
 * makes 256 classes, 252 of them empty: worth saying, with where that label is.
 */
export function emptyClasses(dataset: Dataset): EmptyClasses | null {
  const counts = classCounts(dataset.train.labels, dataset.classNames.length);
  const empty = counts.flatMap((count, c) => (count === 0 ? [c] : []));
  if (empty.length === 0) return null;
  const largest = inferClassCount(dataset.train.labels) - 1;
  // Labels follow the IDX file's 8-byte header.
  const byte = 8 + dataset.train.labels.indexOf(largest);
  const file = dataset.train.labelsFile;
  const of = file === undefined ? 'the training labels' : file.gzipped ? `the unzipped ${file.name}` : file.name;
  return { empty, largest, byte, where: `byte ${byte.toLocaleString('en-US')} of ${of}` };
}

/** Class numbers as runs: [0, 4, 5, 6, 9] → "0, 4–6, 9". */
export function classRanges(classes: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < classes.length; ) {
    let j = i;
    while (j + 1 < classes.length && classes[j + 1] === (classes[j] ?? 0) + 1) j++;
    parts.push(j > i + 1 ? `${classes[i]}–${classes[j]}` : classes.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

/** The shape of a split's images as Python prints it: `(60000, 28, 28)`. */
export function shapeText(set: ImageSet, part: 'images' | 'labels'): string {
  return part === 'images' ? `(${set.count}, ${set.height}, ${set.width})` : `(${set.count},)`;
}

/** The pixels of image `index` of a split (a view, not a copy). */
export function imageAt(set: ImageSet, index: number): Uint8Array {
  const size = set.height * set.width;
  return set.images.subarray(index * size, (index + 1) * size);
}

/**
 * The dataset registry: the built-in datasets, their class names and their four official
 * files, with the sizes the data manifest records. Pure data; loading lives in `load.ts`.
 */
import manifest from '../../public/data/manifest.json';
import { MNIST_DRAWING_LAYOUT, type DrawingLayout } from './drawing';

/** The four files of an IDX dataset, in the order Keras's `load_data()` returns them. */
export const SPLIT_FILES = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
export type SplitFile = (typeof SPLIT_FILES)[number];

/** Dimensions each file must have: images are (count, height, width), labels (count). */
export const FILE_DIMS = {
  trainImages: 3,
  trainLabels: 1,
  testImages: 3,
  testLabels: 1,
} as const satisfies Record<SplitFile, number>;

/** A dataset the app ships under `public/data/<dir>/`. */
export interface BuiltinDataset {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly dir: string;
  readonly classNames: readonly string[];
  readonly files: Readonly<Record<SplitFile, string>>;
  /** How its images were laid out, which a drawing is made to match. */
  readonly drawing: DrawingLayout;
  /** What to draw for a model of it, said under the pad. */
  readonly drawingHint: string;
}

/** What to draw for a model of a user's own dataset. */
export const USER_DRAWING_HINT = "Draw the kind of image your dataset holds, light on dark, large. Anywhere on the pad: like MNIST's digits, the model is given it cut to its ink, scaled to the middle 5/7 of the image and centred by its mass, so a dataset whose subjects fill the frame or sit off-centre sees drawings unlike its images.";

const OFFICIAL_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const satisfies Record<SplitFile, string>;

/** Digits 0–9 as MNIST's class names. */
export const DIGIT_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Fashion-MNIST's class names, in label order (Zalando's README). */
export const FASHION_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Built-in datasets by id. */
export const BUILTIN_DATASETS = {
  mnist: {
    id: 'mnist',
    name: 'MNIST',
    description: 'Handwritten digits 0–9 (LeCun, Cortes and Burges)',
    dir: 'mnist',
    classNames: DIGIT_CLASS_NAMES,
    files: OFFICIAL_FILES,
    drawing: MNIST_DRAWING_LAYOUT,
    drawingHint: 'Draw one digit, 0 to 9, with the mouse, a finger, a pen or the keys, large enough to fill most of the pad. Anywhere on it: the model is given it cut to its ink and centred, as MNIST’s digits were.',
  },
  'fashion-mnist': {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    description: "Zalando's article images in 10 classes",
    dir: 'fashion-mnist',
    classNames: FASHION_CLASS_NAMES,
    files: OFFICIAL_FILES,
    // Zalando's README: each photo trimmed, its longest edge resized to 28, and centred.
    drawing: { boxFraction: 1, centre: 'box' },
    drawingHint:
      'This model knows clothing, not digits: draw one item (a T-shirt, trousers, a dress, a bag, a shoe…) as a filled silhouette, since the photos are light garments on black. A single line reads as whatever it looks most like.',
  },
} as const satisfies Record<string, BuiltinDataset>;

export type BuiltinDatasetId = keyof typeof BUILTIN_DATASETS;

/** The dataset selected when the page opens. */
export const DEFAULT_DATASET_ID: BuiltinDatasetId = 'mnist';

/** How a dataset's images were laid out, for drawings: a built-in's own, MNIST's for one of the user's. */
export function drawingLayoutOf(datasetId: string): DrawingLayout {
  return isBuiltinDatasetId(datasetId) ? BUILTIN_DATASETS[datasetId].drawing : MNIST_DRAWING_LAYOUT;
}

/** True when `id` names a built-in dataset. */
export function isBuiltinDatasetId(id: string): id is BuiltinDatasetId {
  return Object.hasOwn(BUILTIN_DATASETS, id);
}

/** The URL of a built-in dataset's file, relative to the app's base URL. */
export function builtinFileUrl(dataset: BuiltinDataset, split: SplitFile, baseUrl: string): string {
  return new URL(`data/${dataset.dir}/${dataset.files[split]}`, baseUrl).href;
}

/** A committed file's sizes, from `public/data/manifest.json`. */
export interface FileSizes {
  readonly compressedBytes: number;
  readonly bytes: number;
}

/**
 * The name this browser keeps a built-in file's decoded copy under: the dataset and the
 * SHA-256 of the decoded bytes the manifest records, so a new deploy's data never meets an
 * old copy. Null when the manifest does not list the file.
 */
export function builtinFileKey(dataset: BuiltinDataset, split: SplitFile): string | null {
  const entry = manifestEntry(dataset, split);
  return entry ? fileKey(entry) : null;
}

const manifestEntry = (dataset: BuiltinDataset, split: SplitFile) => manifest.files.find((f) => f.dataset === dataset.dir && f.file === dataset.files[split]);

const fileKey = (entry: { readonly dataset: string; readonly sha256: string }): string => `${entry.dataset}-${entry.sha256}.idx`;

/** Every name `builtinFileKey` gives for this deploy's data: anything else kept is stale. */
export const BUILTIN_FILE_KEYS: ReadonlySet<string> = new Set(manifest.files.map(fileKey));

/** Whether `name` has the form `builtinFileKey` gives (a dataset and a SHA-256), for this deploy's data or an older one's. */
export const isBuiltinFileKeyForm = (name: string): boolean => /^[a-z0-9-]+-[0-9a-f]{64}\.idx$/.test(name);

/** The manifest's sizes for a built-in dataset's file, if it lists the file. */
export function builtinFileSizes(dataset: BuiltinDataset, split: SplitFile): FileSizes | null {
  const entry = manifestEntry(dataset, split);
  return entry ? { compressedBytes: entry.compressedBytes, bytes: entry.bytes } : null;
}

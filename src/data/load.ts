/**
 * Loading datasets: the built-in ones from this browser's copy (browserCopy.ts) or over `fetch`
 * with per-file byte progress, and a user's four IDX files (raw or .gz) from disk. Every
 * failure becomes a DataError that names the file.
 * Runs wherever `fetch`, web streams and DecompressionStream exist (the worker, Node for tests).
 */
import { assembleDataset, type Dataset, type DatasetFiles, type FileKind } from './dataset';
import { readKept, type FileShelf, type FilesToKeep } from './browserCopy';
import { BUILTIN_DATASETS, builtinFileKey, builtinFileSizes, builtinFileUrl, FILE_DIMS, SPLIT_FILES, type BuiltinDatasetId, type FileSizes } from './datasets';
import { DataError, toDataError } from './errors';
import type { IdxArray } from './idx';
import { datasetFingerprint, userDatasetId } from './fingerprint';
import { readIdxStream } from './stream';

/** Bytes received for one file; `total` is null when the server did not say. */
export interface FileProgress {
  readonly file: string;
  readonly received: number;
  readonly total: number | null;
}

export type ProgressListener = (progress: FileProgress) => void;

/**
 * Progress for a listener whose every call is costly (a message to the page, a redraw there):
 * the newest figure of each file is held, and all go out together at most once every
 * `intervalMs`, none older than that; none goes out in a load's first `quietMs`, so a load
 * that ends sooner shows its heading alone. `cancel` drops what is held (the load is over).
 */
export function throttleProgress(
  listener: (figures: readonly FileProgress[]) => void,
  { intervalMs, quietMs = 0 }: { readonly intervalMs: number; readonly quietMs?: number },
): { readonly onProgress: ProgressListener; readonly cancel: () => void } {
  const held = new Map<string, FileProgress>();
  const quietUntil = Date.now() + quietMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    timer = undefined;
    const figures = [...held.values()];
    held.clear();
    listener(figures);
  };
  return {
    onProgress: (progress) => {
      held.set(progress.file, progress);
      timer ??= setTimeout(flush, Math.max(intervalMs, quietUntil - Date.now()));
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
      held.clear();
    },
  };
}

/** Fetches and decodes one IDX file, reporting raw bytes received. */
export async function fetchIdx(
  url: string,
  file: string,
  expectedDims: number,
  options: { signal?: AbortSignal; onProgress?: ProgressListener; sizes?: FileSizes | null } = {},
): Promise<IdxArray> {
  options.onProgress?.({ file, received: 0, total: null });
  try {
    const response = await fetch(url, options.signal ? { signal: options.signal } : {});
    if (!response.ok) {
      response.body?.cancel().catch(() => undefined);
      throw new DataError('http-error', file, undefined, 'HTTP 200 OK', `HTTP ${response.status} ${response.statusText} from ${url}`.trim());
    }
    if (response.body === null) throw new DataError('network-error', file, undefined, 'a response body', 'an empty response');
    // A Content-Length describes the encoded body. When the server also set Content-Encoding
    // (some serve .gz files that way), the browser hands us decoded bytes: count against the
    // decompressed size the manifest records instead.
    const length = Number(response.headers.get('content-length'));
    const decoded = response.headers.has('content-encoding');
    const total = decoded ? (options.sizes?.bytes ?? null) : Number.isFinite(length) && length > 0 ? length : null;
    options.onProgress?.({ file, received: 0, total });
    return await readIdxStream(response.body, file, expectedDims, (received) => {
      options.onProgress?.({ file, received, total });
    });
  } catch (error) {
    throw toDataError(error, file);
  }
}

/** A built-in dataset, whether all four files came from this browser's copy, and the fetched files that copy lacks. */
export interface BuiltinLoad {
  readonly dataset: Dataset;
  readonly fromBrowserCopy: boolean;
  readonly toKeep: FilesToKeep;
}

/**
 * Loads a built-in dataset's four files in parallel: from `shelf` (this browser's copy) where
 * it holds a file that decodes, else from `baseUrl` (the app's base URL).
 */
export async function loadBuiltinDataset(
  id: BuiltinDatasetId,
  baseUrl: string,
  options: { signal?: AbortSignal; onProgress?: ProgressListener; shelf?: FileShelf | null } = {},
): Promise<BuiltinLoad> {
  const spec = BUILTIN_DATASETS[id];
  const { shelf, ...fetchOptions } = options;
  const entries = await Promise.all(
    SPLIT_FILES.map(async (split) => {
      const name = spec.files[split];
      const key = builtinFileKey(spec, split);
      const kept = shelf && key !== null ? await readKept(shelf, key, name, FILE_DIMS[split]) : null;
      if (kept) {
        const bytes = kept.data.length;
        options.onProgress?.({ file: name, received: bytes, total: bytes });
        return { split, name, idx: kept, key, kept: true };
      }
      const idx = await fetchIdx(builtinFileUrl(spec, split, baseUrl), name, FILE_DIMS[split], { ...fetchOptions, sizes: builtinFileSizes(spec, split) });
      return { split, name, idx, key, kept: false };
    }),
  );
  const files = Object.fromEntries(entries.map(({ split, name, idx }) => [split, { name, idx }])) as DatasetFiles;
  let dataset: Dataset;
  try {
    dataset = assembleDataset(spec.id, spec.name, files, spec.classNames);
  } catch (error) {
    // A kept file can decode and still be wrong (a label byte flipped on disk): never let the
    // copy fail a dataset the network would give, or it would fail on every visit.
    if (entries.some((entry) => entry.kept)) return loadBuiltinDataset(id, baseUrl, fetchOptions);
    throw error;
  }
  return {
    dataset,
    fromBrowserCopy: entries.every((entry) => entry.kept),
    toKeep: entries.flatMap(({ key, idx, kept }) => (kept || key === null ? [] : [{ key, idx }])),
  };
}

/** A user's file: its name and a way to stream its bytes (a `File` is one). */
export interface UserFile {
  readonly name: string;
  stream(): ReadableStream<Uint8Array>;
}

/** Which split a file name suggests: train, test, or neither. */
function splitFromName(name: string): 'train' | 'test' | null {
  const lower = name.toLowerCase();
  if (/t10k|test/.test(lower)) return 'test';
  if (/train/.test(lower)) return 'train';
  return null;
}

/** A file's name without its .gz: the same for a raw file and its gzipped copy. */
function stemOf(name: string): string {
  return name.replace(/\.gz$/i, '');
}

/** True when two decoded files hold the same array: one file dropped twice, say. */
function sameArray(a: IdxArray, b: IdxArray): boolean {
  if (a.dims.length !== b.dims.length || a.dims.some((dim, i) => dim !== b.dims[i]) || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

/** The four files of a user's dataset, and the kinds whose train and test only the files' order told apart. */
export type UserFiles = DatasetFiles & { readonly pickedInOrder: readonly FileKind[] };

/**
 * Decides which of four decoded files is which: images have 3 dimensions and labels 1; train
 * and test come from the names (`train…`, `t10k…`/`test…`), or else (names that say nothing,
 * or the same thing for both) the larger set is train, or, at equal counts, the first of the
 * two as they came (said in `pickedInOrder`, for the page to show). One file given twice (and
 * the other of its pair missing) is refused as such.
 */
export function assignUserFiles(decoded: readonly { name: string; idx: IdxArray }[]): UserFiles {
  const images = decoded.filter((f) => f.idx.dims.length === 3);
  const labels = decoded.filter((f) => f.idx.dims.length === 1);
  const describe = (): string => decoded.map((f) => `${f.name} (${f.idx.dims.length}-D)`).join(', ');
  if (images.length !== 2 || labels.length !== 2) {
    throw new DataError('missing-file', decoded.map((f) => f.name).join(', '), undefined, 'two image files (3-D) and two label files (1-D)', describe());
  }
  const pickedInOrder: FileKind[] = [];
  const order = <T extends { name: string; idx: IdxArray }>(pair: T[], kind: FileKind): [T, T] => {
    const [a, b] = pair as [T, T];
    const aSplit = splitFromName(a.name);
    const bSplit = splitFromName(b.name);
    if (aSplit !== bSplit) {
      if (aSplit === 'test' || bSplit === 'train') return [b, a];
      if (aSplit === 'train' || bSplit === 'test') return [a, b];
    }
    const [aCount, bCount] = [a.idx.dims[0] ?? 0, b.idx.dims[0] ?? 0];
    if (aCount === bCount) pickedInOrder.push(kind);
    return aCount >= bCount ? [a, b] : [b, a];
  };
  const [trainImages, testImages] = order(images, 'images');
  const [trainLabels, testLabels] = order(labels, 'labels');
  // One file given twice, where the other pair's counts differ, cannot be a dataset: say that,
  // rather than that one set's label count does not match its images. (Both pairs the same is
  // a test set equal to the training set, which a user may mean.)
  const count = (file: { idx: IdxArray }): number => file.idx.dims[0] ?? 0;
  for (const [what, [a, b], [c, d]] of [
    ['label', [trainLabels, testLabels], [trainImages, testImages]],
    ['image', [trainImages, testImages], [trainLabels, testLabels]],
  ] as const) {
    if (count(c) !== count(d) && sameArray(a.idx, b.idx)) {
      throw new DataError('missing-file', `${a.name}, ${b.name}`, undefined, `one training and one test ${what} file`, `the same ${what}s twice: ${a.name} and ${b.name} have the same content`);
    }
  }
  // Both pairs the same, each a file and its .gz copy: MNIST's folder picked whole, with no test files.
  const copies = [trainImages, trainLabels].every((train, i) => {
    const test = i === 0 ? testImages : testLabels;
    return stemOf(train.name) === stemOf(test.name) && /\.gz$/i.test(train.name) !== /\.gz$/i.test(test.name) && sameArray(train.idx, test.idx);
  });
  if (copies) {
    throw new DataError(
      'missing-file',
      decoded.map((f) => f.name).join(', '),
      undefined,
      'one training and one test set',
      `each file twice, raw and as .gz, with the same content: the test set would be the training set. Pick one copy of each, and the test files beside them`,
    );
  }
  return { trainImages, trainLabels, testImages, testLabels, pickedInOrder };
}

/**
 * What a user's file of 2 or 4 dimensions most likely holds, from its shape and (2-D: one-hot
 * rows or not) its values, and how to save
 * it as the app takes it: labels as one class index per image, images as (count, height, width).
 */
function shapeHint({ dims, data }: IdxArray): string {
  const [count = 0, second = 0, third = 0, fourth = 0] = dims;
  if (dims.length === 2) {
    // One-hot only where every row is: a single 1 among 0s.
    let oneHot = true;
    for (let row = 0; row < count && oneHot; row++) {
      let ones = 0;
      for (let i = row * second; i < (row + 1) * second; i++) {
        const value = data[i] ?? 0;
        if (value === 1) ones++;
        else if (value !== 0) oneHot = false;
      }
      if (ones !== 1) oneHot = false;
    }
    if (oneHot) return `: one-hot labels? Save one class index per image, as y.argmax(axis=1) gives`;
    const side = Math.round(Math.sqrt(second));
    const reshape = side * side === second ? `x.reshape(${count}, ${side}, ${side})` : `x.reshape(${count}, height, width)`;
    return `: flattened images? Save them as (count, height, width), as ${reshape} gives`;
  }
  if (dims.length === 4 && fourth <= 4) return `: images with a channel axis? Save grey images as (count, height, width), as x.reshape(${count}, ${second}, ${third}) gives for one channel`;
  return '';
}

/** Expected dimensions are unknown for a user's file until its header is read: try images first. */
async function decodeUserFile(file: UserFile): Promise<{ name: string; idx: IdxArray }> {
  try {
    return { name: file.name, idx: await readIdxStream(file.stream(), file.name, 3) };
  } catch (error) {
    if (error instanceof DataError && error.kind === 'bad-dimensions' && error.found === '1') {
      return { name: file.name, idx: await readIdxStream(file.stream(), file.name, 1) };
    }
    if (error instanceof DataError && error.kind === 'bad-dimensions' && (error.found === '2' || error.found === '4')) {
      // Read as what it is, for its shape: a 2-D file was described as images that lacked a dimension.
      const idx = await readIdxStream(file.stream(), file.name, Number(error.found)).catch((again: unknown) => {
        throw toDataError(again, file.name);
      });
      throw new DataError('bad-dimensions', file.name, 3, '3 dimensions (images: (count, height, width)) or 1 (labels: (count))', `${idx.dims.length}, shape (${idx.dims.join(', ')})${shapeHint(idx)}`);
    }
    throw toDataError(error, file.name);
  }
}

/** Most files a user's dataset takes to say what they hold: more are refused unread. */
const MAX_USER_FILES = 8;

/** What is wrong with `count` files of one kind, where a dataset needs two (training and test); null when it has them. */
function kindGap(count: number, kind: 'image' | 'label'): string | null {
  if (count === 2) return null;
  if (count === 0) return `both ${kind} files are missing`;
  if (count === 1) return `one ${kind} file is missing`;
  return `${count} ${kind} files where two are expected`;
}

/** What a wrong number of user's files holds, in words: "3 files: a (images), b (images), c (labels): one label file is missing". */
function describeUserFiles(decoded: readonly { name: string; idx: IdxArray }[]): string {
  const kinds = decoded.map((f) => `${f.name} (${f.idx.dims.length === 3 ? 'images' : 'labels'})`).join(', ');
  const images = decoded.filter((f) => f.idx.dims.length === 3).length;
  const gaps = [kindGap(images, 'image'), kindGap(decoded.length - images, 'label')].filter((gap) => gap !== null);
  // MNIST's folders hold each file raw and gzipped: picking both doubles every file.
  const stems = decoded.map((f) => stemOf(f.name));
  const copies = decoded.filter((f, i) => /\.gz$/i.test(f.name) && stems.filter((stem) => stem === stems[i]).length > 1).length;
  const twice = copies === 0 ? '' : ` (${copies === 1 ? 'a file' : `${copies} files`} picked both raw and as .gz: pick one copy of each)`;
  return `${decoded.length} file${decoded.length === 1 ? '' : 's'}: ${kinds}: ${gaps.join(', and ')}${twice}`;
}

/**
 * Loads a user's dataset from four IDX files (raw or .gz, any image size). The class count
 * is inferred from the training labels. Its id comes from its content (`userDatasetId`), and
 * `nameOf` names it for that id: runs trained on the same files before keep its name.
 */
export async function loadUserDataset(files: readonly UserFile[], nameOf: (id: string) => string): Promise<Dataset> {
  const expected = 'four IDX files: train images, train labels, test images, test labels';
  if (files.length === 0 || files.length > MAX_USER_FILES) {
    throw new DataError('missing-file', files.map((f) => f.name).join(', ') || 'no files', undefined, expected, `${files.length} file${files.length === 1 ? '' : 's'}`);
  }
  // Decoded first, so that a wrong count says which files are images and which labels, and what is missing or extra.
  const decoded = await Promise.all(files.map(decodeUserFile));
  // Past four, the names are said once, in what was found (eight names twice made a 700-character message).
  if (files.length !== 4) throw new DataError('missing-file', files.length < 4 ? files.map((f) => f.name).join(', ') : 'the files picked', undefined, expected, describeUserFiles(decoded));
  const assigned = assignUserFiles(decoded);
  const dataset = assembleDataset('', '', assigned);
  const id = userDatasetId(datasetFingerprint(dataset));
  const { pickedInOrder } = assigned;
  return { ...dataset, id, name: nameOf(id), ...(pickedInOrder.length > 0 ? { pickedInOrder } : {}) };
}


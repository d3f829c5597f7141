import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keepFiles } from './browserCopy';
import { BUILTIN_DATASETS, BUILTIN_FILE_KEYS, builtinFileKey, DIGIT_CLASS_NAMES, SPLIT_FILES } from './datasets';
import { encodeIdx, parseIdx } from './idx';
import { assignUserFiles, fetchIdx, loadBuiltinDataset, loadUserDataset, throttleProgress, type FileProgress } from './load';
import { dataErrorOf, expectDataError, expectSameIdx, imagesIdx, labelsIdx, memoryShelf, syncDataErrorOf } from './testing';

const IMAGES = imagesIdx(200, 28, 28);
const IMAGES_GZ = gzipSync(IMAGES);
const TRAIN_LABELS = [5, 0, 4, 1, 9, 2];
const TEST_LABELS = [7, 2];

/** What the test server answers for each path; anything else is a 404. */
type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const send =
  (body: Uint8Array, headers: Record<string, string | number> = {}): Handler =>
  (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, ...headers });
    response.end(body);
  };

const ROUTES = new Map<string, Handler>([
  ['/images.gz', send(IMAGES_GZ)],
  // A server that marks a .gz file as Content-Encoding: gzip; fetch hands over the decoded bytes.
  ['/encoded.gz', send(IMAGES_GZ, { 'Content-Encoding': 'gzip' })],
  // Compressed once more on the way, so the body fetch decodes is still a gzip stream.
  ['/encoded-twice.gz', send(gzipSync(IMAGES_GZ), { 'Content-Encoding': 'gzip' })],
  [
    '/stall.gz',
    (_request, response) => {
      response.writeHead(200, { 'Content-Length': IMAGES_GZ.length });
      response.write(IMAGES_GZ.subarray(0, 4096));
    },
  ],
  [
    '/dropped.gz',
    (_request, response) => {
      response.writeHead(200, { 'Content-Length': IMAGES_GZ.length });
      response.write(IMAGES_GZ.subarray(0, 4096), () => response.destroy());
    },
  ],
  ['/app/data/mnist/train-images-idx3-ubyte.gz', send(gzipSync(imagesIdx(6, 28, 28, 2)))],
  ['/app/data/mnist/train-labels-idx1-ubyte.gz', send(gzipSync(labelsIdx(TRAIN_LABELS)))],
  ['/app/data/mnist/t10k-images-idx3-ubyte.gz', send(gzipSync(imagesIdx(2, 28, 28, 3)))],
  ['/app/data/mnist/t10k-labels-idx1-ubyte.gz', send(gzipSync(labelsIdx(TEST_LABELS)))],
  ['/app/data/fashion-mnist/train-images-idx3-ubyte.gz', send(gzipSync(imagesIdx(6, 28, 28, 2)))],
]);

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const route = ROUTES.get(request.url ?? '');
    if (route) {
      route(request, response);
      return;
    }
    response.writeHead(404, 'Not Found');
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('fetchIdx over HTTP', () => {
  it('decodes a .gz file and reports progress up to its Content-Length', async () => {
    const progress: FileProgress[] = [];
    const idx = await fetchIdx(`${base}images.gz`, 'images.gz', 3, { onProgress: (p) => progress.push(p) });
    expectSameIdx(idx, parseIdx(IMAGES, 'images', 3));
    expect(progress[0]).toEqual({ file: 'images.gz', received: 0, total: null });
    expect(progress.at(-1)).toEqual({ file: 'images.gz', received: IMAGES_GZ.length, total: IMAGES_GZ.length });
    const received = progress.map((p) => p.received);
    expect(received).toEqual([...received].sort((a, b) => a - b));
  });

  it('reports a 404 as an http-error naming the file and the status', async () => {
    const error = await dataErrorOf(() => fetchIdx(`${base}missing.gz`, 'missing.gz', 3));
    expectDataError(error, 'http-error', 'missing.gz', undefined);
    expect(error.found).toBe(`HTTP 404 Not Found from ${base}missing.gz`);
  });

  it('decodes a body sent with Content-Encoding: gzip, counting against the manifest’s decompressed size', async () => {
    const progress: FileProgress[] = [];
    const sizes = { compressedBytes: IMAGES_GZ.length, bytes: IMAGES.length };
    const idx = await fetchIdx(`${base}encoded.gz`, 'encoded.gz', 3, { sizes, onProgress: (p) => progress.push(p) });
    expectSameIdx(idx, parseIdx(IMAGES, 'images', 3));
    expect(progress.at(-1)).toEqual({ file: 'encoded.gz', received: IMAGES.length, total: IMAGES.length });
  });

  it('still finds the gzip magic when Content-Encoding was layered on a .gz file', async () => {
    const idx = await fetchIdx(`${base}encoded-twice.gz`, 'encoded-twice.gz', 3);
    expectSameIdx(idx, parseIdx(IMAGES, 'images', 3));
  });

  it('stops an aborted download with kind "aborted"', async () => {
    const controller = new AbortController();
    const onProgress = (p: FileProgress) => {
      if (p.received > 0) controller.abort();
    };
    const error = await dataErrorOf(() => fetchIdx(`${base}stall.gz`, 'stall.gz', 3, { signal: controller.signal, onProgress }));
    expectDataError(error, 'aborted', 'stall.gz', undefined);
    expect(error.message).toBe('stall.gz: expected a complete download, found the download was aborted');
    const early = await dataErrorOf(() => fetchIdx(`${base}images.gz`, 'images.gz', 3, { signal: AbortSignal.abort() }));
    expectDataError(early, 'aborted', 'images.gz', undefined);
  });

  it('reports a connection dropped mid-file as a network error, not as corrupt gzip', async () => {
    const error = await dataErrorOf(() => fetchIdx(`${base}dropped.gz`, 'dropped.gz', 3));
    expectDataError(error, 'network-error', 'dropped.gz', undefined);
  });
});

describe('loadBuiltinDataset', () => {
  it('fetches the four files from the base URL and assembles them with the built-in class names', async () => {
    const last = new Map<string, FileProgress>();
    const { dataset } = await loadBuiltinDataset('mnist', `${base}app/`, { onProgress: (p) => last.set(p.file, p) });
    expect(dataset).toMatchObject({ id: 'mnist', name: 'MNIST', classNames: DIGIT_CLASS_NAMES });
    expect(dataset.train).toMatchObject({ count: 6, height: 28, width: 28 });
    expect(Array.from(dataset.train.labels)).toEqual(TRAIN_LABELS);
    expect(Array.from(dataset.test.labels)).toEqual(TEST_LABELS);
    expect([...last.keys()].sort()).toEqual(Object.values(BUILTIN_DATASETS.mnist.files).sort());
    for (const p of last.values()) expect(p.received).toBe(p.total);
  });

  it('names the file the server does not have', async () => {
    const error = await dataErrorOf(() => loadBuiltinDataset('fashion-mnist', `${base}app/`));
    expect(error.kind).toBe('http-error');
    expect(error.file).not.toBe('train-images-idx3-ubyte.gz');
    expect(error.message).toMatch(/^t(rain|10k)-(images|labels)-idx[13]-ubyte\.gz: expected HTTP 200 OK, found HTTP 404 Not Found from /);
  });
});

describe("loadBuiltinDataset with this browser's copy", () => {
  const mnist = BUILTIN_DATASETS.mnist;
  const keys = SPLIT_FILES.map((split) => builtinFileKey(mnist, split));
  /** A shelf holding what a first load fetched and kept (plus whatever `shelf` held before). */
  const keptMnist = async (shelf = memoryShelf()) => {
    await keepFiles(shelf, (await loadBuiltinDataset('mnist', `${base}app/`, { shelf })).toKeep);
    return shelf;
  };

  it('keeps the files it fetched, and the next load reads all four from the copy without the network', async () => {
    const shelf = memoryShelf();
    const first = await loadBuiltinDataset('mnist', `${base}app/`, { shelf });
    expect(first.fromBrowserCopy).toBe(false);
    expect(first.toKeep.map((file) => file.key)).toEqual(keys);
    await keepFiles(shelf, first.toKeep);

    const progress: FileProgress[] = [];
    const second = await loadBuiltinDataset('mnist', `${base}nowhere/`, { shelf, onProgress: (p) => progress.push(p) });
    expect(second.fromBrowserCopy).toBe(true);
    expect(second.toKeep).toEqual([]);
    expect(Array.from(second.dataset.train.labels)).toEqual(TRAIN_LABELS);
    expect(Buffer.compare(second.dataset.train.images, first.dataset.train.images)).toBe(0);
    expect(Buffer.compare(second.dataset.test.images, first.dataset.test.images)).toBe(0);
    expect(progress.map((p) => p.received === p.total)).toEqual([true, true, true, true]);
  });

  it('fetches a kept file that no longer decodes, and offers it to be kept again', async () => {
    const shelf = await keptMnist();
    const trainImagesKey = keys[0] ?? '';
    shelf.files.set(trainImagesKey, shelf.files.get(trainImagesKey)?.subarray(0, 1000) ?? new Uint8Array(0));
    const again = await loadBuiltinDataset('mnist', `${base}app/`, { shelf });
    expect(again.fromBrowserCopy).toBe(false);
    expect(again.toKeep.map((file) => file.key)).toEqual([trainImagesKey]);
    expect(again.dataset.train.count).toBe(6);
  });

  it('loads over the network when the copy cannot be read, and names the missing file when neither has it', async () => {
    const shelf = await keptMnist();
    shelf.busy = true;
    expect((await loadBuiltinDataset('mnist', `${base}app/`, { shelf })).fromBrowserCopy).toBe(false);
    const error = await dataErrorOf(() => loadBuiltinDataset('mnist', `${base}nowhere/`, { shelf }));
    expect(error.kind).toBe('http-error');
  });

  it('fetches all four files again when kept files decode but do not fit together', async () => {
    const shelf = await keptMnist();
    const labelsKey = keys[1] ?? '';
    const labels = shelf.files.get(labelsKey) ?? new Uint8Array(0);
    labels[labels.length - 1] = 200;
    const again = await loadBuiltinDataset('mnist', `${base}app/`, { shelf });
    expect(again.fromBrowserCopy).toBe(false);
    expect(Array.from(again.dataset.train.labels)).toEqual(TRAIN_LABELS);
    expect(again.toKeep.map((file) => file.key)).toEqual(keys);
  });

  it('removes kept files that this deploy no longer names when it keeps new ones, and only those', async () => {
    const shelf = memoryShelf();
    shelf.files.set(`mnist-${'0'.repeat(64)}.idx`, new Uint8Array(16));
    shelf.files.set('notes.txt', new Uint8Array(1));
    await keptMnist(shelf);
    expect([...shelf.files.keys()].sort()).toEqual([...keys, 'notes.txt'].sort());
    expect(keys.every((key) => key !== null && BUILTIN_FILE_KEYS.has(key))).toBe(true);
  });

  it('counts the files as kept when an old one cannot be removed', async () => {
    const shelf = memoryShelf();
    shelf.files.set(`mnist-${'0'.repeat(64)}.idx`, new Uint8Array(16));
    shelf.remove = () => Promise.reject(new DOMException('another tab has it open', 'NoModificationAllowedError'));
    await expect(keepFiles(shelf, (await loadBuiltinDataset('mnist', `${base}app/`, { shelf })).toKeep)).resolves.toBeUndefined();
    expect((await loadBuiltinDataset('mnist', `${base}nowhere/`, { shelf })).fromBrowserCopy).toBe(true);
  });
});

const decoded = (name: string, dims: number[], data?: readonly number[]) => ({
  name,
  idx: parseIdx(encodeIdx(dims, data ? Uint8Array.from(data) : new Uint8Array(dims.reduce((a, b) => a * b, 1))), name, dims.length),
});

const names = (files: ReturnType<typeof assignUserFiles>) => [files.trainImages.name, files.trainLabels.name, files.testImages.name, files.testLabels.name];

describe('assignUserFiles', () => {
  it('tells images from labels by their dimensions and train from test by name', () => {
    const assigned = assignUserFiles([
      decoded('t10k-labels', [9]),
      decoded('train-images', [2, 2, 2]),
      decoded('test-images', [9, 2, 2]),
      decoded('my-train-labels', [2]),
    ]);
    expect(names(assigned)).toEqual(['train-images', 'my-train-labels', 'test-images', 't10k-labels']);
  });

  it('falls back to the larger set being train when the names say nothing', () => {
    const assigned = assignUserFiles([decoded('a', [2, 1, 1]), decoded('b', [9, 1, 1]), decoded('c', [9]), decoded('d', [2])]);
    expect(names(assigned)).toEqual(['b', 'c', 'a', 'd']);
    expect(assigned.pickedInOrder).toEqual([]);
  });

  it('takes the first of two files as train when counts are equal and the names say nothing, and says which kinds it did so for', () => {
    const assigned = assignUserFiles([decoded('b', [3, 1, 1]), decoded('a', [3, 1, 1]), decoded('d', [3], [0, 1, 1]), decoded('c', [3], [1, 0, 0])]);
    expect(names(assigned)).toEqual(['b', 'd', 'a', 'c']);
    expect(assigned.pickedInOrder).toEqual(['images', 'labels']);
    // Names that tell train from test decide, whatever the order.
    const named = assignUserFiles([decoded('b-test', [3, 1, 1]), decoded('a-train', [3, 1, 1]), decoded('d', [3], [0, 1, 1]), decoded('c', [3], [1, 0, 0])]);
    expect(names(named)).toEqual(['a-train', 'd', 'b-test', 'c']);
    expect(named.pickedInOrder).toEqual(['labels']);
  });

  it('falls back to the counts when both names say the same split', () => {
    const assigned = assignUserFiles([
      decoded('train-big-images', [9, 1, 1]),
      decoded('train-small-images', [2, 1, 1]),
      decoded('test-big-labels', [9]),
      decoded('test-small-labels', [2]),
    ]);
    expect(names(assigned)).toEqual(['train-big-images', 'test-big-labels', 'train-small-images', 'test-small-labels']);
  });

  it('refuses one file given twice, saying so rather than that the label counts differ', () => {
    const error = syncDataErrorOf(() =>
      assignUserFiles([decoded('train-images', [3, 1, 1]), decoded('t10k-images', [2, 1, 1]), decoded('train-labels', [3], [0, 1, 2]), decoded('train-labels (1)', [3], [0, 1, 2])]),
    );
    expectDataError(error, 'missing-file', 'train-labels, train-labels (1)', undefined);
    expect(error.message).toBe(
      'train-labels, train-labels (1): expected one training and one test label file, found the same labels twice: train-labels and train-labels (1) have the same content',
    );
    const images = syncDataErrorOf(() => assignUserFiles([decoded('a-images', [3, 1, 1]), decoded('b-images', [3, 1, 1]), decoded('train-labels', [3]), decoded('t10k-labels', [2])]));
    expect(images.found).toBe('the same images twice: a-images and b-images have the same content');
    // A test set that is the training set, copied under two names, is what the user gave.
    expect(() => assignUserFiles([decoded('train-images', [3, 1, 1]), decoded('copy-images', [3, 1, 1]), decoded('train-labels', [3]), decoded('copy-labels', [3])])).not.toThrow();
  });

  it('refuses each training file picked twice, raw and as .gz, which would make the test set the training set', () => {
    const [rawImages, rawLabels] = [decoded('train-images-idx3-ubyte', [3, 1, 1]), decoded('train-labels-idx1-ubyte', [3])];
    const files = [rawImages, decoded('train-images-idx3-ubyte.gz', [3, 1, 1]), rawLabels, decoded('train-labels-idx1-ubyte.gz', [3])];
    const error = syncDataErrorOf(() => assignUserFiles(files));
    expectDataError(error, 'missing-file', 'train-images-idx3-ubyte, train-images-idx3-ubyte.gz, train-labels-idx1-ubyte, train-labels-idx1-ubyte.gz', undefined);
    expect(error.found).toBe('each file twice, raw and as .gz, with the same content: the test set would be the training set. Pick one copy of each, and the test files beside them');
    // Copies that differ are not copies: named alike, but each its own set.
    expect(() => assignUserFiles([rawImages, decoded('train-images-idx3-ubyte.gz', [2, 1, 1]), rawLabels, decoded('train-labels-idx1-ubyte.gz', [2])])).not.toThrow();
  });

  it('asks for two image and two label files when the dimensions do not pair up', () => {
    const error = syncDataErrorOf(() => assignUserFiles([decoded('a', [2, 1, 1]), decoded('b', [2, 1, 1]), decoded('c', [2, 1, 1]), decoded('d', [2])]));
    expectDataError(error, 'missing-file', 'a, b, c, d', undefined);
    expect(error.found).toBe('a (3-D), b (3-D), c (3-D), d (1-D)');
  });
});

describe('loadUserDataset', () => {
  const userFile = (bytes: Uint8Array, name: string) => new File([bytes as Uint8Array<ArrayBuffer>], name);
  const named = (): string => 'Mine';

  it('loads four raw or gzipped files of a non-28 × 28 size, in any order, inferring the classes', async () => {
    const trainImages = imagesIdx(4, 5, 7, 11);
    const files = [
      userFile(gzipSync(labelsIdx([2])), 'test-labels.gz'),
      userFile(labelsIdx([0, 3, 1, 2]), 'train-labels'),
      userFile(gzipSync(trainImages), 'train-images.gz'),
      userFile(imagesIdx(1, 5, 7), 'test-images'),
    ];
    const dataset = await loadUserDataset(files, named);
    expect(dataset).toMatchObject({ name: 'Mine', classNames: ['0', '1', '2', '3'] });
    expect(dataset.id).toMatch(/^custom-[0-9a-f]{16}$/);
    expect(dataset.train).toMatchObject({ count: 4, height: 5, width: 7 });
    expect(dataset.test).toMatchObject({ count: 1, height: 5, width: 7 });
    expect(Buffer.compare(dataset.train.images, trainImages.subarray(16))).toBe(0);
    expect(Array.from(dataset.train.labels)).toEqual([0, 3, 1, 2]);
    expect([dataset.train.imagesFile, dataset.test.labelsFile]).toEqual([
      { name: 'train-images.gz', gzipped: true },
      { name: 'test-labels.gz', gzipped: true },
    ]);
    expect(dataset.pickedInOrder).toBeUndefined();
    // The same files give the same id, raw or gzipped, in any order; one label changed gives another, named for it.
    const again = await loadUserDataset([files[3], files[2], userFile(gzipSync(labelsIdx([0, 3, 1, 2])), 'train-labels.gz'), files[0]].flatMap((f) => f ?? []), (id) => `known as ${id}`);
    expect(again.id).toBe(dataset.id);
    expect(again.name).toBe(`known as ${dataset.id}`);
    const changed = await loadUserDataset([files[0], userFile(labelsIdx([0, 3, 1, 1]), 'train-labels'), files[2], files[3]].flatMap((f) => f ?? []), named);
    expect(changed.id).not.toBe(dataset.id);
  });

  it('asks for four files when given three or five, saying what each holds and what is missing or extra', async () => {
    const files = ['a.gz', 'b.gz', 'c.gz'].map((name) => userFile(labelsIdx([1]), name));
    const error = await dataErrorOf(() => loadUserDataset(files, named));
    expectDataError(error, 'missing-file', 'a.gz, b.gz, c.gz', undefined);
    expect(error.found).toBe('3 files: a.gz (labels), b.gz (labels), c.gz (labels): both image files are missing, and 3 label files where two are expected');
    const three = [userFile(imagesIdx(4, 5, 7), 'train-images'), userFile(labelsIdx([0, 1, 0, 1]), 'train-labels'), userFile(imagesIdx(1, 5, 7), 'test-images')];
    expect((await dataErrorOf(() => loadUserDataset(three, named))).found).toBe('3 files: train-images (images), train-labels (labels), test-images (images): one label file is missing');
    const five = [...three, userFile(labelsIdx([1]), 'test-labels'), userFile(imagesIdx(1, 5, 7), 'more-images')];
    expect((await dataErrorOf(() => loadUserDataset(five, named))).file).toBe('the files picked');
    expect((await dataErrorOf(() => loadUserDataset(five, named))).found).toBe(
      '5 files: train-images (images), train-labels (labels), test-images (images), test-labels (labels), more-images (images): 3 image files where two are expected',
    );
    expect((await dataErrorOf(() => loadUserDataset([], named))).file).toBe('no files');
    // The raw and gzipped copies of the same files, picked together.
    const doubled = [...three, userFile(gzipSync(imagesIdx(4, 5, 7)), 'train-images.gz'), userFile(gzipSync(labelsIdx([0, 1, 0, 1])), 'train-labels.gz')];
    expect((await dataErrorOf(() => loadUserDataset(doubled, named))).found).toMatch(/: 3 image files where two are expected \(2 files picked both raw and as \.gz: pick one copy of each\)$/);
  });

  it('says what a file of 2 or 4 dimensions most likely holds, and how to save it', async () => {
    const withShape = (dims: readonly number[], values?: readonly number[]): Uint8Array => {
      const header = 4 + 4 * dims.length;
      const bytes = new Uint8Array(header + dims.reduce((a, b) => a * b, 1));
      if (values) bytes.set(values, header);
      const view = new DataView(bytes.buffer);
      view.setUint8(2, 0x08);
      view.setUint8(3, dims.length);
      dims.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
      return bytes;
    };
    const files = (odd: Uint8Array) => [userFile(imagesIdx(4, 5, 7), 'train-images'), userFile(odd, 'train-labels'), userFile(imagesIdx(1, 5, 7), 'test-images'), userFile(labelsIdx([1]), 'test-labels')];
    const oneHotRows = [0, 3, 1, 2].flatMap((label) => Array.from({ length: 10 }, (_, c) => (c === label ? 1 : 0)));
    const oneHot = await dataErrorOf(() => loadUserDataset(files(withShape([4, 10], oneHotRows)), named));
    expectDataError(oneHot, 'bad-dimensions', 'train-labels', 3);
    expect(oneHot.message).toBe(
      'train-labels, byte 3: expected 3 dimensions (images: (count, height, width)) or 1 (labels: (count)), found 2, shape (4, 10): one-hot labels? Save one class index per image, as y.argmax(axis=1) gives',
    );
    expect((await dataErrorOf(() => loadUserDataset(files(withShape([4, 784])), named))).found).toBe('2, shape (4, 784): flattened images? Save them as (count, height, width), as x.reshape(4, 28, 28) gives');
    // Not one-hot (its rows are not a single 1 among 0s), and not square: images, their sides unknown.
    expect((await dataErrorOf(() => loadUserDataset(files(withShape([4, 35])), named))).found).toBe('2, shape (4, 35): flattened images? Save them as (count, height, width), as x.reshape(4, height, width) gives');
    expect((await dataErrorOf(() => loadUserDataset(files(withShape([4, 5, 7, 1])), named))).found).toBe(
      '4, shape (4, 5, 7, 1): images with a channel axis? Save grey images as (count, height, width), as x.reshape(4, 5, 7) gives for one channel',
    );
  });

  it('names the user’s file that is broken', async () => {
    const floats = labelsIdx([0, 1, 0, 1]);
    floats[2] = 0x0d;
    const error = await dataErrorOf(() =>
      loadUserDataset(
        [userFile(imagesIdx(4, 5, 7), 'train-images'), userFile(floats, 'train-labels'), userFile(imagesIdx(1, 5, 7), 'test-images'), userFile(labelsIdx([1]), 'test-labels')],
        named,
      ),
    );
    expectDataError(error, 'bad-data-type', 'train-labels', 2);
  });
});

describe('throttleProgress', () => {
  const received = (batches: (readonly FileProgress[])[]): string[][] => batches.map((batch) => batch.map((p) => `${p.file}:${p.received}`));

  it('sends the newest figure of each file together, at most once per interval', () => {
    vi.useFakeTimers();
    try {
      const seen: (readonly FileProgress[])[] = [];
      const { onProgress, cancel } = throttleProgress((figures) => seen.push(figures), { intervalMs: 100 });
      onProgress({ file: 'a', received: 0, total: 50 });
      onProgress({ file: 'b', received: 0, total: null });
      onProgress({ file: 'a', received: 10, total: 50 });
      vi.advanceTimersByTime(99);
      expect(seen).toEqual([]);
      vi.advanceTimersByTime(1);
      // One batch, 100 ms after the first figure held: only the newest figure of each file.
      expect(received(seen)).toEqual([['a:10', 'b:0']]);
      onProgress({ file: 'b', received: 9, total: null });
      onProgress({ file: 'a', received: 50, total: 50 });
      vi.advanceTimersByTime(100);
      expect(received(seen)).toEqual([['a:10', 'b:0'], ['b:9', 'a:50']]);
      // Nothing held, nothing sent.
      vi.advanceTimersByTime(500);
      expect(seen).toHaveLength(2);
      // Cancelled: what was held is dropped, and no timer fires later.
      onProgress({ file: 'b', received: 12, total: null });
      cancel();
      vi.advanceTimersByTime(500);
      expect(seen).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends nothing in the quiet start, so a load that ends by then shows no bars', () => {
    vi.useFakeTimers();
    try {
      const seen: (readonly FileProgress[])[] = [];
      const { onProgress, cancel } = throttleProgress((figures) => seen.push(figures), { intervalMs: 100, quietMs: 400 });
      onProgress({ file: 'a', received: 0, total: 50 });
      vi.advanceTimersByTime(250);
      onProgress({ file: 'a', received: 20, total: 50 });
      vi.advanceTimersByTime(149);
      expect(seen).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(received(seen)).toEqual([['a:20']]);
      // After the quiet start, the interval alone.
      onProgress({ file: 'a', received: 30, total: 50 });
      vi.advanceTimersByTime(100);
      expect(received(seen)).toEqual([['a:20'], ['a:30']]);
      // A load over within the quiet start sends nothing at all.
      const quick: (readonly FileProgress[])[] = [];
      const second = throttleProgress((figures) => quick.push(figures), { intervalMs: 100, quietMs: 400 });
      second.onProgress({ file: 'a', received: 50, total: 50 });
      vi.advanceTimersByTime(300);
      second.cancel();
      cancel();
      vi.advanceTimersByTime(1000);
      expect(quick).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

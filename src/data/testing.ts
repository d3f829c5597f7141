/**
 * Helpers for the data layer's own tests: deterministic IDX fixtures, byte streams cut into
 * chunks, and one check that a DataError has the right kind, file and offset and that its
 * message names both. Imported by `*.test.ts` files only; the app never loads it.
 */
import { expect } from 'vitest';
import { DataError, type DataErrorKind } from './errors';
import type { FileShelf } from './browserCopy';
import { encodeIdx, type IdxArray } from './idx';

/**
 * `length` bytes of deterministic noise (a linear congruential generator, x ← 1103515245·x + 12345
 * mod 2³¹, keeping the high bits), so gzip cannot shrink fixtures to a few bytes.
 */
export function noise(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    out[i] = x >>> 23;
  }
  return out;
}

/** An encoded IDX image file of `count` noisy `height × width` images. */
export function imagesIdx(count: number, height = 28, width = 28, seed = 1): Uint8Array {
  return encodeIdx([count, height, width], noise(count * height * width, seed));
}

/** An encoded IDX label file holding `labels`. */
export function labelsIdx(labels: readonly number[]): Uint8Array {
  return encodeIdx([labels.length], Uint8Array.from(labels));
}

/** A stream that hands out `bytes` in chunks whose sizes cycle through `sizes`. */
export function chunkedStream(bytes: Uint8Array, sizes: readonly number[]): ReadableStream<Uint8Array> {
  let offset = 0;
  let turn = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const size = sizes[turn++ % sizes.length] ?? 1;
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** Checks two decoded files are the same (bytes compared in one go: `toEqual` on big arrays is slow). */
export function expectSameIdx(actual: IdxArray, expected: IdxArray): void {
  expect(actual.dims).toEqual(expected.dims);
  expect(actual.data.length).toBe(expected.data.length);
  expect(Buffer.compare(actual.data, expected.data)).toBe(0);
}

/** Runs `run` and returns the DataError it throws (fails the test if it throws nothing or something else). */
export async function dataErrorOf(run: () => unknown): Promise<DataError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

/** Synchronous `dataErrorOf`, for code that must throw before it returns. */
export function syncDataErrorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

/**
 * Checks a DataError's kind, file and offset, and that its message starts by naming the file
 * and (when there is one) the byte: `train-images, byte 2: expected …, found …`.
 */
export function expectDataError(error: DataError, kind: DataErrorKind, file: string, offset: number | undefined, unzipped = false): void {
  expect(error).toBeInstanceOf(DataError);
  expect({ kind: error.kind, file: error.file, offset: error.offset, unzipped: error.unzipped }).toEqual({ kind, file, offset, unzipped });
  const where = offset === undefined ? `${file}: ` : `${file}, byte ${offset}${unzipped ? ' of its unzipped data' : ''}: `;
  const start = `${where}expected `;
  expect(error.message.slice(0, start.length)).toBe(start);
  expect(error.message).toContain(', found ');
}

/** A FileShelf in memory, as `browserShelf` keeps files in the origin private file system; `busy` makes every call fail. */
export function memoryShelf(): FileShelf & { readonly files: Map<string, Uint8Array>; busy: boolean } {
  const files = new Map<string, Uint8Array>();
  /** Answers after a turn, as the file system does, or fails as a file another tab holds does. */
  const answer = <T>(result: () => T): Promise<T> =>
    new Promise((resolve, reject) => {
      setTimeout(() => (shelf.busy ? reject(new DOMException('another tab holds the file', 'NoModificationAllowedError')) : resolve(result())), 0);
    });
  const shelf = {
    files,
    busy: false,
    read: (name: string) => answer(() => files.get(name)?.slice() ?? null),
    write: (name: string, parts: readonly Uint8Array[]) => answer(() => void files.set(name, Uint8Array.from(parts.flatMap((part) => Array.from(part))))),
    names: () => answer(() => [...files.keys()]),
    remove: (name: string) => answer(() => void files.delete(name)),
  };
  return shelf;
}

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import { parseIdx } from './idx';
import { isGzip, readIdxBytes, readIdxStream } from './stream';
import { chunkedStream, dataErrorOf, expectDataError, imagesIdx, labelsIdx, noise } from './testing';

/** A stream that sends `bytes` once and then, instead of ending, calls `after` on its controller. */
function streamThen(bytes: Uint8Array, after: (controller: ReadableStreamDefaultController<Uint8Array>) => void, onCancel?: (reason: unknown) => void) {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) {
        after(controller);
        return;
      }
      sent = true;
      controller.enqueue(bytes);
    },
    cancel(reason) {
      onCancel?.(reason);
    },
  });
}

describe('isGzip', () => {
  it('looks at the two magic bytes only', () => {
    expect(isGzip(gzipSync(new Uint8Array(3)))).toBe(true);
    expect(isGzip(new Uint8Array([0x1f, 0x8b]))).toBe(true);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
    expect(isGzip(labelsIdx([1]))).toBe(false);
  });
});

describe('readIdxStream decodes', () => {
  it('gzip and raw input identically', async () => {
    const raw = imagesIdx(50, 7, 4);
    const fromRaw = await readIdxBytes(raw, 'r', 3);
    expect(fromRaw).toEqual(parseIdx(raw, 'r', 3));
    // The same array, marked as unzipped, for messages to say where their byte offsets count.
    expect(await readIdxBytes(gzipSync(raw), 'g', 3)).toEqual({ ...fromRaw, gzipped: true });
    const labels = labelsIdx([3, 1, 4, 1, 5]);
    expect(await readIdxBytes(gzipSync(labels), 'gl', 1)).toEqual({ ...(await readIdxBytes(labels, 'rl', 1)), gzipped: true });
  });

  it('input split into chunks of 1 to 3 bytes (boundaries inside the magic and the header) identically', async () => {
    const raw = imagesIdx(20, 5, 7);
    const whole = parseIdx(raw, 'whole', 3);
    for (const sizes of [[1], [2], [3], [1, 2, 3], [3, 1, 2]]) {
      expect(await readIdxStream(chunkedStream(raw, sizes), 'raw', 3)).toEqual(whole);
      expect(await readIdxStream(chunkedStream(gzipSync(raw), sizes), 'gz', 3)).toEqual({ ...whole, gzipped: true });
    }
  });

  it('a gzip stream whose first chunk holds a single byte of the magic', async () => {
    const gz = gzipSync(labelsIdx([9, 8, 7]));
    expect(await readIdxStream(chunkedStream(gz, [1, 4096]), 'split-magic', 1)).toEqual({ dims: [3], data: Uint8Array.from([9, 8, 7]), gzipped: true });
  });

  it('and reports the raw (compressed) bytes received, ending at the stream length', async () => {
    for (const bytes of [imagesIdx(30), gzipSync(imagesIdx(30))]) {
      const seen: number[] = [];
      await readIdxStream(chunkedStream(bytes, [1000]), 'p', 3, (received) => seen.push(received));
      expect(seen.at(-1)).toBe(bytes.length);
      expect(seen.length).toBe(Math.ceil(bytes.length / 1000));
      expect(seen.every((n, i) => i === 0 || n > (seen[i - 1] ?? 0))).toBe(true);
    }
  });
});

describe('readIdxStream rejects', () => {
  it('a corrupt gzip stream (a valid gzip header, then garbage), naming the file', async () => {
    const gz = gzipSync(imagesIdx(1));
    const garbage = new Uint8Array([...gz.subarray(0, 10), ...noise(500, 7)]);
    const error = await dataErrorOf(() => readIdxBytes(garbage, 'broken.gz', 3));
    expectDataError(error, 'corrupt-gzip', 'broken.gz', undefined);
    expect(error.found).toMatch(/^a corrupt gzip stream \(the decoder failed after \d+ compressed bytes: /);
  });

  it('a gzip stream damaged in the middle', async () => {
    const gz = gzipSync(imagesIdx(50));
    gz.fill(0xaa, 12, 40);
    expectDataError(await dataErrorOf(() => readIdxBytes(gz, 'damaged.gz', 3)), 'corrupt-gzip', 'damaged.gz', undefined);
  });

  it('a gzip stream cut short, as corrupt gzip rather than as a truncated IDX file', async () => {
    const gz = gzipSync(imagesIdx(50));
    for (const cut of [gz.length - 4, gz.length - 20, 12]) {
      expectDataError(await dataErrorOf(() => readIdxBytes(gz.subarray(0, cut), 'cut.gz', 3)), 'corrupt-gzip', 'cut.gz', undefined);
    }
  });

  it('bytes after a whole gzip stream, at the byte where the stream ends, read in one chunk or many', async () => {
    const gz = gzipSync(imagesIdx(300));
    const junk = new Uint8Array([...gz, ...noise(300, 3)]);
    const whole = await dataErrorOf(() => readIdxBytes(junk, 'junk.gz', 3));
    expectDataError(whole, 'trailing-bytes', 'junk.gz', gz.length);
    expect(whole.message).toBe(`junk.gz, byte ${gz.length}: expected the file to end at byte ${gz.length}, where its gzip stream (a whole IDX file) ends, found more bytes after it`);
    for (const size of [97, 1000, gz.length]) {
      expectDataError(await dataErrorOf(() => readIdxStream(chunkedStream(junk, [size]), 'junk.gz', 3)), 'trailing-bytes', 'junk.gz', gz.length);
    }
    // A stream damaged inside keeps its trailer at the file's end, with nothing after it: corrupt, not junk after it.
    for (const at of [gz.length - 1, gz.length - 6, gz.length - 100, Math.floor(gz.length / 2)]) {
      const damaged = Uint8Array.from(gz);
      damaged[at] = (gz[at] ?? 0) ^ 0xff;
      for (const size of [97, gz.length]) {
        expectDataError(await dataErrorOf(() => readIdxStream(chunkedStream(damaged, [size]), 'damaged.gz', 3)), 'corrupt-gzip', 'damaged.gz', undefined);
      }
    }
  });

  it('an IDX problem inside a gzip stream, at its offset in the decompressed file, saying so', async () => {
    const bytes = imagesIdx(2, 3, 3);
    bytes[2] = 0x0d;
    const float = await dataErrorOf(() => readIdxBytes(gzipSync(bytes), 'float.gz', 3));
    expectDataError(float, 'bad-data-type', 'float.gz', 2, true);
    expect(float.message).toBe('float.gz, byte 2 of its unzipped data: expected data type 0x08 (unsigned byte), found data type 0x0d (32-bit float)');
    // Across the worker boundary too.
    expect(DataError.fromInfo(float.toInfo()).message).toBe(float.message);
    const short = gzipSync(imagesIdx(2, 3, 3).subarray(0, 20));
    expectDataError(await dataErrorOf(() => readIdxBytes(short, 'short.gz', 3)), 'truncated', 'short.gz', 20, true);
    const twice = gzipSync(gzipSync(labelsIdx([1])));
    const error = await dataErrorOf(() => readIdxBytes(twice, 'twice.gz', 1));
    expectDataError(error, 'bad-magic', 'twice.gz', 0, true);
    expect(error.found).toContain('a gzip stream that was not decompressed');
    // A .gz file that is gzip, holding bytes that are not IDX: not called "not gzip either".
    const wrapped = imagesIdx(2, 3, 3);
    wrapped[0] = 0x01;
    const inside = await dataErrorOf(() => readIdxBytes(gzipSync(wrapped), 'train-images-idx3-ubyte.gz', 3));
    expectDataError(inside, 'bad-magic', 'train-images-idx3-ubyte.gz', 0, true);
    expect(inside.message).toBe('train-images-idx3-ubyte.gz, byte 0 of its unzipped data: expected an IDX magic number starting with two zero bytes (00 00 08 0N), found 01 00 08 03');
  });

  it('an empty stream as a truncated file', async () => {
    expectDataError(await dataErrorOf(() => readIdxBytes(new Uint8Array(0), 'nothing', 1)), 'truncated', 'nothing', 0);
  });
});

describe('readIdxStream and its source', () => {
  it('cancels the source as soon as the header is known to be bad, raw or gzip', async () => {
    for (const [name, head] of [
      ['raw', new Uint8Array([0x50, 0x4b, 0x03, 0x04])],
      ['gzip', gzipSync(new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...noise(64)]))],
    ] as const) {
      let cancelledWith: unknown = null;
      // After the first chunk the source never ends: only a cancel lets the test finish.
      const stream = streamThen(head, () => undefined, (reason) => (cancelledWith = reason));
      const error = await dataErrorOf(() => readIdxStream(stream, name, 3));
      expect(error.kind).toBe('bad-magic');
      expect(cancelledWith).toBe(error);
    }
  });

  it('passes on a failure of the source mid-gzip as it is, not as corrupt gzip', async () => {
    const gz = gzipSync(imagesIdx(100));
    const dropped = new TypeError('terminated');
    const stream = streamThen(gz.subarray(0, 2000), (controller) => controller.error(dropped));
    await expect(readIdxStream(stream, 'dropped.gz', 3)).rejects.toBe(dropped);
  });

  it('passes on an abort mid-gzip as an AbortError', async () => {
    const gz = gzipSync(imagesIdx(100));
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    const stream = streamThen(gz.subarray(0, 2000), (controller) => controller.error(abort));
    const error: unknown = await readIdxStream(stream, 'aborted.gz', 3).catch((e: unknown) => e);
    expect(error).toBe(abort);
    expect(error).not.toBeInstanceOf(DataError);
  });
});

/**
 * Bytes in, IDX arrays out: reads a byte stream (a fetch body or a user's file), counts
 * progress, detects gzip by its magic bytes (1f 8b) rather than by file name — a dev server
 * may already have decoded a `.gz` — and decompresses with the platform's DecompressionStream.
 * Pure: no DOM beyond the web-stream APIs that Node and workers share.
 */
import { DataError, messageOf } from './errors';
import { IdxReader, type IdxArray } from './idx';

/** Called with the raw (possibly compressed) bytes received so far. */
export type ByteProgress = (received: number) => void;

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** True when `head` starts with the gzip magic bytes. */
export function isGzip(head: Uint8Array): boolean {
  return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/**
 * Yields every chunk `reader` gives, counting bytes into `onBytes`. A failed read calls
 * `onError` first, so a caller can tell the source's failures from the decoder's.
 */
async function* chunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onBytes?: ByteProgress,
  onError?: () => void,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        onError?.();
        throw error;
      }
      if (result.done) return;
      received += result.value.length;
      onBytes?.(received);
      yield result.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Rebuilds a stream from an iterator that has already been started. */
function streamFrom(first: Uint8Array, rest: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
  let sentFirst = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        controller.enqueue(first);
        return;
      }
      const next = await rest.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await rest.return?.(undefined);
    },
  });
}

/**
 * Decodes an IDX file from a byte stream, gunzipping it first when it is gzip-compressed.
 * `expectedDims` is 3 for images and 1 for labels. Throws DataError on any problem, and then
 * cancels the stream, so a download whose header is already wrong stops.
 */
export async function readIdxStream(
  stream: ReadableStream<Uint8Array>,
  file: string,
  expectedDims: number,
  onBytes?: ByteProgress,
): Promise<IdxArray> {
  const source = stream.getReader();
  let sourceFailed = false;
  const raw = chunks(source, onBytes, () => {
    sourceFailed = true;
  });
  try {
    return await decode(raw, file, expectedDims, () => sourceFailed);
  } catch (error) {
    // Cancelling ends a pending read too; a reader already released or errored just refuses.
    source.cancel(error).catch(() => undefined);
    throw error;
  }
}

/** Decodes the chunks of `raw`; `sourceFailed` says whether an error came from the source itself. */
async function decode(raw: AsyncGenerator<Uint8Array>, file: string, expectedDims: number, sourceFailed: () => boolean): Promise<IdxArray> {
  let first = new Uint8Array(0);
  // Gather at least two bytes to decide whether this is gzip.
  while (first.length < 2) {
    const next = await raw.next();
    if (next.done === true) break;
    const joined = new Uint8Array(first.length + next.value.length);
    joined.set(first);
    joined.set(next.value, first.length);
    first = joined;
  }
  const reader = new IdxReader(file, expectedDims, isGzip(first));
  if (!isGzip(first)) {
    reader.push(first);
    for (let next = await raw.next(); next.done !== true; next = await raw.next()) reader.push(next.value);
    return reader.finish();
  }
  let compressedRead = first.length;
  const counted = chunks(streamFrom(first, raw).getReader(), (n) => {
    compressedRead = n;
  });
  const tail: Uint8Array[] = [];
  const gunzip = new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
  const inflated = streamFrom(new Uint8Array(0), keepingTail(counted, tail)).pipeThrough(gunzip);
  const out = inflated.getReader();
  try {
    for (;;) {
      const { done, value } = await out.read();
      if (done) break;
      reader.push(value);
    }
    return { ...reader.finish(), gzipped: true };
  } catch (error) {
    // The decoder's own errors are corrupt gzip; the IDX reader's and the source's (a network
    // failure, an abort) pass through, the reader's saying that their bytes are unzipped ones.
    if (error instanceof DataError) throw error.offset === undefined ? error : error.inUnzippedData();
    if (sourceFailed() || (error instanceof Error && error.name === 'AbortError')) throw error;
    const length = reader.expectedLength();
    const end = length === null ? null : gzipEnd(tail, length);
    if (end !== null) {
      // The stream ended where an IDX file of that header's length does; what follows is not
      // gzip (Chromium: "Junk found after end of compressed data"; Node: "incorrect header check").
      const at = compressedRead - tail.reduce((sum, chunk) => sum + chunk.length, 0) + end;
      throw new DataError('trailing-bytes', file, at, `the file to end at byte ${at}, where its gzip stream (a whole IDX file) ends`, 'more bytes after it');
    }
    const reason = messageOf(error);
    throw new DataError('corrupt-gzip', file, undefined, 'a valid gzip stream', `a corrupt gzip stream (the decoder failed after ${compressedRead} compressed bytes: ${reason})`);
  } finally {
    out.releaseLock();
  }
}

/** Compressed chunks kept for looking for a gzip stream's end, which lies in the last one or two read when the decoder stops (two more for reading ahead). */
const TAIL_CHUNKS = 4;

/** Yields `source`'s chunks, keeping the last TAIL_CHUNKS of them in `tail`. */
async function* keepingTail(source: AsyncGenerator<Uint8Array>, tail: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    tail.push(chunk);
    if (tail.length > TAIL_CHUNKS) tail.shift();
    yield chunk;
  }
}

/**
 * Where a gzip stream of `length` unzipped bytes ends within `tail` (the compressed bytes last
 * read), when more bytes follow it: just after its trailer, which ends with that length mod
 * 2³², little-endian. Null when no such bytes are there, or nothing follows them (a stream
 * damaged inside, which keeps its trailer at the file's end). (Any 4 bytes match by chance
 * once in 4 billion places.)
 */
function gzipEnd(tail: readonly Uint8Array[], length: number): number | null {
  const bytes = new Uint8Array(tail.reduce((sum, chunk) => sum + chunk.length, 0));
  let filled = 0;
  for (const chunk of tail) {
    bytes.set(chunk, filled);
    filled += chunk.length;
  }
  const size = new DataView(new ArrayBuffer(4));
  size.setUint32(0, length >>> 0, true);
  const wanted = new Uint8Array(size.buffer);
  for (let at = 0; at + 4 < bytes.length; at++) {
    if (wanted.every((byte, i) => bytes[at + i] === byte)) return at + 4;
  }
  return null;
}

/** Decodes an IDX file held in memory (raw or gzip). */
export function readIdxBytes(bytes: Uint8Array, file: string, expectedDims: number): Promise<IdxArray> {
  return readIdxStream(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(), file, expectedDims);
}

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import { encodeIdx, IdxReader, parseIdx } from './idx';
import { readIdxBytes } from './stream';

const images = (count: number, h = 2, w = 3): Uint8Array => encodeIdx([count, h, w], new Uint8Array(count * h * w).map((_, i) => i % 251));

function failure(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

async function asyncFailure(run: () => Promise<unknown>): Promise<DataError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('parseIdx', () => {
  it('decodes dims and data of a well-formed file', () => {
    const idx = parseIdx(images(4), 'a.idx', 3);
    expect(idx.dims).toEqual([4, 2, 3]);
    expect(Array.from(idx.data.subarray(0, 4))).toEqual([0, 1, 2, 3]);
  });

  it('rejects a wrong magic number at byte 0, hinting at undecoded gzip', () => {
    const error = failure(() => parseIdx(gzipSync(images(1)), 'x.gz', 3));
    expect(error.kind).toBe('bad-magic');
    expect(error.offset).toBe(0);
    expect(error.message).toMatch(/^x\.gz, byte 0: expected an IDX magic number .* found 1f 8b .*gzip stream/);
  });

  it('rejects an unsupported data type at byte 2', () => {
    const bytes = images(1);
    bytes[2] = 0x0d;
    const error = failure(() => parseIdx(bytes, 'f.idx', 3));
    expect(error).toMatchObject({ kind: 'bad-data-type', offset: 2, file: 'f.idx' });
    expect(error.message).toBe('f.idx, byte 2: expected data type 0x08 (unsigned byte), found data type 0x0d (32-bit float)');
  });

  it('rejects the wrong number of dimensions at byte 3', () => {
    const error = failure(() => parseIdx(encodeIdx([3], new Uint8Array(3)), 'labels-as-images', 3));
    expect(error).toMatchObject({ kind: 'bad-dimensions', offset: 3, found: '1' });
  });

  it('rejects a zero dimension at its header offset', () => {
    const error = failure(() => parseIdx(encodeIdx([2, 0, 3], new Uint8Array(0)), 'z', 3));
    expect(error).toMatchObject({ kind: 'zero-dimension', offset: 8 });
  });

  it('rejects an absurd header before allocating anything', () => {
    const header = new Uint8Array(16);
    const view = new DataView(header.buffer);
    header[2] = 0x08;
    header[3] = 3;
    view.setUint32(4, 0xffff_ffff);
    view.setUint32(8, 28);
    view.setUint32(12, 28);
    expect(failure(() => parseIdx(header, 'huge', 3))).toMatchObject({ kind: 'absurd-dimension', offset: 4 });
    view.setUint32(4, 1_000_000);
    view.setUint32(8, 1_000);
    view.setUint32(12, 1_000);
    const error = failure(() => parseIdx(header, 'huge', 3));
    expect(error.kind).toBe('absurd-dimension');
    expect(error.found).toBe('1000000 × 1000 × 1000 = 1000000000000 bytes');
  });

  it('rejects a truncated header and truncated data, naming where the file ends', () => {
    expect(failure(() => parseIdx(images(2).subarray(0, 9), 't', 3))).toMatchObject({ kind: 'truncated', offset: 9 });
    const error = failure(() => parseIdx(images(2).subarray(0, 20), 't', 3));
    expect(error).toMatchObject({ kind: 'truncated', offset: 20 });
    expect(error.expected).toBe('28 bytes (header + 2 × 2 × 3 data bytes)');
  });

  it('rejects trailing bytes at the byte where the file should end', () => {
    const bytes = new Uint8Array([...images(2), 7, 7]);
    expect(failure(() => parseIdx(bytes, 'long', 3))).toMatchObject({ kind: 'trailing-bytes', offset: 28 });
  });

  it('decodes identically when fed one byte at a time', () => {
    const bytes = images(3, 4, 5);
    const reader = new IdxReader('chunks', 3);
    for (const byte of bytes) reader.push(new Uint8Array([byte]));
    expect(reader.finish()).toEqual(parseIdx(bytes, 'whole', 3));
  });
});

describe('readIdxBytes', () => {
  it('decodes gzip and raw input identically', async () => {
    const raw = images(5, 7, 4);
    expect(await readIdxBytes(gzipSync(raw), 'g', 3)).toEqual(await readIdxBytes(raw, 'r', 3));
  });

  it('reports a corrupt gzip stream as such, naming the file', async () => {
    const gz = gzipSync(images(50));
    gz.fill(0xaa, 12, 40);
    const error = await asyncFailure(() => readIdxBytes(gz, 'broken.gz', 3));
    expect(error).toMatchObject({ kind: 'corrupt-gzip', file: 'broken.gz' });
    expect(error.message).toMatch(/^broken\.gz: expected a valid gzip stream, found a corrupt gzip stream/);
  });

  it('reports a gzip stream cut short as corrupt', async () => {
    const gz = gzipSync(images(50));
    const error = await asyncFailure(() => readIdxBytes(gz.subarray(0, gz.length - 20), 'cut.gz', 3));
    expect(error.kind).toMatch(/corrupt-gzip|truncated/);
  });
});

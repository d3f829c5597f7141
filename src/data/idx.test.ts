import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeIdx, IDX_LIMITS, IdxReader, newDataArray, parseIdx, viewIdx } from './idx';
import { expectDataError, imagesIdx, labelsIdx, syncDataErrorOf } from './testing';

/** A bare 16-byte image header (00 00 08 03, then three big-endian uint32 dimensions). */
function imageHeader(count: number, height: number, width: number): Uint8Array {
  const header = new Uint8Array(16);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = 3;
  view.setUint32(4, count);
  view.setUint32(8, height);
  view.setUint32(12, width);
  return header;
}

describe('encodeIdx and parseIdx', () => {
  it('round-trip images and labels, keeping dims and bytes', () => {
    const bytes = imagesIdx(4, 2, 3);
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 3]);
    const idx = parseIdx(bytes, 'a.idx', 3);
    expect(idx.dims).toEqual([4, 2, 3]);
    expect(idx.data).toEqual(bytes.subarray(16));
    expect(parseIdx(labelsIdx([7, 0, 9]), 'l.idx', 1)).toEqual({ dims: [3], data: Uint8Array.from([7, 0, 9]) });
  });
});

describe('parseIdx rejects a bad header, naming the file and the byte', () => {
  it('a gzip stream that was never decompressed: bad magic at byte 0, with a hint', () => {
    const error = syncDataErrorOf(() => parseIdx(gzipSync(imagesIdx(1)), 'x.gz', 3));
    expectDataError(error, 'bad-magic', 'x.gz', 0);
    expect(error.found).toBe('1f 8b 08 00 (a gzip stream that was not decompressed)');
  });

  it('a text file (a README or an HTML page picked by mistake): bad magic at byte 0, said to be text', () => {
    const html = new TextEncoder().encode('<!doctype html><title>404</title>');
    const error = syncDataErrorOf(() => parseIdx(html, 'page.html', 3));
    expectDataError(error, 'bad-magic', 'page.html', 0);
    expect(error.found).toBe('3c 21 64 6f (text, "<!do…", not an IDX file)');
  });

  it('any other non-IDX file: bad magic at byte 0, with no guess', () => {
    const error = syncDataErrorOf(() => parseIdx(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0), 'random.bin', 3));
    expect(error.found).toBe('de ad be ef');
  });

  it('a PNG or JPEG image renamed: says which, and where an image goes', () => {
    const png = syncDataErrorOf(() => parseIdx(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'digit.idx', 3));
    expect(png.found).toBe('89 50 4e 47 (a PNG image, not an IDX file: load one image on the Draw tab, or a dataset as IDX files)');
    const jpeg = syncDataErrorOf(() => parseIdx(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0), 'digit.idx', 3));
    expect(jpeg.found).toMatch(/^ff d8 ff e0 \(a JPEG image, not an IDX file/);
  });

  it('a header written little-endian: says its bytes are reversed, and how it should start', () => {
    const reversed = Uint8Array.of(0x03, 0x08, 0, 0, 10, 0, 0, 0);
    const error = syncDataErrorOf(() => parseIdx(reversed, 'train-images-idx3-ubyte', 3));
    expectDataError(error, 'bad-magic', 'train-images-idx3-ubyte', 0);
    expect(error.found).toBe('03 08 00 00 (an IDX header written with its bytes reversed, little-endian: IDX is big-endian, so this one should start 00 00 08 03)');
  });

  it('a file named .gz that is not gzip: says so, since the name promised it', () => {
    const text = new TextEncoder().encode('this is not gzip');
    const error = syncDataErrorOf(() => parseIdx(text, 'train-images-idx3-ubyte.gz', 3));
    expectDataError(error, 'bad-magic', 'train-images-idx3-ubyte.gz', 0);
    expect(error.found).toBe('74 68 69 73 (the name ends in .gz, but the file is not gzip either: gzip starts 1f 8b)');
  });

  it('an unsupported data type (0x0D, 32-bit float) at byte 2', () => {
    const bytes = imagesIdx(1, 2, 2);
    bytes[2] = 0x0d;
    const error = syncDataErrorOf(() => parseIdx(bytes, 'f.idx', 3));
    expectDataError(error, 'bad-data-type', 'f.idx', 2);
    expect(error.message).toBe('f.idx, byte 2: expected data type 0x08 (unsigned byte), found data type 0x0d (32-bit float)');
  });

  it('a type byte the format does not define at all', () => {
    const bytes = labelsIdx([1]);
    bytes[2] = 0x42;
    expect(syncDataErrorOf(() => parseIdx(bytes, 'l', 1)).found).toBe('data type 0x42 (not an IDX data type)');
  });

  it('the wrong number of dimensions at byte 3, both ways round', () => {
    const labelsAsImages = syncDataErrorOf(() => parseIdx(labelsIdx([1, 2, 3]), 'labels.idx', 3));
    expectDataError(labelsAsImages, 'bad-dimensions', 'labels.idx', 3);
    expect(labelsAsImages.message).toBe('labels.idx, byte 3: expected 3 dimensions (images: (count, height, width)), found 1');
    const imagesAsLabels = syncDataErrorOf(() => parseIdx(imagesIdx(1, 2, 2), 'images.idx', 1));
    expectDataError(imagesAsLabels, 'bad-dimensions', 'images.idx', 3);
    expect(imagesAsLabels.found).toBe('3');
  });

  it('a zero dimension at the byte where that dimension is stored', () => {
    expectDataError(syncDataErrorOf(() => parseIdx(encodeIdx([0, 2, 3], new Uint8Array(0)), 'z', 3)), 'zero-dimension', 'z', 4);
    expectDataError(syncDataErrorOf(() => parseIdx(encodeIdx([2, 0, 3], new Uint8Array(0)), 'z', 3)), 'zero-dimension', 'z', 8);
    expectDataError(syncDataErrorOf(() => parseIdx(encodeIdx([2, 3, 0], new Uint8Array(0)), 'z', 3)), 'zero-dimension', 'z', 12);
    expectDataError(syncDataErrorOf(() => parseIdx(encodeIdx([0], new Uint8Array(0)), 'zl', 1)), 'zero-dimension', 'zl', 4);
  });

  it('a 16-byte header claiming about 4 billion bytes, from the header alone and before allocating', () => {
    // One dimension over the per-dimension limit.
    const started = performance.now();
    const reader = new IdxReader('huge', 3);
    const oneHuge = syncDataErrorOf(() => reader.push(imageHeader(0xffff_ffff, 28, 28)));
    expectDataError(oneHuge, 'absurd-dimension', 'huge', 4);
    expect(oneHuge.found).toBe('4,294,967,295');
    // Every dimension within its limit, but 4 000 000 × 1 000 × 1 bytes of data in all.
    const product = syncDataErrorOf(() => new IdxReader('huge', 3).push(imageHeader(4_000_000, 1_000, 1)));
    expectDataError(product, 'absurd-dimension', 'huge', 4);
    expect(product.found).toBe('4,000,000 × 1,000 × 1 = 4,000,000,000 bytes');
    expect(product.expected).toBe('at most 1,073,741,824 bytes of data (1 GiB)');
    // Allocating and zeroing 4 GB would take seconds (or fail with a RangeError instead).
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('accepts a header exactly at the dimension limit (then finds the data missing)', () => {
    const header = encodeIdx([IDX_LIMITS.maxDimension], new Uint8Array(0));
    const error = syncDataErrorOf(() => parseIdx(header, 'big-labels', 1));
    expectDataError(error, 'truncated', 'big-labels', 8);
  });
});

describe('parseIdx rejects a file of the wrong length', () => {
  it('an empty file and a header cut short, at the byte where the file ends', () => {
    const empty = syncDataErrorOf(() => parseIdx(new Uint8Array(0), 'empty', 3));
    expectDataError(empty, 'truncated', 'empty', 0);
    expect(empty.expected).toBe('a complete 4-byte header');
    const inMagic = syncDataErrorOf(() => parseIdx(imagesIdx(2, 2, 3).subarray(0, 3), 't', 3));
    expectDataError(inMagic, 'truncated', 't', 3);
    const inDims = syncDataErrorOf(() => parseIdx(imagesIdx(2, 2, 3).subarray(0, 9), 't', 3));
    expectDataError(inDims, 'truncated', 't', 9);
    expect(inDims.message).toBe('t, byte 9: expected a complete 16-byte header, found the file ends after 9 bytes');
  });

  it('truncated data, saying how long the file should be', () => {
    const error = syncDataErrorOf(() => parseIdx(imagesIdx(2, 2, 3).subarray(0, 20), 'short', 3));
    expectDataError(error, 'truncated', 'short', 20);
    expect(error.expected).toBe('28 bytes (header + 2 × 2 × 3 data bytes)');
    expect(error.found).toBe('the file ends after 20 bytes');
  });

  it('trailing bytes, at the byte where the file should have ended', () => {
    const bytes = new Uint8Array([...imagesIdx(2, 2, 3), 7, 7]);
    const error = syncDataErrorOf(() => parseIdx(bytes, 'long', 3));
    expectDataError(error, 'trailing-bytes', 'long', 28);
    const reader = new IdxReader('long-labels', 1);
    reader.push(labelsIdx([1, 2]));
    expectDataError(syncDataErrorOf(() => reader.push(new Uint8Array([0]))), 'trailing-bytes', 'long-labels', 10);
  });
});

describe('decoded data in shared memory', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is shared where the page is cross-origin isolated, so the worker and the page can hold one copy', () => {
    vi.stubGlobal('crossOriginIsolated', true);
    expect(parseIdx(imagesIdx(2, 2, 3), 'i', 3).data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(newDataArray(4).buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('is ordinary memory elsewhere, which the worker copies and transfers', () => {
    expect(globalThis.crossOriginIsolated).toBeUndefined();
    expect(parseIdx(imagesIdx(2, 2, 3), 'i', 3).data.buffer).toBeInstanceOf(ArrayBuffer);
  });
});

describe('viewIdx', () => {
  it('decodes a whole file as a view of its bytes, without a copy', () => {
    const bytes = imagesIdx(2, 2, 3);
    const view = viewIdx(bytes, 'v', 3);
    expect(view.dims).toEqual([2, 2, 3]);
    expect(view.data.buffer).toBe(bytes.buffer);
    expect(view.data.byteOffset).toBe(16);
    expect(Array.from(view.data)).toEqual(Array.from(parseIdx(bytes, 'v', 3).data));
  });

  it("reports a bad file as parseIdx does", () => {
    for (const bytes of [imagesIdx(2, 2, 3).subarray(0, 20), new Uint8Array([...imagesIdx(2, 2, 3), 7]), imagesIdx(2, 2, 3).subarray(0, 9), labelsIdx([1])]) {
      expect(syncDataErrorOf(() => viewIdx(bytes, 'bad', 3)).message).toBe(syncDataErrorOf(() => parseIdx(bytes, 'bad', 3)).message);
    }
  });
});

describe('IdxReader', () => {
  it('decodes identically however the file is cut, including inside the header', () => {
    const bytes = imagesIdx(3, 4, 5);
    const whole = parseIdx(bytes, 'whole', 3);
    for (let cut = 1; cut < 24; cut++) {
      const reader = new IdxReader('two', 3);
      reader.push(bytes.subarray(0, cut));
      reader.push(bytes.subarray(cut));
      expect(reader.finish()).toEqual(whole);
    }
  });

  it('decodes identically from chunks of 1 to 3 bytes', () => {
    const bytes = imagesIdx(3, 4, 5);
    const reader = new IdxReader('tiny', 3);
    for (let offset = 0, turn = 0; offset < bytes.length; turn++) {
      const size = 1 + (turn % 3);
      reader.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    reader.push(new Uint8Array(0));
    expect(reader.finish()).toEqual(parseIdx(bytes, 'whole', 3));
  });

  it('reports a bad header as soon as the bytes that show it arrive', () => {
    const reader = new IdxReader('early', 3);
    reader.push(new Uint8Array([0, 0, 8]));
    expectDataError(syncDataErrorOf(() => reader.push(new Uint8Array([1]))), 'bad-dimensions', 'early', 3);
  });
});

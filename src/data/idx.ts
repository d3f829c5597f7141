/**
 * IDX files (the format MNIST and Fashion-MNIST ship in): a streaming reader that validates
 * the header before it allocates anything, and fills one buffer of exactly the declared size.
 * Pure: no fetch, no DOM, no tfjs.
 *
 * Layout: two zero bytes, a data-type byte (0x08 = unsigned byte), a dimension-count byte,
 * then one big-endian uint32 per dimension, then the data, row-major.
 */
import { DataError } from './errors';

/**
 * A zeroed byte array for decoded data: in shared memory where the page is cross-origin
 * isolated, so the worker and the page can hold the same dataset without copying 55 MB
 * between them; ordinary memory elsewhere.
 */
export function newDataArray(length: number): Uint8Array {
  return globalThis.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length);
}

/** A decoded IDX array: its dimensions and its bytes. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
  /** True when the file was gzip: byte offsets into it count its unzipped data. */
  readonly gzipped?: boolean;
}

/** Data types the IDX format defines, by their type byte. Only unsigned bytes are supported. */
const IDX_TYPES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: '16-bit integer',
  0x0c: '32-bit integer',
  0x0d: '32-bit float',
  0x0e: '64-bit float',
};

const UNSIGNED_BYTE = 0x08;

/** Limits that turn a hostile or corrupt header into an error instead of a huge allocation. */
export const IDX_LIMITS = {
  /** Largest accepted single dimension (item count or side length). */
  maxDimension: 16_777_216,
  /** Largest accepted data section: 1 GiB. Fashion-MNIST's train images are 47 MB. */
  maxBytes: 1 << 30,
} as const;

const hex = (value: number, digits: number): string => `0x${value.toString(16).padStart(digits, '0')}`;

function typeName(byte: number): string {
  return `${hex(byte, 2)} (${IDX_TYPES[byte] ?? 'not an IDX data type'})`;
}

/** Bytes the header takes for `ndims` dimensions. */
const headerLength = (ndims: number): number => 4 + 4 * ndims;

/** A size as people read it in a message: 1,073,741,824. */
const grouped = (n: number): string => n.toLocaleString('en-US');

/** The text in `bytes` if they are all printable ASCII (a README or a CSV picked by mistake), else null. */
export function asciiText(bytes: Uint8Array): string | null {
  return bytes.length > 0 && bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f)) ? String.fromCharCode(...bytes) : null;
}

/**
 * What a file that does not start like IDX most likely is, from its first bytes: the usual
 * mix-ups are a gzip file not unzipped, an image or a text file picked by mistake, and a header
 * written little-endian (NumPy's `tofile` on a little-endian machine), whose bytes come reversed.
 */
function magicHint(head: Uint8Array, file: string, unzipped: boolean): string {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = head;
  if (b0 === 0x1f && b1 === 0x8b) return ' (a gzip stream that was not decompressed)';
  if (b0 === 0x89 && b1 === 0x50 && b2 === 0x4e && b3 === 0x47) return ' (a PNG image, not an IDX file: load one image on the Draw tab, or a dataset as IDX files)';
  if (b0 === 0xff && b1 === 0xd8 && b2 === 0xff) return ' (a JPEG image, not an IDX file: load one image on the Draw tab, or a dataset as IDX files)';
  if (b0 >= 1 && b0 <= 4 && IDX_TYPES[b1] !== undefined && b2 === 0 && b3 === 0) {
    return ` (an IDX header written with its bytes reversed, little-endian: IDX is big-endian, so this one should start 00 00 ${hex(b1, 2).slice(2)} 0${b0})`;
  }
  // Unzipped data was gzip: only the file's own bytes can fail to be.
  if (!unzipped && /\.gz$/i.test(file)) return ' (the name ends in .gz, but the file is not gzip either: gzip starts 1f 8b)';
  const text = asciiText(head.subarray(0, 4));
  return text === null ? '' : ` (text, "${text.replace(/\s/g, ' ')}…", not an IDX file)`;
}

/**
 * Reads and validates an IDX header from `head` (which holds at least the first 4 bytes).
 * Returns null while more bytes are needed. `expectedDims` is 3 for images, 1 for labels.
 */
function parseHeader(head: Uint8Array, file: string, expectedDims: number, unzipped = false): { dims: number[]; length: number } | null {
  const b0 = head[0] ?? 0;
  const b1 = head[1] ?? 0;
  const type = head[2] ?? 0;
  const ndims = head[3] ?? 0;
  if (b0 !== 0 || b1 !== 0) {
    const found = Array.from(head.subarray(0, 4), (b) => hex(b, 2).slice(2)).join(' ');
    throw new DataError('bad-magic', file, 0, 'an IDX magic number starting with two zero bytes (00 00 08 0N)', `${found}${magicHint(head, file, unzipped)}`);
  }
  if (type !== UNSIGNED_BYTE) {
    throw new DataError('bad-data-type', file, 2, `data type ${typeName(UNSIGNED_BYTE)}`, `data type ${typeName(type)}`);
  }
  if (ndims !== expectedDims) {
    const role = expectedDims === 1 ? 'labels: (count)' : expectedDims === 3 ? 'images: (count, height, width)' : 'the expected layout';
    throw new DataError('bad-dimensions', file, 3, `${expectedDims} dimension${expectedDims === 1 ? '' : 's'} (${role})`, `${ndims}`);
  }
  const length = headerLength(ndims);
  if (head.length < length) return null;
  const view = new DataView(head.buffer, head.byteOffset, length);
  const dims: number[] = [];
  let total = 1;
  for (let i = 0; i < ndims; i++) {
    const offset = 4 + 4 * i;
    const dim = view.getUint32(offset, false);
    if (dim === 0) throw new DataError('zero-dimension', file, offset, `dimension ${i} to be at least 1`, '0');
    if (dim > IDX_LIMITS.maxDimension) {
      throw new DataError('absurd-dimension', file, offset, `dimension ${i} to be at most ${grouped(IDX_LIMITS.maxDimension)}`, grouped(dim));
    }
    dims.push(dim);
    total *= dim;
  }
  if (total > IDX_LIMITS.maxBytes) {
    throw new DataError('absurd-dimension', file, 4, `at most ${grouped(IDX_LIMITS.maxBytes)} bytes of data (${IDX_LIMITS.maxBytes / 2 ** 30} GiB)`, `${dims.map(grouped).join(' × ')} = ${grouped(total)} bytes`);
  }
  return { dims, length };
}

/**
 * Incremental IDX decoder: `push` decompressed chunks as they arrive, then `finish`.
 * The data buffer is allocated once, after the header has been validated.
 */
export class IdxReader {
  private readonly file: string;
  private readonly expectedDims: number;
  private head = new Uint8Array(0);
  private dims: number[] | null = null;
  private headerBytes = 0;
  private data: Uint8Array | null = null;
  private filled = 0;
  private received = 0;
  /** True when the bytes pushed are a gzip file's unzipped data. */
  private readonly unzipped: boolean;

  constructor(file: string, expectedDims: number, unzipped = false) {
    this.file = file;
    this.expectedDims = expectedDims;
    this.unzipped = unzipped;
  }

  /** Adds the next chunk of the decompressed file. */
  push(chunk: Uint8Array): void {
    this.received += chunk.length;
    let rest = chunk;
    if (this.data === null) {
      const head = new Uint8Array(this.head.length + chunk.length);
      head.set(this.head);
      head.set(chunk, this.head.length);
      this.head = head;
      if (head.length < 4) return;
      const header = parseHeader(head, this.file, this.expectedDims, this.unzipped);
      if (header === null) return;
      this.dims = header.dims;
      this.headerBytes = header.length;
      this.data = newDataArray(header.dims.reduce((a, b) => a * b, 1));
      rest = head.subarray(header.length);
      this.head = new Uint8Array(0);
    }
    const room = this.data.length - this.filled;
    if (rest.length > room) {
      const offset = this.headerBytes + this.data.length;
      throw new DataError('trailing-bytes', this.file, offset, `the file to end at byte ${offset} (header + data)`, 'more bytes after the data');
    }
    this.data.set(rest, this.filled);
    this.filled += rest.length;
  }

  /** The file's length (header + data) as its header gives it, once the header is read; else null. */
  expectedLength(): number | null {
    return this.data === null ? null : this.headerBytes + this.data.length;
  }

  /** Checks that the file was complete and returns it. */
  finish(): IdxArray {
    if (this.data === null || this.dims === null) {
      const need = this.received < 4 ? 4 : headerLength(this.head[3] ?? 0);
      throw new DataError('truncated', this.file, this.received, `a complete ${need}-byte header`, `the file ends after ${grouped(this.received)} bytes`);
    }
    if (this.filled < this.data.length) {
      const expected = this.headerBytes + this.data.length;
      throw new DataError('truncated', this.file, this.received, `${grouped(expected)} bytes (header + ${this.dims.map(grouped).join(' × ')} data bytes)`, `the file ends after ${grouped(this.received)} bytes`);
    }
    return { dims: this.dims, data: this.data };
  }
}

/** Parses a whole decompressed IDX file held in memory. */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims: number): IdxArray {
  const reader = new IdxReader(file, expectedDims);
  reader.push(bytes);
  return reader.finish();
}

/**
 * Decodes an IDX file held whole in memory without copying its data: the result is a view of
 * `bytes`, which the caller hands over. The checks are `parseIdx`'s, which reports any failure.
 */
export function viewIdx(bytes: Uint8Array, file: string, expectedDims: number): IdxArray {
  const header = bytes.length >= 4 ? parseHeader(bytes, file, expectedDims) : null;
  if (header === null || bytes.length !== header.length + header.dims.reduce((a, b) => a * b, 1)) return parseIdx(bytes, file, expectedDims);
  return { dims: header.dims, data: bytes.subarray(header.length) };
}

/** The header of an unsigned-byte IDX file with these dimensions: the bytes before its data. */
export function encodeIdxHeader(dims: readonly number[]): Uint8Array {
  const out = new Uint8Array(headerLength(dims.length));
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = dims.length;
  dims.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  return out;
}

/** Encodes an unsigned-byte IDX file (used by tests and by users' exports). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = encodeIdxHeader(dims);
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

/**
 * Typed data errors: every failure to read a dataset says which file, which byte, what was
 * expected and what was found. Owns no I/O. Errors cross the worker boundary as plain
 * `DataErrorInfo` objects and are rebuilt on the other side. Also how anything thrown reads
 * inside one of our messages, for every layer of the app.
 */

/** What kind of problem a file has; the UI and tests key on it, people read `message`. */
export const DATA_ERROR_KINDS = [
  'bad-magic',
  'bad-data-type',
  'bad-dimensions',
  'zero-dimension',
  'absurd-dimension',
  'truncated',
  'trailing-bytes',
  'count-mismatch',
  'shape-mismatch',
  'label-out-of-range',
  'one-class',
  'corrupt-gzip',
  'http-error',
  'aborted',
  'network-error',
  'missing-file',
] as const;

export type DataErrorKind = (typeof DATA_ERROR_KINDS)[number];

/** A serialisable description of a data error. */
export interface DataErrorInfo {
  readonly kind: DataErrorKind;
  /** The file's name as the user knows it (`train-images-idx3-ubyte.gz`). */
  readonly file: string;
  /** Byte offset in the decompressed file where the problem is, when there is one. */
  readonly offset?: number;
  /** True when the file is gzip: `offset` then counts bytes of its unzipped data, not of the file. */
  readonly unzipped?: boolean;
  readonly expected: string;
  readonly found: string;
  readonly message: string;
}

function describe(file: string, offset: number | undefined, expected: string, found: string, unzipped: boolean): string {
  const where = offset === undefined ? file : `${file}, byte ${offset}${unzipped ? ' of its unzipped data' : ''}`;
  return `${where}: expected ${expected}, found ${found}`;
}

/** An error in a dataset file, naming the file, the byte offset, and what was expected and found. */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly kind: DataErrorKind;
  readonly file: string;
  readonly offset: number | undefined;
  readonly expected: string;
  readonly found: string;
  readonly unzipped: boolean;

  constructor(kind: DataErrorKind, file: string, offset: number | undefined, expected: string, found: string, unzipped = false) {
    super(describe(file, offset, expected, found, unzipped));
    this.kind = kind;
    this.file = file;
    this.offset = offset;
    this.expected = expected;
    this.found = found;
    this.unzipped = unzipped;
  }

  /** The same error in a gzip file: its byte offset counts the unzipped data, and says so. */
  inUnzippedData(): DataError {
    return new DataError(this.kind, this.file, this.offset, this.expected, this.found, true);
  }

  /** The plain-object form that survives `postMessage`. */
  toInfo(): DataErrorInfo {
    return {
      kind: this.kind,
      file: this.file,
      ...(this.offset === undefined ? {} : { offset: this.offset }),
      ...(this.unzipped ? { unzipped: true } : {}),
      expected: this.expected,
      found: this.found,
      message: this.message,
    };
  }

  /** Rebuilds an error sent across the worker boundary. */
  static fromInfo(info: DataErrorInfo): DataError {
    return new DataError(info.kind, info.file, info.offset, info.expected, info.found, info.unzipped === true);
  }
}

/** Turns anything thrown while loading `file` into a DataError (unknown errors become network errors). */
export function toDataError(error: unknown, file: string): DataError {
  if (error instanceof DataError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new DataError('aborted', file, undefined, 'a complete download', 'the download was aborted');
  }
  return new DataError('network-error', file, undefined, 'a readable file', messageOf(error));
}

/** What a thrown value says: an Error's message, anything else (a string, a DOMException's text) as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A message set inside a sentence of ours ("… could not be saved: {clause}."): without its own closing full stop. */
export function asClause(message: string): string {
  return message.replace(/\.$/, '');
}

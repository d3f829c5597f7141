import { describe, expect, it } from 'vitest';
import { asClause, DataError, messageOf, toDataError } from './errors';

describe('messages of thrown values', () => {
  it("reads an Error's message, and anything else thrown as text", () => {
    expect(messageOf(new Error('the disk is full.'))).toBe('the disk is full.');
    expect(messageOf(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe('The quota has been exceeded.');
    expect(messageOf('a string')).toBe('a string');
    expect(messageOf(42)).toBe('42');
  });

  it('drops only the closing full stop of a message set inside a sentence', () => {
    expect(asClause('byte 8 of weights.bin is NaN.')).toBe('byte 8 of weights.bin is NaN');
    expect(asClause('version 1.2 of the file')).toBe('version 1.2 of the file');
    expect(asClause('')).toBe('');
  });

  it('turns an unknown failure while loading a file into a network error naming the file', () => {
    const error = toDataError(new TypeError('Failed to fetch'), 'train-labels-idx1-ubyte.gz');
    expect(error).toBeInstanceOf(DataError);
    expect([error.kind, error.file, error.found]).toEqual(['network-error', 'train-labels-idx1-ubyte.gz', 'Failed to fetch']);
  });
});

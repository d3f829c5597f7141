import { describe, expect, it } from 'vitest';
import { pointsWords } from './ConfusionCompare';

describe("a confusion difference's size in percentage points", () => {
  it('keeps one decimal under 10 points and drops it from 10 up, so that a column of them fits a phone', () => {
    expect(pointsWords(0.42)).toBe('0.4');
    expect(pointsWords(-7.56)).toBe('7.6');
    expect(pointsWords(9.96)).toBe('10');
    expect(pointsWords(-35.8)).toBe('36');
    expect(pointsWords(100)).toBe('100');
  });
});

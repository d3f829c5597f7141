import { describe, expect, it } from 'vitest';
import { counted, duration, grouped } from './words';

describe('the page\'s words', () => {
  it('counts with a plural noun unless the count is one', () => {
    expect(counted(1, 'epoch')).toBe('1 epoch');
    expect(counted(0, 'epoch')).toBe('0 epochs');
    expect(counted(12, 'training image')).toBe('12 training images');
  });

  it('groups the digits of a count in threes, whatever the browser\'s language', () => {
    expect(grouped(300)).toBe('300');
    expect(grouped(60000)).toBe('60,000');
    expect(counted(18000, 'training image')).toBe('18,000 training images');
  });

  it.each([
    [0, '0 s'],
    [44.6, '45 s'],
    [59.6, '1 min 0 s'],
    [125, '2 min 5 s'],
    [3599.4, '59 min 59 s'],
    [3599.6, '1 h 0 min'],
    [5100, '1 h 25 min'],
    [5159, '1 h 25 min'],
    [Number.POSITIVE_INFINITY, '–'],
    [Number.NaN, '–'],
    [-3, '–'],
  ])('says %d seconds as "%s"', (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });
});

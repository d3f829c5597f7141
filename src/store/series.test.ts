import { describe, expect, it } from 'vitest';
import { appendThinned } from './series';

describe('appendThinned', () => {
  it('appends until the cap, then halves and keeps the newest point', () => {
    let series: number[] = [];
    for (let i = 0; i < 10; i++) series = appendThinned(series, i, 4);
    expect(series.length).toBeLessThanOrEqual(4);
    expect(series.at(-1)).toBe(9);
    expect([...series].sort((a, b) => a - b)).toEqual(series);
  });

  it('never drops below half the cap once full', () => {
    let series: number[] = [];
    for (let i = 0; i < 1000; i++) series = appendThinned(series, i, 100);
    expect(series.length).toBeGreaterThanOrEqual(50);
    expect(series.length).toBeLessThanOrEqual(100);
  });
});

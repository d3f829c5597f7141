import { describe, expect, it } from 'vitest';
import { appendThinned, isEvaluating, lastStep, runFraction, secondsLeftOf } from './series';

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

describe('lastStep', () => {
  it('reads the epoch and step a run stopped at from its last point', () => {
    expect(lastStep([{ x: 0.2 }, { x: 0.6 }], 1688)).toEqual({ epoch: 1, batch: 1013, batches: 1688 });
    expect(lastStep([{ x: 1.5 }], 10)).toEqual({ epoch: 2, batch: 5, batches: 10 });
  });

  it("counts a point at an epoch's end as that epoch's last step, not the next one's first", () => {
    expect(lastStep([{ x: 2 }], 10)).toEqual({ epoch: 2, batch: 10, batches: 10 });
    expect(lastStep([{ x: 1 / 3 + 2 / 3 }], 3)).toEqual({ epoch: 1, batch: 3, batches: 3 });
  });

  it('is null without points', () => {
    expect(lastStep([], 10)).toBeNull();
  });
});

describe('runFraction', () => {
  it('counts the epochs done and the part of the one under way, up to 1', () => {
    expect(runFraction({ epoch: 2, batch: 3, batches: 6 }, 1, 5)).toBeCloseTo(0.3, 12);
    expect(runFraction(null, 2, 4)).toBe(0.5);
    expect(runFraction({ epoch: 4, batch: 6, batches: 6 }, 4, 4)).toBe(1);
    expect(runFraction(null, 0, 0)).toBe(0);
  });
});

describe('secondsLeftOf', () => {
  const progress = { epoch: 2, etaSeconds: 40 };
  const epochs = [{ epoch: 1, etaSeconds: 60 }];

  it("goes by the last batch report while an epoch trains, and by a pass's own figure while one reports", () => {
    expect(secondsLeftOf({ progress, epochs })).toBe(40);
    expect(secondsLeftOf({ progress, epochs, pass: { etaSeconds: 12 } })).toBe(12);
  });

  it("goes by the last epoch's figure once that epoch has ended: after the last one, the test evaluation's", () => {
    expect(secondsLeftOf({ progress, epochs: [...epochs, { epoch: 2, etaSeconds: 3 }], pass: null })).toBe(3);
    expect(secondsLeftOf({ progress: null, epochs: [] })).toBeNaN();
  });
});

describe('isEvaluating', () => {
  const spec = { fit: { epochs: 5 } };
  it('is true once all epochs are trained, or once the test pass has said so: after an early stop, fewer epochs', () => {
    expect(isEvaluating({ spec, epochs: [1, 2, 3, 4, 5], evaluation: null })).toBe(true);
    expect(isEvaluating({ spec, epochs: [1, 2], evaluation: null })).toBe(false);
    expect(isEvaluating({ spec, epochs: [1, 2], evaluation: null, pass: { pass: 'test' } })).toBe(true);
    expect(isEvaluating({ spec, epochs: [1, 2], evaluation: null, pass: { pass: 'validation' } })).toBe(false);
    expect(isEvaluating({ spec, epochs: [1, 2, 3, 4, 5], evaluation: {} })).toBe(false);
  });
});

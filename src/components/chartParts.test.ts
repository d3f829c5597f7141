import { describe, expect, it } from 'vitest';
import { comparedAccuracyAxis } from './chartParts';

describe('comparedAccuracyAxis', () => {
  it('starts a tenth below the lowest point, never on it, and ends at 1', () => {
    expect(comparedAccuracyAxis(0.9012).domain).toEqual([0.8, 1]);
    expect(comparedAccuracyAxis(0.95).domain).toEqual([0.9, 1]);
    // A point at 0.9 or 0.81 would sit on (or just above) an axis starting at 0.9 or 0.8.
    expect(comparedAccuracyAxis(0.9).domain).toEqual([0.8, 1]);
    expect(comparedAccuracyAxis(0.81).domain).toEqual([0.7, 1]);
    expect(comparedAccuracyAxis(0.82).domain).toEqual([0.8, 1]);
  });

  it('ticks at round steps that end on both ends of the axis', () => {
    expect(comparedAccuracyAxis(0.755).ticks).toEqual([0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1]);
    expect(comparedAccuracyAxis(0.95).ticks).toEqual([0.9, 0.95, 1]);
    expect(comparedAccuracyAxis(0.55).ticks).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    // Seven tenths would need a tick every 0.1 (eight labels on a short chart): the axis takes one more tenth.
    expect(comparedAccuracyAxis(0.35).ticks).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(comparedAccuracyAxis(0.1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(comparedAccuracyAxis(0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('has an axis before any run has an epoch', () => {
    expect(comparedAccuracyAxis(Infinity)).toEqual({ domain: [0.9, 1], ticks: [0.9, 0.95, 1] });
    expect(comparedAccuracyAxis(NaN)).toEqual({ domain: [0.9, 1], ticks: [0.9, 0.95, 1] });
  });
});

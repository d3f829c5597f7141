import { describe, expect, it } from 'vitest';
import { comparedAccuracyAxis, dwarfingRun, formatLoss } from './chartParts';

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

describe('formatLoss', () => {
  it('writes every tick of a narrow loss axis apart, and round ones without float noise', () => {
    // A one-epoch CNN's loss axis, as Recharts ticked it: two digits wrote 2.2, 2.3, 2.3, 2.3, 2.3.
    const narrow = [2.24, 2.26, 2.28, 2.3, 2.32].map(formatLoss);
    expect(narrow).toEqual(['2.24', '2.26', '2.28', '2.3', '2.32']);
    expect([0, 0.1 + 0.2, 0.5, 1, 1.5].map(formatLoss)).toEqual(['0', '0.3', '0.5', '1', '1.5']);
    expect([0.0012, 0.0014, 12340, 1.2e17, 2.5e16].map(formatLoss)).toEqual(['0.0012', '0.0014', '12340', '1.2e+17', '2.5e+16']);
  });
});

describe('dwarfingRun', () => {
  const run = (name: string, losses: number[]) => ({ name, losses });

  it('names the run whose loss is over a hundred times another run’s', () => {
    const exploded = run('lr 1e9', [3.1e15, 1.2e17]);
    expect(dwarfingRun([run('quickstart', [0.3, 0.12]), exploded, run('linear', [0.6, 0.4])])).toBe(exploded);
    // Runs of one scale, one run alone, or a run whose loss went to NaN (it failed and draws nothing): no note.
    expect(dwarfingRun([run('a', [2.3, 0.3]), run('b', [0.5, 0.05])])).toBeNull();
    expect(dwarfingRun([exploded])).toBeNull();
    expect(dwarfingRun([run('a', [0.3]), run('nan', [NaN])])).toBeNull();
  });
});

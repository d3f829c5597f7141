import { describe, expect, it } from 'vitest';
import { accuracyAxis, dwarfingRun, epochTicks, formatLoss, lonePoints, lossAxis, pointWords, runningLine } from './chartParts';

describe('accuracyAxis', () => {
  it('starts a tenth below the lowest point, never on it, and ends at 1', () => {
    expect(accuracyAxis(0.9012).domain).toEqual([0.8, 1]);
    expect(accuracyAxis(0.95).domain).toEqual([0.9, 1]);
    // A point at 0.9 or 0.81 would sit on (or just above) an axis starting at 0.9 or 0.8.
    expect(accuracyAxis(0.9).domain).toEqual([0.8, 1]);
    expect(accuracyAxis(0.81).domain).toEqual([0.7, 1]);
    expect(accuracyAxis(0.82).domain).toEqual([0.8, 1]);
  });

  it('ticks at round steps that end on both ends of the axis', () => {
    expect(accuracyAxis(0.755).ticks).toEqual([0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1]);
    expect(accuracyAxis(0.95).ticks).toEqual([0.9, 0.95, 1]);
    expect(accuracyAxis(0.55).ticks).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    // Seven tenths would need a tick every 0.1 (eight labels on a short chart): the axis takes one more tenth.
    expect(accuracyAxis(0.35).ticks).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(accuracyAxis(0.1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(accuracyAxis(0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('has an axis before any run has an epoch', () => {
    expect(accuracyAxis(Infinity)).toEqual({ domain: [0.9, 1], ticks: [0.9, 0.95, 1] });
    expect(accuracyAxis(NaN)).toEqual({ domain: [0.9, 1], ticks: [0.9, 0.95, 1] });
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

describe('runningLine', () => {
  it("breaks the line where each epoch's running mean starts again, and nowhere else", () => {
    // Epochs of 4 steps: x = epoch − 1 + step / 4; the series kept steps 1, 2 and 4 of epoch 1, 1 and 4 of epoch 2, 2 of epoch 3.
    const points = [0.25, 0.5, 1, 1.25, 2, 2.5].map((x, i) => ({ x, value: i }));
    expect(runningLine(points)).toEqual([
      { x: 0.25, running: 0 },
      { x: 0.5, running: 1 },
      { x: 1, running: 2 },
      { x: 1.125, running: null },
      { x: 1.25, running: 3 },
      { x: 2, running: 4 },
      { x: 2.25, running: null },
      { x: 2.5, running: 5 },
    ]);
    expect(runningLine([])).toEqual([]);
  });

  it('finds the points alone in their epoch, which a line cannot draw', () => {
    // One report in epoch 1 (its last step), three in epoch 2, one in epoch 3.
    const line = runningLine([1, 1.25, 1.5, 2, 3].map((x, i) => ({ x, value: i })));
    expect(lonePoints(line)).toEqual([
      { x: 1, running: 0 },
      { x: 3, running: 4 },
    ]);
  });
});

describe('pointWords', () => {
  it('counts epochs and steps as the progress line and the Keras log do', () => {
    expect(pointWords(2, 169)).toBe('end of epoch 2');
    expect(pointWords(1 + 91 / 169, 169)).toBe('epoch 2, step 91/169');
    expect(pointWords(1 / 169, 169)).toBe('epoch 1, step 1/169');
    // Before the run reported its steps: the epoch alone.
    expect(pointWords(0.5, 0)).toBe('epoch 1');
  });
});

describe('lossAxis', () => {
  it('spans 0 to just over the highest point, at three to five round steps', () => {
    // An untrained ten-class model's first step, ln 10 ≈ 2.30: Recharts ticked 0.55, 1.1, 1.65, 2.2, 2.75.
    expect(lossAxis(2.3026)).toEqual({ domain: [0, 3], ticks: [0, 1, 2, 3] });
    expect(lossAxis(0.52)).toEqual({ domain: [0, 0.6], ticks: [0, 0.2, 0.4, 0.6] });
    expect(lossAxis(0.05)).toEqual({ domain: [0, 0.06], ticks: [0, 0.02, 0.04, 0.06] });
    expect(lossAxis(1)).toEqual({ domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] });
    // A diverging run's loss, written as powers of ten by formatLoss.
    expect(lossAxis(3.2e9).ticks.at(-1)).toBe(4e9);
  });

  it('has an axis before any point', () => {
    expect(lossAxis(-Infinity)).toEqual({ domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] });
  });
});

describe('epochTicks', () => {
  it('ticks every epoch up to 10, then at round steps', () => {
    expect(epochTicks(1)).toEqual([0, 1]);
    expect(epochTicks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(epochTicks(10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(epochTicks(15)).toEqual([0, 5, 10, 15]);
    expect(epochTicks(40)).toEqual([0, 10, 20, 30, 40]);
    expect(epochTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(epochTicks(13)).toEqual([0, 5, 10]);
  });
});

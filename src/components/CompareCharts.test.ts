import { describe, expect, it } from 'vitest';
import { run } from '../store/testing';
import { epochSpan, noLineWords } from './CompareCharts';

const planned = run.spec.fit.epochs;
const [first] = run.epochs;
const trained = (count: number) => (first ? Array.from({ length: count }, (_, i) => ({ ...first, epoch: i + 1 })) : []);
const batch = { x: 0.25, loss: 1.2, accuracy: 0.6 };
const stoppedInEpoch1 = { ...run, status: 'stopped' as const, epochs: [], batches: [batch] };

describe("the overlaid curves' epoch axis", () => {
  it("spans a finished run's epochs, and a training run's planned ones", () => {
    expect(epochSpan([{ ...run, epochs: trained(2) }])).toBe(2);
    expect(epochSpan([{ ...run, status: 'running', epochs: trained(2) }])).toBe(planned);
  });

  it('does not stretch for a run stopped before its first epoch ended, which draws no line', () => {
    expect(epochSpan([stoppedInEpoch1])).toBe(1);
    expect(epochSpan([stoppedInEpoch1, { ...run, epochs: trained(3) }])).toBe(3);
  });
});

describe("a run's entry in the overlaid curves' key", () => {
  it('says why a run with no finished epoch has no line', () => {
    expect(noLineWords(stoppedInEpoch1)).toBe(' (stopped in epoch 1: no finished epoch to draw)');
    // Stopped while it waited: no batch, and no test evaluation either.
    expect(noLineWords({ ...stoppedInEpoch1, batches: [], evaluation: null })).toBe(' (stopped before training)');
    expect(noLineWords({ ...stoppedInEpoch1, status: 'running' })).toBe(' (its line starts when epoch 1 ends)');
    expect(noLineWords({ ...run, epochs: trained(1) })).toBe('');
  });
});

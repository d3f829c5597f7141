import { describe, expect, it } from 'vitest';
import { earlyStopWords, hasModel, nextRunColor, RUN_COLORS } from './runsSlice';

describe("EarlyStopping's result in words", () => {
  it('says where it stopped, since which best epoch, and which weights the test set measured', () => {
    const report = { monitor: 'val_loss', patience: 3, stoppedEpoch: 7, bestEpoch: 4, best: 0.28414, restored: true } as const;
    expect(earlyStopWords({ ...report, stoppedEpoch: null, stoppedAtEnd: true }, 7, 7)).toMatch(/^EarlyStopping did not stop it \(its patience ran out at the last epoch, where Keras still prints "Epoch 7: early stopping"\): val_loss was best at epoch 4/);
    // With min_delta, a smaller fall was no improvement: said so, or "had not fallen" reads false.
    expect(earlyStopWords(report, 20, 7, 0.01)).toMatch(/^EarlyStopping ended training after epoch 7 of 20: val_loss had not fallen by more than 0\.01 in the 3 epochs since its best, 0\.2841 at epoch 4\./);
    expect(earlyStopWords(report, 20, 7)).toBe(
      "EarlyStopping ended training after epoch 7 of 20: val_loss had not fallen in the 3 epochs since its best, 0.2841 at epoch 4. The model has epoch 4's weights back, and the test set measured those.",
    );
    expect(earlyStopWords({ ...report, monitor: 'accuracy', stoppedEpoch: 5, restored: false }, 20, 5)).toBe(
      'EarlyStopping ended training after epoch 5 of 20: accuracy had not risen in the epoch since its best, 0.2841 at epoch 4.',
    );
  });

  it('says so when it did not stop the run, and what it kept', () => {
    const report = { monitor: 'val_accuracy', patience: 3, stoppedEpoch: null, bestEpoch: 9, best: 0.9812, restored: true } as const;
    expect(earlyStopWords(report, 10, 10)).toBe("EarlyStopping did not stop it: val_accuracy was best at epoch 9, 0.9812. The model has epoch 9's weights back, and the test set measured those.");
  });

  it('does not say the weights came back when the best epoch was the last one trained', () => {
    const report = { monitor: 'val_loss', patience: 3, stoppedEpoch: null, bestEpoch: 10, best: 0.0712, restored: true } as const;
    expect(earlyStopWords(report, 10, 10)).toBe('EarlyStopping did not stop it: val_loss was best at epoch 10, 0.0712. That was its last epoch: the test set measured the weights it ended with.');
    // Stopped by the user at the end of epoch 4, its best: the weights it ended with are epoch 4's.
    expect(earlyStopWords({ ...report, bestEpoch: 4 }, 10, 4)).toMatch(/That was its last epoch/);
    // Stopped part-way through epoch 5: it ended with part-trained weights, and epoch 4's came back.
    expect(earlyStopWords({ ...report, bestEpoch: 4 }, 10, 4.3)).toMatch(/The model has epoch 4's weights back, and the test set measured those\.$/);
  });
});

describe("a new run's colour", () => {
  const runs = (...colors: string[]) => colors.map((color) => ({ color }));

  it('is the first colour no run here has: one freed by a deleted run comes back', () => {
    expect(nextRunColor([])).toBe(RUN_COLORS[0]);
    expect(nextRunColor(runs(RUN_COLORS[0], RUN_COLORS[2]))).toBe(RUN_COLORS[1]);
  });

  it('repeats only once every colour is taken, and then the least used first', () => {
    const all = runs(...RUN_COLORS);
    expect(new Set(RUN_COLORS).size).toBe(10);
    expect(nextRunColor(all)).toBe(RUN_COLORS[0]);
    expect(nextRunColor([...all, { color: RUN_COLORS[0] }])).toBe(RUN_COLORS[1]);
  });
});

describe('hasModel', () => {
  const ended = { status: 'stopped', modelLost: false, epochs: [], batches: [], evaluation: null } as const;

  it('is true of a run that trained, to its end or to a Stop, and kept its model', () => {
    expect(hasModel({ ...ended, status: 'finished', epochs: [1, 2] })).toBe(true);
    expect(hasModel({ ...ended, batches: [{ x: 0.5 }] })).toBe(true);
    expect(hasModel({ ...ended, batches: [{ x: 0.5 }], modelLost: true })).toBe(false);
    // Stopped before its first batch was reported: the worker still trained and tested it.
    expect(hasModel({ ...ended, evaluation: { accuracy: 0.2 } })).toBe(true);
  });

  it('is false of a run stopped while it waited (it never had a model), failed, or still training', () => {
    expect(hasModel(ended)).toBe(false);
    expect(hasModel({ ...ended, status: 'failed', epochs: [1] })).toBe(false);
    expect(hasModel({ ...ended, status: 'running', epochs: [1] })).toBe(false);
  });
});

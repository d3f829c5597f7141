import { describe, expect, it } from 'vitest';
import { earlyStopWords } from './runsSlice';

describe("EarlyStopping's result in words", () => {
  it('says where it stopped, since which best epoch, and which weights the test set measured', () => {
    const report = { monitor: 'val_loss', patience: 3, stoppedEpoch: 7, bestEpoch: 4, best: 0.28414, restored: true } as const;
    expect(earlyStopWords(report, 20)).toBe(
      "EarlyStopping ended training after epoch 7 of 20: val_loss had not fallen in the 3 epochs since its best, 0.2841 at epoch 4. The model has epoch 4's weights back, and the test set measured those.",
    );
    expect(earlyStopWords({ ...report, monitor: 'accuracy', stoppedEpoch: 5, restored: false }, 20)).toBe(
      'EarlyStopping ended training after epoch 5 of 20: accuracy had not risen in the epoch since its best, 0.2841 at epoch 4.',
    );
  });

  it('says so when it did not stop the run, and what it kept', () => {
    const report = { monitor: 'val_accuracy', patience: 3, stoppedEpoch: null, bestEpoch: 9, best: 0.9812, restored: true } as const;
    expect(earlyStopWords(report, 10)).toBe("EarlyStopping did not stop it: val_accuracy was best at epoch 9, 0.9812. The model has epoch 9's weights back, and the test set measured those.");
  });
});

import { describe, expect, it } from 'vitest';
import { kerasLog, kerasLogText, numpyArray, progbarEta, progbarValue, stepTime, type KerasLogRun, type LoggedEpoch } from './kerasLog';

describe("Keras's Progbar number formats", () => {
  it('writes a metric with 4 decimals, and at or under 0.001 as Python writes .4e', () => {
    expect([0.29801, 123.456789, 0.00100001].map(progbarValue)).toEqual(['0.2980', '123.4568', '0.0010']);
    expect([0.0005, 0.00075, 0, 1.5e-12].map(progbarValue)).toEqual(['5.0000e-04', '7.5000e-04', '0.0000e+00', '1.5000e-12']);
    // As float32, which Keras's logs are, 0.001 is a little over 0.001 (numpy: 0.0010000000474974513).
    expect(progbarValue(0.001)).toBe('0.0010');
    expect([Number.NaN, Number.POSITIVE_INFINITY].map(progbarValue)).toEqual(['nan', 'inf']);
  });

  it('writes a time per step in whole s, ms or us, with its leading space', () => {
    expect([0.0021, 0.00035, 1.2, 0, 0.0995].map(stepTime)).toEqual([' 2ms/step', ' 350us/step', ' 1s/step', ' 0s/step', ' 100ms/step']);
  });

  it("writes an epoch's time left in whole seconds, then m:ss, then h:mm:ss", () => {
    expect([45.9, 60, 125, 3600, 3725].map(progbarEta)).toEqual(['45s', '60s', '2:05', '60:00', '1:02:05']);
  });
});

// The TensorFlow quickstart on MNIST with a 10% split: 54,000 images in steps of 32.
const epoch = (n: number, changes: Partial<LoggedEpoch> = {}): LoggedEpoch => ({ epoch: n, loss: 0.29801, accuracy: 0.91381, valLoss: 0.14, valAccuracy: 0.959, learningRate: 0.001, seconds: 3.6, ...changes });
const quickstart: KerasLogRun = { epochs: 5, batchSize: 32, scheduled: false, stepsPerEpoch: 1688, history: [], current: null, evaluation: null, predicted: null, actual: null };
const text = (run: KerasLogRun): string[] => kerasLog(run).map(kerasLogText);
const BAR = '━'.repeat(20);

describe("numpy's print of the predicted classes", () => {
  it('right-aligns each number to the widest, as numpy does', () => {
    expect(numpyArray([7, 2, 1, 0, 4])).toBe('[7 2 1 0 4]');
    expect(numpyArray([3, 17, 9, 22, 1])).toBe('[ 3 17  9 22  1]');
    expect(numpyArray([])).toBe('[]');
  });
});

describe("a run's Keras log", () => {
  it("writes each epoch as fit's verbose=1 does: its time, its time per step, then the metrics sorted, validation's after", () => {
    expect(text({ ...quickstart, history: [epoch(1), epoch(2, { loss: 0.14, accuracy: 0.958 })] })).toEqual([
      'Epoch 1/5',
      `1688/1688 ${BAR} 4s 2ms/step - accuracy: 0.9138 - loss: 0.2980 - val_accuracy: 0.9590 - val_loss: 0.1400`,
      'Epoch 2/5',
      `1688/1688 ${BAR} 4s 2ms/step - accuracy: 0.9580 - loss: 0.1400 - val_accuracy: 0.9590 - val_loss: 0.1400`,
    ]);
  });

  it('writes the epoch under way with its step right-aligned, its part of the bar done, and its time left', () => {
    const lines = kerasLog({ ...quickstart, history: [epoch(1)], current: { epoch: 2, step: 563, loss: 0.151, accuracy: 0.955, secondsPerStep: 0.002 } });
    expect(lines.slice(-2)).toEqual([
      { kind: 'text', text: 'Epoch 2/5' },
      // 563 of 1688 steps is a third: 6 of the 20 marks; 1,125 steps left at 2 ms are 2 s.
      { kind: 'bar', count: ' 563/1688', done: 6, left: 14, info: ' 2s 2ms/step - accuracy: 0.9550 - loss: 0.1510' },
    ]);
    // Where a restored run stopped, no pace is known: no times.
    expect(text({ ...quickstart, current: { epoch: 1, step: 9, loss: 2, accuracy: 0.2, secondsPerStep: null } }).at(-1)).toBe(`   9/1688 ${BAR} - accuracy: 0.2000 - loss: 2.0000`);
    // An epoch whose history entry has come is not written twice.
    expect(text({ ...quickstart, history: [epoch(1)], current: { epoch: 1, step: 1688, loss: 0.3, accuracy: 0.9, secondsPerStep: 0.002 } })).toHaveLength(2);
  });

  it('writes no "Epoch 1/1" for a single epoch, and logs the learning rate last under a LearningRateScheduler', () => {
    expect(text({ ...quickstart, epochs: 1, history: [epoch(1, { valLoss: null, valAccuracy: null })] })).toEqual([`1688/1688 ${BAR} 4s 2ms/step - accuracy: 0.9138 - loss: 0.2980`]);
    const scheduled = text({ ...quickstart, scheduled: true, history: [epoch(1), epoch(2, { learningRate: 0.0005 })] });
    // Adam's 0.001 as Keras logs it: a float32, a little over 0.001.
    expect(scheduled[1]).toMatch(/ - val_loss: 0\.1400 - learning_rate: 0\.0010$/);
    expect(scheduled[3]).toMatch(/ - val_loss: 0\.1400 - learning_rate: 5\.0000e-04$/);
  });

  it("then evaluate's verbose=2 line in steps of 32, and the code's prints", () => {
    const evaluated = { ...quickstart, history: [epoch(1)], evaluation: { loss: 0.07441, accuracy: 0.977, count: 10_000, seconds: 0.8 }, predicted: [7, 2, 1, 0, 4], actual: [7, 2, 1, 0, 4] };
    expect(text(evaluated).slice(2)).toEqual(['313/313 - 1s - 3ms/step - accuracy: 0.9770 - loss: 0.0744', 'Test accuracy: 0.9770', 'Predicted: [7 2 1 0 4]', 'Actual:    [7 2 1 0 4]']);
    // A run saved before the test pass was timed; a dataset whose test labels are not loaded.
    const untimed = { loss: 0.07441, accuracy: 0.977, count: 10_000 };
    expect(text({ ...evaluated, evaluation: untimed, actual: null }).slice(2)).toEqual(['313/313 - accuracy: 0.9770 - loss: 0.0744', 'Test accuracy: 0.9770', 'Predicted: [7 2 1 0 4]']);
  });
});

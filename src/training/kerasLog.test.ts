import { describe, expect, it } from 'vitest';
import { kerasLog, kerasLogText, numpyArray, numpyFloat32Array, progbarEta, progbarValue, stepTime, type KerasLogRun, type LoggedEpoch } from './kerasLog';

/** A row of probabilities from the TensorFlow basic classification tutorial's output, as float32, and numpy 2.4's print of it. */
const TUTORIAL_ROW = [1.1144305744892335e-7, 2.1299893793180757e-10, 5.991734663979287e-9, 5.542762360200015e-10, 1.3124592079805097e-8, 0.0026386473327875137, 1.604482946504504e-7, 0.006831534206867218, 1.671932636782003e-6, 0.990527868270874];
const TUTORIAL_ROW_PRINTED = '[1.1144306e-07 2.1299894e-10 5.9917347e-09 5.5427624e-10 1.3124592e-08\n 2.6386473e-03 1.6044829e-07 6.8315342e-03 1.6719326e-06 9.9052787e-01]';

describe("numpy's print of a float32 vector", () => {
  // Each expected string is numpy 2.4's str() of the same float32 array.
  it('writes all values in exponent form, to the digits the longest needs, when one is under 0.0001, wrapped at 75 characters', () => {
    expect(numpyFloat32Array(TUTORIAL_ROW)).toBe(TUTORIAL_ROW_PRINTED);
    // Digits past a value's shortest form are its own, not zeros.
    expect(numpyFloat32Array([0.3, 1e-5, 0.123456789])).toBe('[3.0000001e-01 9.9999997e-06 1.2345679e-01]');
    expect(numpyFloat32Array([1e-30, 1, 0, 0.3])).toBe('[1.e-30 1.e+00 0.e+00 3.e-01]');
  });

  it('writes values of like size positionally, each in its shortest form, padded to the longest', () => {
    expect(numpyFloat32Array([0.1, 0.12, 0.08, 0.1])).toBe('[0.1  0.12 0.08 0.1 ]');
    expect(numpyFloat32Array([0, 0, 1, 0])).toBe('[0. 0. 1. 0.]');
    expect(numpyFloat32Array([0.5, 0.25, 0.125, -0.3])).toBe('[ 0.5    0.25   0.125 -0.3  ]');
    expect(numpyFloat32Array([Number.NaN, Number.NaN])).toBe('[nan nan]');
  });
});

describe("Keras's Progbar number formats", () => {
  it('writes a metric with 4 decimals, and at or under 0.001 as Python writes .4e', () => {
    expect([0.29801, 123.456789, 0.00100001].map(progbarValue)).toEqual(['0.2980', '123.4568', '0.0010']);
    expect([0.0005, 0.00075, 0, 1.5e-12].map(progbarValue)).toEqual(['5.0000e-04', '7.5000e-04', '0.0000e+00', '1.5000e-12']);
    // As float32, which Keras's logs are, 0.001 is a little over 0.001 (numpy: 0.0010000000474974513).
    expect(progbarValue(0.001)).toBe('0.0010');
    expect([Number.NaN, Number.POSITIVE_INFINITY].map(progbarValue)).toEqual(['nan', 'inf']);
    // Exact ties go to the even digit, as Python's format does (5/32 after a batch of 32: 0.1562), not up as toFixed does.
    expect([5 / 32, 7 / 32, 0.03125, -5 / 32, 0.15626].map(progbarValue)).toEqual(['0.1562', '0.2188', '0.0312', '-0.1562', '0.1563']);
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
const quickstart: KerasLogRun = { epochs: 5, batchSize: 32, scheduled: false, stepsPerEpoch: 1688, history: [], current: null, evaluation: null, earlyStop: null, predicted: null, firstProbabilities: null, actual: null };
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
    const evaluated = { ...quickstart, history: [epoch(1)], evaluation: { loss: 0.07441, accuracy: 0.977, count: 10_000, seconds: 0.8 }, predicted: [7, 2, 1, 0, 4], firstProbabilities: TUTORIAL_ROW, actual: [7, 2, 1, 0, 4] };
    const prints = ['(5, 10)', ...TUTORIAL_ROW_PRINTED.split('\n'), 'Predicted: [7 2 1 0 4]'];
    expect(text(evaluated).slice(2)).toEqual(['313/313 - 1s - 3ms/step - accuracy: 0.9770 - loss: 0.0744', 'Test accuracy: 0.9770', ...prints, 'Actual:    [7 2 1 0 4]']);
    // A run saved before the test pass was timed; a dataset whose test labels are not loaded.
    const untimed = { loss: 0.07441, accuracy: 0.977, count: 10_000 };
    expect(text({ ...evaluated, evaluation: untimed, actual: null }).slice(2)).toEqual(['313/313 - accuracy: 0.9770 - loss: 0.0744', 'Test accuracy: 0.9770', ...prints]);
  });

  it("writes EarlyStopping's verbose lines as training ends, before evaluate: where it stopped, and which epoch's weights it put back", () => {
    const ended = { ...quickstart, epochs: 10, history: [epoch(1), epoch(2), epoch(3)], evaluation: { loss: 0.07441, accuracy: 0.977, count: 10_000, seconds: 0.8 } };
    const after = (earlyStop: KerasLogRun['earlyStop']) => text({ ...ended, earlyStop }).slice(6, -2);
    expect(after({ stoppedEpoch: 3, bestEpoch: 1, restored: true })).toEqual(['Epoch 3: early stopping', 'Restoring model weights from the end of the best epoch: 1.']);
    expect(after({ stoppedEpoch: 3, bestEpoch: 1, restored: false })).toEqual(['Epoch 3: early stopping']);
    // Keras 3 restores the best weights when it trained every epoch too.
    expect(after({ stoppedEpoch: null, bestEpoch: 2, restored: true })).toEqual(['Restoring model weights from the end of the best epoch: 2.']);
    expect(after(null)).toEqual([]);
    // Patience ran out at the last epoch: Keras prints it, though nothing was cut short.
    expect(after({ stoppedEpoch: null, stoppedAtEnd: true, bestEpoch: 2, restored: false })).toEqual(['Epoch 3: early stopping']);
  });
});

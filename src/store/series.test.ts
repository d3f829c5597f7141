import { describe, expect, it } from 'vitest';
import { appendThinned, batchNormLagWords, curveNotes, epochsTrained, isEvaluating, lastStep, runFraction, runPercent, secondsLeftOf, testGapWords, thinCurve, trainedTo } from './series';

describe('appendThinned', () => {
  it('appends until the cap, then halves and keeps the newest point', () => {
    let series: number[] = [];
    for (let i = 0; i < 10; i++) series = appendThinned(series, i, 4);
    expect(series.length).toBeLessThanOrEqual(4);
    expect(series.at(-1)).toBe(9);
    expect([...series].sort((a, b) => a - b)).toEqual(series);
  });

  it("keeps the first point through every halving: the run's first step, where its curve starts", () => {
    let series: number[] = [];
    for (let i = 0; i < 1000; i++) series = appendThinned(series, i, 100);
    expect(series[0]).toBe(0);
    expect(series.at(-1)).toBe(999);
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
  // MNIST with a 10% split: 54,000 training images, 6,000 for validation, 10,000 to test; 5 epochs.
  const untested = { trainCount: 54_000, validationCount: 6_000, batches: [], spec: { fit: { epochs: 5 } }, epochs: [], pass: null, evaluation: null };
  const fresh = { ...untested, testCount: 10_000 };
  // A validation or test image weighs a third of a training one: the whole run is 283,333⅓ training images' worth.
  const total = 5 * 54_000 + (5 * 6_000 + 10_000) / 3;
  // The batch points of a run at `batch` of 6 steps in `epoch`: the last one is what counts.
  const at = (epoch: number, batch: number) => [{ x: epoch - 1 + batch / 6 }];

  it("counts the epochs' training images and the validation passes done", () => {
    expect(runFraction(fresh)).toBe(0);
    expect(runFraction({ ...fresh, epochs: [1], batches: at(2, 3) })).toBeCloseTo((1.5 * 54_000 + 6_000 / 3) / total, 12);
  });

  it("moves through an epoch's validation pass, after its last step", () => {
    const trained = { ...fresh, epochs: [1], batches: at(2, 6) };
    const before = runFraction(trained);
    const halfway = runFraction({ ...trained, pass: { pass: 'validation' as const, done: 3_000, total: 6_000 } });
    const after = runFraction({ ...trained, epochs: [1, 2] });
    expect(halfway - before).toBeCloseTo(1_000 / total, 12);
    expect(after - halfway).toBeCloseTo(1_000 / total, 12);
  });

  it('reaches 1 when the test set is evaluated, not at the last step', () => {
    const trained = { ...fresh, epochs: [1, 2, 3, 4, 5], batches: at(5, 6) };
    expect(runFraction(trained)).toBeCloseTo(1 - 10_000 / 3 / total, 12);
    expect(runFraction({ ...trained, pass: { pass: 'test' as const, done: 5_000, total: 10_000 } })).toBeCloseTo(1 - 5_000 / 3 / total, 12);
    expect(runFraction({ ...trained, evaluation: { count: 10_000 } })).toBe(1);
  });

  it('stays where a stopped run got to, its test evaluation counted', () => {
    const stopped = { ...fresh, epochs: [1], batches: at(2, 3), evaluation: { count: 10_000 } };
    expect(runFraction(stopped)).toBeCloseTo((1.5 * 54_000 + (6_000 + 10_000) / 3) / total, 12);
  });

  it('reads a restored run by its last recorded batch, and its test count from its evaluation', () => {
    // Saved before the test count was kept: its evaluation's count says it.
    const restored = { ...untested, epochs: [1, 2, 3, 4, 5], batches: [{ x: 5 }], evaluation: { count: 10_000 } };
    expect(runFraction(restored)).toBe(1);
  });

  it('goes by the epochs alone before the worker has said how many images there are', () => {
    expect(runFraction({ ...fresh, trainCount: 0, epochs: [1, 2] })).toBe(0.4);
    expect(runFraction({ ...fresh, spec: { fit: { epochs: 0 } } })).toBe(0);
  });
});

describe('runPercent', () => {
  it('reads 100 only once the test set is evaluated, however small its share of a long run', () => {
    // 30 epochs of 54,000, their passes, and 10,000 test images: the test pass is 0.2% of the work.
    const long = { trainCount: 54_000, validationCount: 6_000, testCount: 10_000, batches: [{ x: 30 }], spec: { fit: { epochs: 30 } }, pass: null };
    const epochs = Array.from({ length: 30 }, (_, i) => i);
    expect(runPercent({ ...long, epochs, evaluation: null })).toBe(99);
    expect(runPercent({ ...long, epochs, evaluation: { count: 10_000 } })).toBe(100);
  });
});

describe('epochsTrained', () => {
  it("is the history's epochs, or more when Stop came part-way through the next", () => {
    expect(epochsTrained({ epochs: [1, 2, 3, 4], batches: [{ x: 3.5 }, { x: 4 }] })).toBe(4);
    expect(epochsTrained({ epochs: [1, 2, 3, 4], batches: [{ x: 4 }, { x: 4.3 }] })).toBe(4.3);
    expect(epochsTrained({ epochs: [], batches: [] })).toBe(0);
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

describe('testGapWords', () => {
  // The basic classification tutorial's run from a learner's audit: 10 epochs of 6,000 images, 0.8978 in training, 83.66% at test.
  const tutorial = {
    spec: { layers: [{ type: 'flatten' }, { type: 'dense' }, { type: 'dense' }], fit: { validationSplit: 0, validationData: null } },
    epochs: [{ accuracy: 0.75 }, { accuracy: 0.8978 }],
    batches: [{ x: 10 }],
    batchesPerEpoch: 188,
    evaluation: { accuracy: 0.8366 },
  };

  it("points out test accuracy below training accuracy, the tutorials' overfitting, and where to watch it", () => {
    expect(testGapWords(tutorial)).toBe(
      'Test accuracy, 83.66%, is below the last epoch’s accuracy in training, 89.78%: the model does better on the images it learnt from than on images it has not seen. That gap is what the TensorFlow tutorials call overfitting; a validation split would show it epoch by epoch, as val_accuracy.',
    );
    expect(testGapWords({ ...tutorial, spec: { ...tutorial.spec, fit: { validationSplit: 0.1, validationData: null } } })).toMatch(/overfitting; val_accuracy shows it epoch by epoch\.$/);
    const restored = { ...tutorial, epochs: [...tutorial.epochs, { accuracy: 0.95 }], earlyStop: { restored: true, bestEpoch: 2 } };
    expect(testGapWords(restored)).toMatch(/^Test accuracy, 83\.66%, is below epoch 2’s accuracy in training \(EarlyStopping put its weights back\), 89\.78%: /);
  });

  it('says nothing of a gap of a point or less, a test above training, an untested run, or a gap BatchNormalization explains', () => {
    expect(testGapWords({ ...tutorial, evaluation: { accuracy: 0.8878 } })).toBeNull();
    expect(testGapWords({ ...tutorial, evaluation: { accuracy: 0.92 } })).toBeNull();
    expect(testGapWords({ ...tutorial, evaluation: null })).toBeNull();
    // Weights gone NaN at the last step answer one class: a test loss of NaN, not overfitting.
    expect(testGapWords({ ...tutorial, evaluation: { accuracy: 0.098, loss: Number.NaN } })).toBeNull();
    const batchNorm = { ...tutorial, spec: { ...tutorial.spec, layers: [{ type: 'batchNormalization' }, ...tutorial.spec.layers] }, batchesPerEpoch: 22, evaluation: { accuracy: 0.2584 } };
    expect(batchNormLagWords(batchNorm)).not.toBeNull();
    expect(testGapWords(batchNorm)).toBeNull();
  });
});

describe('batchNormLagWords', () => {
  // The Strongest preset's short run from a user audit: 2 epochs of 22 steps, 77.6% in training, 25.84% at test.
  const short = {
    spec: { layers: [{ type: 'conv2d' }, { type: 'batchNormalization' }, { type: 'flatten' }, { type: 'dense' }] },
    epochs: [{ accuracy: 0.6 }, { accuracy: 0.776 }],
    batches: [{ x: 2 }],
    batchesPerEpoch: 22,
    evaluation: { accuracy: 0.2584 },
  };

  it("explains a short BatchNormalization run's test accuracy far below its training accuracy", () => {
    expect(batchNormLagWords(short)).toBe(
      'Tested at 25.84% against 77.60% in training: in training, BatchNormalization normalises each batch by its own mean and variance; at test time, by their moving averages, which after 44 steps still lag behind weights that change fast early on. Train longer or on more images and the gap closes.',
    );
  });

  it('says nothing of a small gap, a long run, a model without BatchNormalization, or a run not yet tested', () => {
    expect(batchNormLagWords({ ...short, evaluation: { accuracy: 0.7 } })).toBeNull();
    expect(batchNormLagWords({ ...short, batchesPerEpoch: 600 })).toBeNull();
    expect(batchNormLagWords({ ...short, spec: { layers: [{ type: 'flatten' }, { type: 'dense' }] } })).toBeNull();
    expect(batchNormLagWords({ ...short, evaluation: null })).toBeNull();
  });

  it('compares the test accuracy with the epoch whose weights EarlyStopping put back, not the last', () => {
    const restored = { ...short, epochs: [{ accuracy: 0.5 }, { accuracy: 0.776 }, { accuracy: 0.6 }], batches: [{ x: 3 }], earlyStop: { restored: true, bestEpoch: 2 } };
    expect(batchNormLagWords(restored)).toBe(
      "Tested at 25.84% against 77.60% in epoch 2's training (EarlyStopping put its weights back): in training, BatchNormalization normalises each batch by its own mean and variance; at test time, by their moving averages, which after 44 steps still lag behind weights that change fast early on. Train longer or on more images and the gap closes.",
    );
    // Epoch 1's weights tested 25.84% against 50% in training: a gap under 20 points says nothing.
    expect(batchNormLagWords({ ...restored, epochs: [{ accuracy: 0.4 }, ...restored.epochs.slice(1)], earlyStop: { restored: true, bestEpoch: 1 } })).toBeNull();
    expect(batchNormLagWords({ ...restored, earlyStop: { restored: true, bestEpoch: 3 } })).toMatch(/^Tested at 25\.84% against 60\.00% in training: /);
    expect(batchNormLagWords({ ...restored, earlyStop: { restored: false, bestEpoch: 2 } })).toMatch(/^Tested at 25\.84% against 60\.00% in training: .* after 66 steps /);
  });
});

describe('trainedTo', () => {
  it('says whether a run trained at all, stopped part-way through an epoch, or at an epoch’s end', () => {
    expect(trainedTo({ epochs: [], batches: [] })).toEqual({ kind: 'before-training' });
    expect(trainedTo({ epochs: [], batches: [{ x: 0.25 }] })).toEqual({ kind: 'in-epoch', epoch: 1 });
    expect(trainedTo({ epochs: [1, 2], batches: [{ x: 2 }] })).toEqual({ kind: 'after-epoch', epoch: 2 });
    // Stopped before its first batch report: no batch here, but the worker trained and tested it.
    expect(trainedTo({ epochs: [], batches: [], evaluation: { accuracy: 0.2 } })).toEqual({ kind: 'in-epoch', epoch: 1 });
    expect(trainedTo({ epochs: [], batches: [], evaluation: null })).toEqual({ kind: 'before-training' });
  });
});

describe('thinCurve', () => {
  const curve = (ys: readonly number[]) => ys.map((y, i) => ({ x: i + 1, y }));

  it('leaves a short curve as it is', () => {
    const short = curve([3, 2, 1]);
    expect(thinCurve(short, 10)).toBe(short);
  });

  it('cuts a long curve to about the most points asked for, keeping its ends, peaks and dips in order', () => {
    const ys = Array.from({ length: 1000 }, (_, i) => 1 / (i + 1));
    ys[500] = 5; // a spike in epoch 501
    ys[700] = -1; // and a dip in epoch 701
    const thinned = thinCurve(curve(ys), 250);
    expect(thinned.length).toBeLessThanOrEqual(252);
    expect(thinned.length).toBeGreaterThan(200);
    expect(thinned[0]?.x).toBe(1);
    expect(thinned.at(-1)?.x).toBe(1000);
    expect(thinned.map((p) => p.x)).toContain(501);
    expect(thinned.map((p) => p.x)).toContain(701);
    expect(thinned.every((p, i) => i === 0 || p.x > (thinned[i - 1]?.x ?? 0))).toBe(true);
  });
});

describe('curveNotes', () => {
  const compile = { optimizer: 'adam', learningRate: 0.001 } as const;
  const spec = { layers: [{ type: 'flatten' }, { type: 'dense' }], compile, fit: { augmentShift: 0, earlyStopping: null, classWeight: null } };
  const classNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const epoch = (n: number, loss: number, valLoss: number | null) => ({ epoch: n, loss, valLoss });

  it('explains val_loss below loss, once, naming the first epoch it happened in', () => {
    const run = { spec, classNames, trainCount: 2700, epochs: [epoch(1, 0.9364, 0.456), epoch(2, 0.3608, 0.3657), epoch(3, 0.2719, 0.2)] };
    expect(curveNotes(run)).toEqual([
      "In epoch 1, val_loss (0.4560) is below loss (0.9364). That is usual early on, not a bug: loss is the mean over the epoch's steps, most of them taken by a model worse than the one it ended with; val_loss measures the model once, at the epoch's end.",
    ]);
    const dropout = { ...run, spec: { layers: [...spec.layers, { type: 'dropout' }], compile, fit: { augmentShift: 2, earlyStopping: null, classWeight: null } } };
    expect(curveNotes(dropout)[0]).toContain("worse than the one it ended with, and with Dropout switching units off and on shifted images; val_loss measures the model once, at the epoch's end, with every unit on.");
    // Late in a run, the steps' mean is no longer the main cause: not called usual early on.
    expect(curveNotes({ ...dropout, epochs: [epoch(1, 0.5, 0.6), epoch(2, 0.4, 0.45), epoch(3, 0.3, 0.29)] })[0]).toMatch(/^In epoch 3, val_loss \(0\.2900\) is below loss \(0\.3000\)\. Not a bug: /);
  });

  it('says overfitting once val_loss has stayed 5% over its lowest for the last two epochs while loss fell', () => {
    // From a learner's audit: 1,000 images (900 trained), val_loss lowest in epoch 7, then rising.
    const epochs = [epoch(6, 0.2, 0.43), epoch(7, 0.15, 0.416), epoch(8, 0.1, 0.44), epoch(9, 0.08, 0.45)];
    expect(curveNotes({ spec, classNames, trainCount: 900, epochs })).toEqual([
      'val_loss has risen since epoch 7 (0.4160 → 0.4500) while loss kept falling (0.1500 → 0.0800): the model is fitting its 900 training images more closely than what they have in common. On images it has not seen its loss grows, as it grows surer of the answers it gets wrong, even where val_accuracy holds. That is overfitting. Fewer epochs, EarlyStopping (monitor val_loss, restore_best_weights), Dropout, Random shift or more training images help.',
    ]);
    // What the model already has is not offered again; EarlyStopping on loss cannot catch this, so it still is.
    const has = (layers: readonly { type: string }[], augmentShift: number, monitor: string) => ({ spec: { layers, compile, fit: { augmentShift, earlyStopping: { monitor }, classWeight: null } }, classNames, trainCount: 900, epochs });
    expect(curveNotes(has([...spec.layers, { type: 'dropout' }], 2, 'val_loss'))[0]).toMatch(/Fewer epochs, more Dropout or more training images help\.$/);
    expect(curveNotes(has(spec.layers, 0, 'loss'))[0]).toMatch(/Fewer epochs, EarlyStopping \(monitor val_loss, restore_best_weights\), Dropout, Random shift or more training images help\.$/);
  });

  it('says nothing of one higher epoch, a spike that came back, a rise under 5%, a loss that rose too, or a run without validation', () => {
    const lowAt7 = [epoch(7, 0.15, 0.416)];
    expect(curveNotes({ spec, classNames, trainCount: 900, epochs: [...lowAt7, epoch(8, 0.1, 0.5)] })).toEqual([]);
    // One noisy epoch 5% up, after the lowest by two: not yet.
    expect(curveNotes({ spec, classNames, trainCount: 900, epochs: [...lowAt7, epoch(8, 0.1, 0.42), epoch(9, 0.08, 0.44)] })).toEqual([]);
    expect(curveNotes({ spec, classNames, trainCount: 900, epochs: [...lowAt7, epoch(8, 0.1, 0.45), epoch(9, 0.08, 0.42)] })).toEqual([]);
    expect(curveNotes({ spec, classNames, trainCount: 900, epochs: [...lowAt7, epoch(8, 0.16, 0.45), epoch(9, 0.17, 0.5)] })).toEqual([]);
    expect(curveNotes({ spec, classNames, trainCount: 900, epochs: [epoch(1, 0.5, null), epoch(2, 0.4, null)] })).toEqual([]);
  });

  it('says training made the model worse than a guess when an epoch\'s loss is far above ln(classes), naming a learning rate far too high, and nothing else', () => {
    // From a learner's audit: the Keras guide's RMSprop at 0.1.
    const rmsprop = { ...spec, compile: { optimizer: 'rmsprop', learningRate: 0.1 } as const };
    expect(curveNotes({ spec: rmsprop, classNames, trainCount: 4000, epochs: [epoch(1, 16.9157, 1.9037)] })).toEqual([
      "In epoch 1, loss was 16.9157, far above 2.3026 (ln 10), the loss of a model that gives all 10 classes the same probability: training made the model worse than a guess. The learning rate is the likely cause. RMSprop usually trains at 0.001 (Keras's default), and 0.1 is 100 times that: steps that large overshoot, so the model often ends less accurate, and at worst its loss climbs far above a guess's and accuracy stays near chance. Lower it and train again.",
    ]);
    expect(curveNotes({ spec, classNames, trainCount: 4000, epochs: [epoch(1, 0.5, 0.4), epoch(2, 4, 3)] })[0]).toMatch(/^In epoch 2, loss was 4\.0000, .* worse than a guess\. A lower learning rate usually cures it\.$/);
    // With class_weight the loss is weighted and val_loss is not: a heavy class raises the bar, and val_loss below loss is no news.
    const weighted = { ...spec, fit: { ...spec.fit, classWeight: { '5': 4 } } };
    expect(curveNotes({ spec: weighted, classNames, trainCount: 4000, epochs: [epoch(1, 4, 0.5)] })).toEqual([]);
    expect(curveNotes({ spec: weighted, classNames, trainCount: 4000, epochs: [epoch(1, 14, 2)] })[0]).toMatch(/^In epoch 1, loss was 14\.0000/);
    // Under 1.5 times a guess's loss: the usual notes.
    expect(curveNotes({ spec: rmsprop, classNames, trainCount: 4000, epochs: [epoch(1, 3.4, 2)] })[0]).toMatch(/^In epoch 1, val_loss \(2\.0000\) is below loss/);
  });
});

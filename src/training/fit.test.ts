import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from './batches';
import { buildModel, createOptimizer } from './buildModel';
import { createTrainingData, disposeTrainingData, evaluateSlice, fit, randomShift, secondsLeft, toModelInput, TrainingControl, TrainingDivergedError, type FitCallbacks } from './fit';
import { crossEntropyPerExample, modelScores, predictedClasses } from './losses';
import type { BatchProgress, EpochRecord, PassProgress } from './protocol';
import { DEFAULT_COMPILE, DEFAULT_FIT, type ModelSpec } from './spec';
import { syntheticDataset } from './testData';

const dataset = syntheticDataset();
const INPUT = { height: 8, width: 8, channels: 1 };

function mlp(fit: Partial<ModelSpec['fit']> = {}, compile: Partial<ModelSpec['compile']> = {}): ModelSpec {
  return {
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 16, activation: 'relu', useBias: true },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', units: 3, activation: 'softmax', useBias: true },
    ],
    compile: { ...DEFAULT_COMPILE, learningRate: 0.01, ...compile },
    fit: { ...DEFAULT_FIT, epochs: 3, batchSize: 16, validationSplit: 0.25, ...fit },
  };
}

async function train(spec: ModelSpec, control = new TrainingControl(), callbacks: FitCallbacks = {}) {
  const model = buildModel(spec, INPUT, 3);
  const data = createTrainingData(dataset.train.images, dataset.train.labels, dataset.train.count, 8, 8, 3);
  const optimizer = createOptimizer(spec.compile);
  try {
    return await fit(model, data, spec, optimizer, control, callbacks);
  } finally {
    model.dispose();
    disposeTrainingData(data);
    optimizer.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * The user's Resume, once the run is held in its pause: each step yields before it checks for
 * a pause, so a resume sent at once could come before the run waits, and prove nothing.
 */
function resumeWhenHeld(control: TrainingControl, before: () => void = () => undefined): void {
  const check = (): void => {
    if (!control.waiting) return void setTimeout(check, 0);
    before();
    control.resume();
  };
  setTimeout(check, 0);
}

describe('fit', () => {
  it('learns a separable problem, reporting Keras-style history with validation', async () => {
    const { history, stopped } = await train(mlp());
    expect(stopped).toBe(false);
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(history[2]?.loss).toBeLessThan(history[0]?.loss ?? 0);
    expect(history[2]?.valAccuracy).toBeGreaterThan(0.9);
    expect(history[0]?.valLoss).not.toBeNull();
  });

  it('validates on given data (validation_data), training on every image: the last epoch\'s figures are that data\'s, as evaluate gives them', async () => {
    const spec = mlp({ validationData: 'test', validationSplit: 0 });
    const model = buildModel(spec, INPUT, 3);
    const data = createTrainingData(dataset.train.images, dataset.train.labels, dataset.train.count, 8, 8, 3);
    const test = createTrainingData(dataset.test.images, dataset.test.labels, dataset.test.count, 8, 8, 3);
    const optimizer = createOptimizer(spec.compile);
    try {
      const passes: PassProgress[] = [];
      const batches: BatchProgress[] = [];
      const { history } = await fit(model, data, spec, optimizer, new TrainingControl(), { validationData: test, onPass: (p) => passes.push(p), onBatch: (b) => batches.push(b) });
      expect(history).toHaveLength(3);
      // Every training image trains: 16 at a time.
      expect(batches.at(-1)?.batches).toBe(Math.ceil(dataset.train.count / 16));
      expect(passes.every((p) => p.total === dataset.test.count)).toBe(true);
      const last = history.at(-1);
      const measured = await evaluateSlice(model, test, spec, 0, dataset.test.count);
      expect([last?.valLoss, last?.valAccuracy]).toEqual([measured.loss, measured.accuracy]);
      // Without the data it names, fit refuses to start.
      await expect(fit(model, data, spec, optimizer, new TrainingControl())).rejects.toThrow("fit was given no validation data for validationData 'test'");
    } finally {
      model.dispose();
      disposeTrainingData(data);
      disposeTrainingData(test);
      optimizer.dispose();
    }
  });

  it('weighs each class by class_weight as Keras does: the loss summed with the weights over the batch size; accuracy (a metric, not a weighted_metric) and validation unweighted', async () => {
    // One batch of every training image, at a rate too small to move the weights: the epoch's figures are the untrained model's.
    const layers: ModelSpec['layers'] = [{ type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax', useBias: true }];
    const spec: ModelSpec = { ...mlp({ epochs: 1, batchSize: dataset.train.count, validationSplit: 0, validationData: 'test', shuffle: false, classWeight: { '1': 3, '2': 0.5 } }, { learningRate: 1e-12 }), layers };
    const test = createTrainingData(dataset.test.images, dataset.test.labels, dataset.test.count, 8, 8, 3);
    const weightsBefore = tf.memory().numTensors;
    const { history } = await train(spec, new TrainingControl(), { validationData: test });
    // Every tensor fit made, the class weights among them, is gone again.
    expect(tf.memory().numTensors).toBe(weightsBefore);
    const model = buildModel(spec, INPUT, 3);
    const data = createTrainingData(dataset.train.images, dataset.train.labels, dataset.train.count, 8, 8, 3);
    try {
      const [losses, right] = tf.tidy((): [number[], number[]] => {
        const scores = modelScores(model, toModelInput(model, data.x), false);
        return [Array.from(crossEntropyPerExample(spec.compile, data.y, scores).dataSync()), Array.from(predictedClasses(scores).equal(data.y.toInt()).dataSync())];
      });
      const weights = Array.from(dataset.train.labels, (label) => [1, 3, 0.5][label] ?? 1);
      const expectedLoss = losses.reduce((sum, loss, i) => sum + loss * (weights[i] ?? 1), 0) / weights.length;
      expect(history[0]?.loss).toBeCloseTo(expectedLoss, 5);
      expect(history[0]?.accuracy).toBeCloseTo(right.reduce((a, b) => a + b, 0) / right.length, 5);
      // Validation measures the model as evaluate does, unweighted.
      const validated = await evaluateSlice(model, test, spec, 0, dataset.test.count);
      expect(history[0]?.valLoss).toBeCloseTo(validated.loss, 4);
      // Unweighted, the same model's figures differ: the weights are applied.
      expect(Math.abs(expectedLoss - losses.reduce((a, b) => a + b, 0) / losses.length)).toBeGreaterThan(1e-3);
    } finally {
      model.dispose();
      disposeTrainingData(data);
      disposeTrainingData(test);
    }
  });

  it('decays the learning rate after each epoch and records each epoch\'s rate, as Keras\'s LearningRateScheduler does', async () => {
    const { history } = await train(mlp({ learningRateDecay: 0.5 }));
    expect(history.map((h) => h.learningRate)).toEqual([0.01, 0.005, 0.0025]);
    // The decayed run moves less in its later epochs than a constant-rate one with the same seed.
    const constant = await train(mlp());
    expect(constant.history.map((h) => h.learningRate)).toEqual([0.01, 0.01, 0.01]);
    expect(history[0]?.loss).toBeCloseTo(constant.history[0]?.loss ?? NaN, 6);
    expect(history[2]?.loss).not.toBeCloseTo(constant.history[2]?.loss ?? NaN, 4);
  });

  it('trains with categorical cross-entropy on the dataset\'s class labels (the MLP-with-dropout preset\'s loss)', async () => {
    const { history } = await train(mlp({ epochs: 2 }, { loss: 'categoricalCrossentropy' }));
    expect(history).toHaveLength(2);
    expect(history[1]?.loss).toBeLessThan(history[0]?.loss ?? 0);
  });

  it('gives the same first-batch loss for the same seed, and another for another seed', async () => {
    const firstLoss = async (seed: number) => {
      const batches: BatchProgress[] = [];
      await train(mlp({ seed, epochs: 1 }), new TrainingControl(), { batchIntervalMs: 0, onBatch: (b) => batches.push(b) });
      return batches[0]?.loss;
    };
    const a = await firstLoss(3);
    expect(await firstLoss(3)).toBe(a);
    expect(await firstLoss(4)).not.toBe(a);
  });

  it.each([
    ['adam', {}],
    ['sgd', { momentum: 0.9 }],
    ['rmsprop', {}],
  ] as const)('leaks no tensors with %s under a schedule: the count is the same after every epoch, and back to the start after disposal', async (optimizer, options) => {
    const before = tf.memory().numTensors;
    const epochs: EpochRecord[] = [];
    await train(mlp({ epochs: 3, learningRateDecay: 0.5 }, { optimizer, ...options }), new TrainingControl(), { onEpoch: (e) => epochs.push(e) });
    expect(epochs).toHaveLength(3);
    expect(epochs[2]?.loss).toBeLessThan(epochs[0]?.loss ?? 0);
    expect(new Set(epochs.map((e) => e.tensors)).size).toBe(1);
    expect(new Set(epochs.map((e) => e.bytes)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("ends early under EarlyStopping, with the best epoch's weights back and no tensors leaked", async () => {
    const before = tf.memory().numTensors;
    const epochs: EpochRecord[] = [];
    // A learning rate of 5e-324, 0 in float32: nothing is learnt, val_loss stays where it was, and patience 2 runs out after epoch 3.
    const spec = mlp({ epochs: 10, earlyStopping: { monitor: 'val_loss', minDelta: 0, patience: 2, restoreBestWeights: true } }, { learningRate: Number.MIN_VALUE });
    const result = await train(spec, new TrainingControl(), { onEpoch: (e) => epochs.push(e) });
    expect(result.stopped).toBe(false);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(result.earlyStop).toMatchObject({ monitor: 'val_loss', stoppedEpoch: 3, bestEpoch: 1, restored: true });
    expect(result.earlyStop?.best).toBeCloseTo(epochs[0]?.valLoss ?? NaN, 6);
    expect(new Set(epochs.map((e) => e.tensors)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives the model its best epoch's weights back at the end, as restore_best_weights does, when it did not stop early", async () => {
    // val_accuracy reaches 100% within a few epochs and stays there: a tie is no improvement,
    // so the best epoch is the first at 100%, and training goes on after it.
    const spec = mlp({ epochs: 8, earlyStopping: { monitor: 'val_accuracy', minDelta: 0, patience: 10, restoreBestWeights: true } }, { learningRate: 0.05 });
    const model = buildModel(spec, INPUT, 3);
    const data = createTrainingData(dataset.train.images, dataset.train.labels, dataset.train.count, 8, 8, 3);
    const optimizer = createOptimizer(spec.compile);
    const kept = new Map<number, Float32Array[]>();
    try {
      const result = await fit(model, data, spec, optimizer, new TrainingControl(), { onEpoch: (e) => kept.set(e.epoch, model.getWeights().map((w) => w.dataSync() as Float32Array)) });
      const best = result.history.reduce((a, b) => ((b.valAccuracy ?? 0) > (a.valAccuracy ?? 0) ? b : a));
      expect(best.epoch).toBeLessThan(8);
      expect(result.earlyStop).toMatchObject({ stoppedEpoch: null, bestEpoch: best.epoch, restored: true });
      const now = model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(now).toEqual(kept.get(best.epoch)?.map((w) => Array.from(w)));
      expect(now).not.toEqual(kept.get(8)?.map((w) => Array.from(w)));
    } finally {
      model.dispose();
      disposeTrainingData(data);
      optimizer.dispose();
    }
  });

  it("reports the run's first step at once, whatever the report interval: the curve starts at the untrained model's loss", async () => {
    const batches: BatchProgress[] = [];
    await train(mlp({ epochs: 2 }), new TrainingControl(), { batchIntervalMs: 60_000, onBatch: (b) => batches.push(b) });
    // Then only each epoch's last step, within a minute's interval.
    expect(batches.map((b) => [b.epoch, b.batch === b.batches ? 'last' : b.batch])).toEqual([
      [1, 1],
      [1, 'last'],
      [2, 'last'],
    ]);
  });

  it('validates an epoch trained to its end even when Stop comes after its last step', async () => {
    const control = new TrainingControl();
    const result = await train(mlp({ epochs: 3 }), control, {
      batchIntervalMs: 0,
      onBatch: (b) => {
        if (b.epoch === 1 && b.batch === b.batches) control.stop();
      },
    });
    expect(result.stopped).toBe(true);
    expect(result.history).toHaveLength(1);
    expect(result.history[0]?.valLoss).not.toBeNull();
  });

  it('stops mid-epoch and returns the history so far', async () => {
    const control = new TrainingControl();
    const seen: BatchProgress[] = [];
    const result = await train(mlp({ epochs: 3 }), control, {
      batchIntervalMs: 0,
      onBatch: (b) => {
        seen.push(b);
        if (b.epoch === 2 && b.batch === 3) control.stop();
      },
    });
    expect(result.stopped).toBe(true);
    expect(result.history.map((h) => h.epoch)).toEqual([1]);
    expect(seen.at(-1)).toMatchObject({ epoch: 2, batch: 3 });
    // Step 3 was reported already: not a second time as where it stopped.
    expect(seen.filter((b) => b.epoch === 2 && b.batch === 3)).toHaveLength(1);
  });

  it('says the step it stopped at, which may be after the last report', async () => {
    // Stop is heard before the fifth step: four were trained, and only the first was reported.
    const control = new (class extends TrainingControl {
      private checks = 0;
      override waitIfPaused(): Promise<void> {
        if (++this.checks === 5) this.stop();
        return super.waitIfPaused();
      }
    })();
    const seen: BatchProgress[] = [];
    await train(mlp({ epochs: 1 }), control, { batchIntervalMs: 60_000, onBatch: (b) => seen.push(b) });
    expect(seen.map((b) => b.batch)).toEqual([1, 4]);
  });

  it('hears a stop sent while it trains when every step is reported, as a slow step is', async () => {
    const control = new TrainingControl();
    const batches: BatchProgress[] = [];
    // The page's Stop, as a message: it arrives in a task of its own.
    setTimeout(() => control.stop(), 0);
    const result = await train(mlp({ epochs: 3 }), control, { batchIntervalMs: 0, onBatch: (b) => batches.push(b) });
    expect(result.stopped).toBe(true);
    expect(result.history).toEqual([]);
    expect(batches.length).toBeLessThan(12);
  });

  it('pauses between batches until resumed', async () => {
    const control = new TrainingControl();
    const seen: string[] = [];
    const result = await train(mlp({ epochs: 1 }), control, {
      batchIntervalMs: 0,
      onBatch: (b) => {
        seen.push(`batch ${b.batch}`);
        if (b.batch === 2) {
          control.pause();
          resumeWhenHeld(control, () => seen.push('resume'));
        }
      },
    });
    expect(result.history).toHaveLength(1);
    expect(seen.slice(0, 4)).toEqual(['batch 1', 'batch 2', 'resume', 'batch 3']);
  });

  it("leaves the validation pass out of samples/s, not out of the epoch's seconds", async () => {
    const { history } = await train(mlp({ epochs: 1 }));
    const [epoch] = history;
    // 180 training images; the 60 validation images took some of the epoch's seconds.
    expect(epoch?.samplesPerSecond).toBeGreaterThan(180 / (epoch?.seconds ?? Infinity));
  });

  it("leaves the time paused out of the epoch's seconds and samples/s", async () => {
    // The clock jumps a minute while paused: a pause as long as the user likes, in no time.
    let skipped = 0;
    const now = performance.now.bind(performance);
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now() + skipped);
    const control = new TrainingControl();
    const batches: BatchProgress[] = [];
    try {
      const result = await train(mlp({ epochs: 1 }), control, {
        batchIntervalMs: 0,
        onBatch: (b) => {
          batches.push(b);
          if (b.batch !== 2) return;
          control.pause();
          resumeWhenHeld(control, () => {
            skipped += 60_000;
          });
        },
      });
      const [epoch] = result.history;
      expect(control.pausedMs).toBeGreaterThanOrEqual(60_000);
      // 180 training images (240 less the 25% held out), in well under the minute paused.
      expect(epoch?.seconds).toBeLessThan(30);
      expect(epoch?.samplesPerSecond).toBeGreaterThan(180 / 30);
      expect(batches.at(-1)?.samplesPerSecond).toBeGreaterThan(180 / 30);
      // Right after the pause, the time left is the images left at the speed without the pause.
      expect(batches.find((b) => b.batch === 3)?.etaSeconds).toBeLessThan(30);
    } finally {
      clock.mockRestore();
    }
  });

  it('says how long the whole run has left from its second batch report, and nothing left after its last epoch', async () => {
    const batches: BatchProgress[] = [];
    const { history } = await train(mlp({ epochs: 3 }), new TrainingControl(), { batchIntervalMs: 0, onBatch: (b) => batches.push(b) });
    const [first, second] = batches;
    // The first report's pace would hold the warm-up: none is given yet.
    expect(first?.etaSeconds).toBeNaN();
    // After 32 of 3 × 180 training images, 508 to go at the second batch's pace.
    expect(second?.etaSeconds).toBeGreaterThan(0);
    expect(batches.slice(1).every((b) => Number.isFinite(b.etaSeconds))).toBe(true);
    expect(history.map((e) => e.etaSeconds > 0)).toEqual([true, true, false]);
    expect(history.at(-1)?.etaSeconds).toBe(0);
    // A later epoch's first report goes by the last epoch's pace: it has a time left at once.
    const epochTwo = batches.find((b) => b.epoch === 2);
    expect(epochTwo?.etaSeconds).toBeGreaterThan(0);
  });

  it("leaves an epoch's first report, with its warm-up, out of the pace the time left goes by", async () => {
    // Everything after the epoch's start reads 10 s late: a warm-up of 10 s before the first report.
    const now = performance.now.bind(performance);
    let late = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => {
      const t = now() + late;
      late = 10_000;
      return t;
    });
    const batches: BatchProgress[] = [];
    try {
      await train(mlp({ epochs: 1 }), new TrainingControl(), { batchIntervalMs: 0, onBatch: (b) => batches.push(b) });
    } finally {
      clock.mockRestore();
    }
    const [first, second] = batches;
    if (!first || !second) throw new Error('fewer than two batch reports');
    // The first report has only the slow pace, and gives no time; from the second on, the warm-up is left out.
    expect(first.etaSeconds).toBeNaN();
    expect(second.etaSeconds).toBeLessThan((180 - 32) / second.samplesPerSecond / 10);
  });

  it('counts the test evaluation the caller will run after the last epoch', async () => {
    const { history } = await train(mlp({ epochs: 1 }), new TrainingControl(), { batchIntervalMs: 0, evaluationCount: 100 });
    const [epoch] = history;
    expect(epoch?.etaSeconds).toBeGreaterThan(0);
    // Timed by the validation pass (60 images): 100 forward passes take less than an epoch of training and validation.
    expect(epoch?.etaSeconds).toBeLessThan(epoch?.seconds ?? 0);
  });

  it("reports a step's time at the pace after the first report, as Keras's Progbar leaves out its first step", async () => {
    const batches: BatchProgress[] = [];
    await train(mlp({ epochs: 2 }), new TrainingControl(), { batchIntervalMs: 0, onBatch: (b) => batches.push(b) });
    // The run's first report has no pace yet; every later one does, in seconds per step of 32.
    expect(batches[0]?.stepSeconds).toBeNaN();
    const later = batches.slice(1).map((b) => b.stepSeconds);
    expect(later.every((seconds) => seconds > 0 && Number.isFinite(seconds))).toBe(true);
    // Paced after the warm-up: never the epoch's mean from its start, which counts the warm-up in.
    const last = batches.at(-1);
    expect(last && last.stepSeconds).not.toBeCloseTo(last ? 32 / last.samplesPerSecond : 0, 9);
  });

  it('reports how far each validation pass has got, between the epoch\'s last batch and its history, with the time the run has left', async () => {
    const events: string[] = [];
    const passes: PassProgress[] = [];
    // 60 validation images, 16 at a time.
    await train(mlp({ epochs: 2 }), new TrainingControl(), {
      batchIntervalMs: 0,
      validationBatchSize: 16,
      onBatch: (b) => events.push(`batch ${b.epoch}.${b.batch}`),
      onPass: (p) => {
        passes.push(p);
        events.push(`validation ${p.done}`);
      },
      onEpoch: (e) => events.push(`epoch ${e.epoch}`),
    });
    const epochOne = events.slice(events.indexOf('batch 1.12'), events.indexOf('epoch 1') + 1);
    // Its start is said too: a pass shorter than the report interval would show nothing.
    expect(epochOne).toEqual(['batch 1.12', 'validation 0', 'validation 16', 'validation 32', 'validation 48', 'validation 60', 'epoch 1']);
    expect(passes.every((p) => p.pass === 'validation' && p.total === 60)).toBe(true);
    // In epoch 1, epoch 2 is still to come; at the last pass's end nothing is (no test images were given).
    expect(passes[4]?.etaSeconds).toBeGreaterThan(0);
    expect(passes.at(-1)?.etaSeconds).toBe(0);
    expect(passes.slice(0, 5).every((p) => Number.isFinite(p.etaSeconds))).toBe(true);
  });

  it('pauses in a validation pass until resumed', async () => {
    const control = new TrainingControl();
    const seen: string[] = [];
    const result = await train(mlp({ epochs: 1 }), control, {
      batchIntervalMs: 0,
      validationBatchSize: 16,
      onPass: (p) => {
        seen.push(`validation ${p.done}`);
        if (p.done !== 16) return;
        control.pause();
        resumeWhenHeld(control, () => seen.push('resume'));
      },
    });
    expect(result.history[0]?.valAccuracy).not.toBeNull();
    expect(seen).toEqual(['validation 0', 'validation 16', 'resume', 'validation 32', 'validation 48', 'validation 60']);
  });

  it("words a diverged run's rates as they were typed, and says when a decay had lowered the epoch's", () => {
    expect(new TrainingDivergedError(3, 7, 0.3, 0.3 * 0.85 ** 2).message).toBe(
      'The loss became NaN or infinite in epoch 3, batch 7: training diverged. Try a lower learning rate: for example 0.03 instead of 0.3 (this epoch trained at 0.21675, after the per-epoch decay).',
    );
  });

  it('stops with a clear error naming the epoch and batch when the loss diverges', async () => {
    // An absurd learning rate: the hidden layer's outputs overflow to infinity within a few steps.
    const spec = mlp({ epochs: 2 }, { optimizer: 'sgd', learningRate: 1e38 });
    const error = await train(spec, new TrainingControl(), { batchIntervalMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as TrainingDivergedError).message).toMatch(/NaN or infinite in epoch 1, batch \d+: training diverged\. Try a much lower learning rate: 1e\+38 is far above the 0\.0001 to 0\.1 that usually trains \(Adam's default is 0\.001, SGD's 0\.01\)\.$/);
  });
});

describe('secondsLeft', () => {
  const position = { epochs: 3, epoch: 1, trainCount: 1000, seen: 250, samplesPerSecond: 100, validationsLeft: 3, validationSeconds: 0, validationCount: 200, evaluationCount: 0 };

  it('counts the training images still to go, this epoch and the ones after, at this epoch\'s speed', () => {
    expect(secondsLeft({ ...position, validationsLeft: 0 })).toBe(27.5);
    expect(secondsLeft({ ...position, epoch: 3, seen: 1000, validationsLeft: 0 })).toBe(0);
  });

  it('counts the validation passes before the first is timed, a validation image as a third of a training one', () => {
    // 3 passes of 200 images at a third of 10 ms each: 2 s. Left out, a split of 0.5 made the first epoch's ETA a third short.
    expect(secondsLeft(position)).toBeCloseTo(27.5 + 2, 9);
  });

  it('adds the validation passes still to come at the mean time of the ones so far', () => {
    expect(secondsLeft({ ...position, epoch: 2, validationsLeft: 2, validationSeconds: 1.5 })).toBe(17.5 + 3);
    // The last batch of the last epoch: only its validation pass is left.
    expect(secondsLeft({ ...position, epoch: 3, seen: 1000, validationsLeft: 1, validationSeconds: 1.5 })).toBe(1.5);
  });

  it('adds the test evaluation after the last epoch, per image as long as a validation pass takes', () => {
    // 1.5 s for 200 validation images: 7.5 ms an image, 3 s for 400 test images.
    expect(secondsLeft({ ...position, epoch: 3, seen: 1000, validationsLeft: 0, validationSeconds: 1.5, evaluationCount: 400 })).toBeCloseTo(3, 9);
    expect(secondsLeft({ ...position, epoch: 2, validationsLeft: 2, validationSeconds: 1.5, evaluationCount: 400 })).toBeCloseTo(17.5 + 3 + 3, 9);
  });

  it('takes a test image as a third of a training image before any validation pass is timed, or with none', () => {
    // 100 images/s in training: 300 test images take 1 s.
    expect(secondsLeft({ ...position, evaluationCount: 300 })).toBeCloseTo(27.5 + 2 + 1, 9);
    expect(secondsLeft({ ...position, epoch: 3, seen: 1000, validationsLeft: 0, validationCount: 0, evaluationCount: 300 })).toBeCloseTo(1, 9);
  });
});

describe('randomShift', () => {
  /** Where each pixel of a 6×5 image lands when shifted by up to 2: computed by hand from the same draws. */
  function expectedShift(image: Float32Array, count: number, draws: () => number): Float32Array {
    const [h, w, shift] = [6, 5, 2];
    const out = new Float32Array(count * h * w);
    for (let n = 0; n < count; n++) {
      // The window starts at (dy, dx) of the padded image: pixel (y, x) moves to (y + 2 − dy, x + 2 − dx).
      const dy = Math.floor(draws() * (2 * shift + 1));
      const dx = Math.floor(draws() * (2 * shift + 1));
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const [sy, sx] = [y + dy - shift, x + dx - shift];
          out[(n * h + y) * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? (image[sy * w + sx] ?? NaN) : 0;
        }
      }
    }
    return out;
  }

  // The wasm backend is where the app trains without a GPU: its cropAndResize moved every image the same way across.
  it.each(['cpu', 'wasm'])('moves each image by its own offset, up and down and across, zeros coming in (%s)', async (backend) => {
    await tf.setBackend(backend);
    try {
      const count = 40;
      const image = Float32Array.from({ length: 30 }, (_, i) => i + 1);
      const batch = tf.tensor4d(Float32Array.from({ length: count * 30 }, (_, i) => image[i % 30] ?? NaN), [count, 6, 5, 1]);
      const shifted = randomShift(batch, 2, mulberry32(11));
      expect(shifted.shape).toEqual([count, 6, 5, 1]);
      const actual = shifted.dataSync();
      expect(Array.from(actual)).toEqual(Array.from(expectedShift(image, count, mulberry32(11))));
      // Forty draws from 25 offsets: the images did not all move alike.
      const firstRows = new Set(Array.from({ length: count }, (_, n) => actual.slice(n * 30, n * 30 + 5).join(',')));
      expect(firstRows.size).toBeGreaterThan(5);
      tf.dispose([batch, shifted]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

/**
 * The training loop: Keras's `fit` on tfjs, written for a worker that must stay responsive.
 * The dataset lives on the backend as one tensor; batches are gathered there; the running
 * loss and accuracy are summed there and read asynchronously a few times a second, never
 * synchronously per batch. Between batches the loop yields to the event loop, so pause,
 * stop and predict messages are handled while it trains. Touches neither the DOM nor `self`.
 */
import * as tf from '@tensorflow/tfjs';
import { batchCount, FORWARD_SHARE, mulberry32, shuffledIndices, splitValidation } from './batches';
import { setLearningRate } from './buildModel';
import { correctCount, crossEntropyPerExample, modelScores } from './losses';
import { EarlyStopping } from './earlyStopping';
import type { BatchProgress, EarlyStopReport, EpochRecord, PassProgress } from './protocol';
import { classWeightOf, heldOutSplit, scheduledLearningRate, type ModelSpec } from './spec';

/** Images and labels uploaded once: x is [count, h, w, 1] in [0, 1], y int32 labels. */
export interface TrainingData {
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor1D;
  readonly count: number;
  readonly classCount: number;
}

/** Uploads uint8 images (normalised to [0, 1], as `x / 255.0`) and labels to the backend. */
export function createTrainingData(images: Uint8Array, labels: Uint8Array, count: number, height: number, width: number, classCount: number): TrainingData {
  const size = height * width;
  const pixels = new Float32Array(count * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (images[i] ?? 0) / 255;
  const x = tf.tensor4d(pixels, [count, height, width, 1]);
  const y = tf.tensor1d(Int32Array.from(labels.subarray(0, count)), 'int32');
  return { x, y, count, classCount };
}

/** Frees a TrainingData's tensors. */
export function disposeTrainingData(data: TrainingData): void {
  tf.dispose([data.x, data.y]);
}

/** A rate as a person would type it: 1e+29, not 1.0000000000000001e+29. */
const rateText = (rate: number): string => String(Number(rate.toPrecision(6)));

/** What to try after a run diverged: a tenth of its rate, or, for a rate far too high for a tenth to help, the usual range. */
function advice(learningRate: number): string {
  if (learningRate >= 10) return `Try a much lower learning rate: ${rateText(learningRate)} is far above the 0.0001 to 0.1 that usually trains (Adam's default is 0.001, SGD's 0.01)`;
  return `Try a lower learning rate: for example ${rateText(learningRate / 10)} instead of ${rateText(learningRate)}`;
}

/** Raised when the loss stops being a finite number. */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
  /**
   * `learningRate` is the one the user set (compile's); `epochRate` the one this epoch
   * trained at, lower after a per-epoch decay.
   */
  constructor(
    readonly epoch: number,
    readonly batch: number,
    learningRate: number,
    epochRate = learningRate,
  ) {
    const decayed = epochRate === learningRate ? '' : ` (this epoch trained at ${rateText(epochRate)}, after the per-epoch decay)`;
    super(
      `The loss became NaN or infinite in epoch ${epoch}, batch ${batch}: training diverged. ${advice(learningRate)}${decayed}.`,
    );
  }
}

/** Lets the worker pause, resume and stop a run between batches. */
export class TrainingControl {
  private resumeWaiters: (() => void)[] = [];
  paused = false;
  stopRequested = false;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  /** True while the run is held in `waitIfPaused`. */
  get waiting(): boolean {
    return this.resumeWaiters.length > 0;
  }

  /** Milliseconds spent waiting in `waitIfPaused`: time a run's clocks leave out. */
  pausedMs = 0;

  /** Resolves at once unless paused; then when resumed or stopped. */
  waitIfPaused(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    const since = performance.now();
    return new Promise((resolve) =>
      this.resumeWaiters.push(() => {
        this.pausedMs += performance.now() - since;
        resolve();
      }),
    );
  }

  /** Milliseconds since `start` (a `performance.now()` reading), less the time paused since `pausedBefore` (a `pausedMs` reading). */
  activeMsSince(start: number, pausedBefore: number): number {
    return performance.now() - start - (this.pausedMs - pausedBefore);
  }
}

/** Yields to the event loop (a macrotask), so queued messages are handled. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Least time between two progress reports, and reads of the running sums, unless a caller sets its own. */
export const REPORT_INTERVAL_MS = 100;

/** Images a validation or test pass runs at once (Keras's `validation_batch_size`), unless a caller sets its own. */
export const PASS_BATCH_SIZE = 500;

export interface FitCallbacks {
  readonly onBatch?: (progress: BatchProgress) => void;
  readonly onEpoch?: (record: EpochRecord) => void;
  /** How far the validation pass at an epoch's end has got, at most every `batchIntervalMs`. */
  readonly onPass?: (progress: PassProgress) => void;
  /** Least time between two onBatch or onPass reports (and reads of the running sums). */
  readonly batchIntervalMs?: number;
  /** Images the validation pass runs at once (PASS_BATCH_SIZE when not given). */
  readonly validationBatchSize?: number;
  /** Test images the caller will evaluate the model on after fit, counted in the time left (none when not given). */
  readonly evaluationCount?: number;
  /** The images that validate each epoch where the spec's validationData names the test set (`validation_data`); required then. */
  readonly validationData?: TrainingData;
}

export interface FitResult {
  readonly history: EpochRecord[];
  /** True when `control.stop()` ended it (not EarlyStopping). */
  readonly stopped: boolean;
  /** What the spec's EarlyStopping did; null without one, or before it saw an epoch. */
  readonly earlyStop: EarlyStopReport | null;
  /** The test evaluation's time as the time left counts it (NaN before any pace is known). */
  readonly evaluationSeconds: number;
}

/** Called by a validation or test pass after each chunk, with the images done so far; the pass waits for it. */
export type PassStep = (done: number) => Promise<void>;

/**
 * A pass's step for a run under `control`: it yields to the event loop, so that pause, stop
 * and predict messages are handled (a pass runs to its end all the same), waits while the run
 * is paused (time the seconds leave out), then reports at most every `intervalMs`, with the
 * images done and the pass's active seconds so far.
 * Without it, a pass held the worker for its whole length: 10-20 s for the strongest preset's
 * test evaluation on a CPU, Pause taking effect only after it.
 */
export function passStep(control: TrainingControl, intervalMs: number, report: (done: number, activeSeconds: number) => void): PassStep {
  const [start, pausedBefore] = [performance.now(), control.pausedMs];
  let last = start;
  return async (done) => {
    await yieldToEventLoop();
    await control.waitIfPaused();
    // Reported after the wait: a run that has said it is paused reports nothing until resumed.
    const now = performance.now();
    if (now - last >= intervalMs) {
      last = now;
      report(done, control.activeMsSince(start, pausedBefore) / 1000);
    }
  };
}

/** Seconds a pass has left at its pace so far: `done` of `total` images in `activeSeconds`. */
export function passSecondsLeft(done: number, total: number, activeSeconds: number): number {
  return done > 0 ? ((total - done) * activeSeconds) / done : Number.NaN;
}

/** Reshapes a batch of images for the model's input: flat vectors for a Dense-first model. */
export function toModelInput(model: tf.LayersModel, images: tf.Tensor4D): tf.Tensor {
  const shape = model.inputs[0]?.shape ?? [];
  if (shape.length === 2) return images.reshape([images.shape[0], images.shape[1] * images.shape[2] * images.shape[3]]);
  return images;
}

/**
 * Random shifts of up to `shift` pixels per image (zeros come in at the edges): pad by
 * `shift`, then take a window of the original size at a random offset for each image, as one
 * gather of pixel indices built here. (tf.image.cropAndResize would do it, but tfjs 4.22's
 * wasm kernel ignores the boxes' horizontal offsets: every image moved the same way across.)
 */
export function randomShift(images: tf.Tensor4D, shift: number, random: () => number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, channels] = images.shape;
    const ph = h + 2 * shift;
    const pw = w + 2 * shift;
    const padded = images.pad<tf.Tensor4D>([[0, 0], [shift, shift], [shift, shift], [0, 0]]).reshape([n * ph * pw, channels]);
    const pixels = new Int32Array(n * h * w);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const dy = Math.floor(random() * (2 * shift + 1));
      const dx = Math.floor(random() * (2 * shift + 1));
      for (let y = 0; y < h; y++) {
        const row = (i * ph + dy + y) * pw + dx;
        for (let x = 0; x < w; x++) pixels[k++] = row + x;
      }
    }
    return padded.gather(tf.tensor1d(pixels, 'int32')).reshape<tf.Tensor4D>([n, h, w, channels]);
  });
}

/**
 * Mean loss and accuracy of `model` on rows [start, start + count) of `data`, in inference
 * mode. With a `step`, each chunk is waited for (so that the count it is given is done, on
 * WebGL too) before the step is.
 */
export async function evaluateSlice(
  model: tf.LayersModel,
  data: TrainingData,
  spec: ModelSpec,
  start: number,
  count: number,
  batchSize = PASS_BATCH_SIZE,
  step?: PassStep,
): Promise<{ loss: number; accuracy: number }> {
  let lossSum = tf.scalar(0);
  // A count, as correctCount's is: adding it to a float32 sum would cast it every batch.
  let correctSum = tf.scalar(0, 'int32');
  for (let offset = 0; offset < count; offset += batchSize) {
    const size = Math.min(batchSize, count - offset);
    const [nextLoss, nextCorrect] = tf.tidy((): [tf.Scalar, tf.Scalar] => {
      const x = data.x.slice([start + offset, 0, 0, 0], [size, -1, -1, -1]);
      const y = data.y.slice([start + offset], [size]);
      const scores = modelScores(model, toModelInput(model, x), spec.compile.fromLogits);
      return [lossSum.add(crossEntropyPerExample(spec.compile, y, scores).sum()), correctSum.add(correctCount(y, scores))];
    });
    tf.dispose([lossSum, correctSum]);
    lossSum = nextLoss;
    correctSum = nextCorrect;
    if (step) {
      await correctSum.data();
      await step(offset + size);
    }
  }
  const [loss, correct] = await Promise.all([lossSum.data<'float32'>(), correctSum.data<'int32'>()]);
  tf.dispose([lossSum, correctSum]);
  return { loss: (loss[0] ?? NaN) / count, accuracy: (correct[0] ?? 0) / count };
}

/** Where a run stands, for `secondsLeft`. */
export interface RunPosition {
  readonly epochs: number;
  /** The epoch under way, from 1. */
  readonly epoch: number;
  readonly trainCount: number;
  /** Training images seen in this epoch so far. */
  readonly seen: number;
  /** The training pace to go by, images per second (`fit` gives this epoch's, its first report left out). */
  readonly samplesPerSecond: number;
  /** Validation passes still to come, this epoch's included when it has not run yet. */
  readonly validationsLeft: number;
  /** The mean time of the validation passes so far; 0 before the first one ends. */
  readonly validationSeconds: number;
  /** Images in each validation pass. */
  readonly validationCount: number;
  /** Test images evaluated after the last epoch. */
  readonly evaluationCount: number;
}

/**
 * Seconds a run has left: the training images still to go in this epoch and the ones after
 * it, at the pace given, and the validation passes still to come at the mean time of the
 * ones so far. Keras's progress bar estimates the epoch under way the same way; this covers
 * the whole run, so that a long one says how long from its first batches. A validation pass
 * and the test evaluation are forward passes: before the first pass is timed, each image is
 * taken as a third of a training step's time per image (FORWARD_SHARE: a forward pass against
 * forward and backward); after, as long as a validation image took. (Left out before the
 * first pass, a split of 0.5 made the first epoch's ETA a third short.) Time paused is in
 * none of these.
 */
export function secondsLeft(position: RunPosition): number {
  const { epochs, epoch, trainCount, seen, samplesPerSecond, validationsLeft, validationSeconds, validationCount, evaluationCount } = position;
  const imagesLeft = (epochs - epoch) * trainCount + (trainCount - seen);
  const training = imagesLeft > 0 ? imagesLeft / samplesPerSecond : 0;
  const timed = validationSeconds > 0 && validationCount > 0;
  const perPassImage = timed ? validationSeconds / validationCount : FORWARD_SHARE / samplesPerSecond;
  return training + (validationsLeft * validationCount + evaluationCount) * perPassImage;
}

/**
 * Trains `model` on `data` as `model.fit(x, y, epochs, batch_size, validation_split, shuffle)`
 * would (or with `validation_data`, the callbacks' `validationData`, when the spec names it),
 * reporting Keras's running means per batch and history per epoch. Stops early, with
 * the history so far, when `control.stop()` is called. Throws TrainingDivergedError on NaN.
 * The caller owns (and disposes) the model, the data and the optimizer.
 */
export async function fit(
  model: tf.LayersModel,
  data: TrainingData,
  spec: ModelSpec,
  optimizer: tf.Optimizer,
  control: TrainingControl,
  callbacks: FitCallbacks = {},
): Promise<FitResult> {
  const { epochs, batchSize, shuffle, seed, augmentShift } = spec.fit;
  // validation_data overrides validation_split: every image trains, and the given set validates.
  const given = spec.fit.validationData === null ? null : callbacks.validationData;
  if (given === undefined) throw new Error(`fit was given no validation data for validationData '${spec.fit.validationData}'`);
  const held = splitValidation(data.count, heldOutSplit(spec.fit));
  const { trainCount } = held;
  const [validationSource, validationStart, validationCount] = given === null ? [data, held.validationStart, held.validationCount] : [given, 0, given.count];
  const batches = batchCount(trainCount, batchSize);
  const interval = callbacks.batchIntervalMs ?? REPORT_INTERVAL_MS;
  const augmentRandom = mulberry32(seed ^ 0x5eed);
  const history: EpochRecord[] = [];
  // The validation passes' total time and count, for the time left.
  let validationTotal = 0;
  let validations = 0;
  const validationSeconds = (): number => (validations > 0 ? validationTotal / validations : 0);
  const evaluationCount = callbacks.evaluationCount ?? 0;
  /** `secondsLeft` from a point in this run: its epochs, and each pass's images, are fixed. */
  const timeLeft = (at: Omit<RunPosition, 'epochs' | 'trainCount' | 'validationCount' | 'evaluationCount'>): number =>
    secondsLeft({ epochs, trainCount, validationCount, evaluationCount, ...at });
  /** The pace the time left went by at the last batch report; NaN before the first epoch's second report. */
  let lastPace = Number.NaN;
  const earlyStopping = spec.fit.earlyStopping ? new EarlyStopping(spec.fit.earlyStopping, model) : null;
  let stopEarly = false;
  // class_weight: each image's weight by its class, as Keras's sample weights (null: all weigh 1).
  const classWeights = spec.fit.classWeight === null ? null : tf.tensor1d(Array.from({ length: data.classCount }, (_, c) => classWeightOf(spec.fit, c)));

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const learningRate = scheduledLearningRate(spec, epoch);
      setLearningRate(optimizer, learningRate);
      const order = shuffle ? shuffledIndices(trainCount, seed, epoch) : Int32Array.from({ length: trainCount }, (_, i) => i);
      const [epochStart, epochPaused] = [performance.now(), control.pausedMs];
      let lossSum = tf.scalar(0);
      let correctSum = tf.scalar(0, 'int32');
      let seen = 0;
      let lastReport = performance.now();
      let reportedBatch = 0;
      // The time left goes by the pace after the epoch's first report, as Keras's progress bar
      // leaves out its first step: that one holds the warm-up (WebGL's shader compiles, say), and
      // counted in, it held the estimate up to twice the true time for as long as a long epoch's
      // first tens of seconds. At that first report the pace is the last epoch's, and in the
      // first epoch it is not known yet (NaN: the page shows "–"). Measured by the first batch
      // or two alone, it was 1.4 to 4.5 times the time left (quickstart, 2-core VM).
      let warmedUp: { readonly ms: number; readonly seen: number } | null = null;

      const report = async (batch: number): Promise<{ loss: number; accuracy: number }> => {
        const [loss, correct] = await Promise.all([lossSum.data<'float32'>(), correctSum.data<'int32'>()]);
        const running = { loss: (loss[0] ?? NaN) / seen, accuracy: (correct[0] ?? 0) / seen };
        if (!Number.isFinite(running.loss)) throw new TrainingDivergedError(epoch, batch, spec.compile.learningRate, learningRate);
        return running;
      };

      try {
        for (let batch = 1; batch <= batches; batch++) {
          await control.waitIfPaused();
          if (control.stopRequested) break;
          const from = (batch - 1) * batchSize;
          const size = Math.min(batchSize, trainCount - from);
          const [nextLoss, nextCorrect] = tf.tidy((): [tf.Scalar, tf.Scalar] => {
            const indices = tf.tensor1d(order.subarray(from, from + size), 'int32');
            const gathered = data.x.gather(indices);
            const images = augmentShift > 0 ? randomShift(gathered, augmentShift, augmentRandom) : gathered;
            const x = toModelInput(model, images);
            const y = data.y.gather(indices);
            const weights = classWeights?.gather(y.toInt()) ?? null;
            const kept: tf.Scalar[] = [];
            const batchLoss = optimizer.minimize(() => {
              const scores = modelScores(model, x, spec.compile.fromLogits, true);
              kept.push(tf.keep(correctCount(y, scores)));
              const losses = crossEntropyPerExample(spec.compile, y, scores);
              // Keras: the weighted losses summed over the batch, over its size. Accuracy, a metric
              // given to compile's `metrics`, is not weighted (only `weighted_metrics` are).
              return weights === null ? losses.mean() : losses.mul(weights).sum().div(size);
            }, true);
            const batchCorrect = kept[0];
            if (batchLoss === null || batchCorrect === undefined) throw new Error('the optimizer returned no loss');
            const sums: [tf.Scalar, tf.Scalar] = [lossSum.add(batchLoss.mul(size)), correctSum.add(batchCorrect)];
            batchCorrect.dispose();
            return sums;
          });
          tf.dispose([lossSum, correctSum]);
          lossSum = nextLoss;
          correctSum = nextCorrect;
          seen += size;
          const now = performance.now();
          // Reported: every `interval`, an epoch's last step, and the run's first step, so that
          // the curve starts where an untrained model does (a loss near ln 10 ≈ 2.30 for ten
          // classes), not at a mean over the first 100 ms of learning.
          if (now - lastReport >= interval || batch === batches || (epoch === 1 && batch === 1)) {
            lastReport = now;
            const running = await report(batch);
            const activeMs = control.activeMsSince(epochStart, epochPaused);
            const samplesPerSecond = seen / (activeMs / 1000);
            const pace = warmedUp && seen > warmedUp.seen && activeMs > warmedUp.ms ? (seen - warmedUp.seen) / ((activeMs - warmedUp.ms) / 1000) : lastPace;
            warmedUp ??= { ms: activeMs, seen };
            if (Number.isFinite(pace)) lastPace = pace;
            const etaSeconds = timeLeft({ epoch, seen, samplesPerSecond: pace, validationsLeft: epochs - epoch + 1, validationSeconds: validationSeconds() });
            callbacks.onBatch?.({ epoch, batch, batches, ...running, samplesPerSecond, stepSeconds: batchSize / pace, etaSeconds });
            reportedBatch = batch;
          }
          // Every step yields, a reported one too: on WASM a report's read resolves without
          // letting the worker read its messages, and a step of 100 ms or more is reported every
          // time, so Pause and Stop waited for the epoch's end (minutes, on the strongest preset).
          await yieldToEventLoop();
        }
        if (seen === 0) break;
        const running = await report(batches);
        // samples/s is the training's own speed: the validation pass below is not in it.
        const trainingSeconds = control.activeMsSince(epochStart, epochPaused) / 1000;
        const trainingPace = Number.isFinite(lastPace) ? lastPace : seen / trainingSeconds;
        // While it validates, the time left is this pass's rest at its pace so far, then what
        // follows it: the later epochs, their passes (timed by the ones before, or by this one's
        // projected length if it is the first) and the test evaluation.
        const validationStep = passStep(control, interval, (done, activeSeconds) => {
          const projected = (validationCount * activeSeconds) / done;
          const after = timeLeft({
            epoch,
            seen: trainCount,
            samplesPerSecond: trainingPace,
            validationsLeft: epochs - epoch,
            validationSeconds: validations > 0 ? validationSeconds() : projected,
          });
          callbacks.onPass?.({ pass: 'validation', done, total: validationCount, etaSeconds: passSecondsLeft(done, validationCount, activeSeconds) + after });
        });
        // An epoch trained to its end is validated, Stop or not (Keras checks stop_training
        // after it): its history entry has its val_ figures, and EarlyStopping sees them.
        const validating = validationCount > 0 && seen === trainCount;
        // Said at its start, as the test pass is: a pass shorter than a report's interval showed nothing.
        if (validating) {
          const etaSeconds = timeLeft({ epoch, seen, samplesPerSecond: trainingPace, validationsLeft: epochs - epoch + 1, validationSeconds: validationSeconds() });
          callbacks.onPass?.({ pass: 'validation', done: 0, total: validationCount, etaSeconds });
        }
        const validation = validating ? await evaluateSlice(model, validationSource, spec, validationStart, validationCount, callbacks.validationBatchSize, validationStep) : null;
        // Time paused is left out of both.
        const seconds = control.activeMsSince(epochStart, epochPaused) / 1000;
        if (validation) {
          validationTotal += seconds - trainingSeconds;
          validations++;
        }
        const samplesPerSecond = seen / trainingSeconds;
        const memory = tf.memory();
        const record: EpochRecord = {
          epoch,
          epochs,
          loss: running.loss,
          accuracy: running.accuracy,
          valLoss: validation?.loss ?? null,
          valAccuracy: validation?.accuracy ?? null,
          learningRate,
          seconds,
          samplesPerSecond,
          etaSeconds: timeLeft({ epoch, seen, samplesPerSecond, validationsLeft: epochs - epoch, validationSeconds: validationSeconds() }),
          // The two running sums are still alive here; they are freed just below. EarlyStopping's
          // copy of the best weights, and the class weights, are not leaks either.
          tensors: memory.numTensors - 2 - (classWeights ? 1 : 0) - (earlyStopping?.heldTensors ?? 0),
          bytes: memory.numBytes - 8 - (classWeights?.size ?? 0) * 4 - (earlyStopping?.heldBytes ?? 0),
        };
        if (seen < trainCount) {
          // Stopped mid-epoch: that epoch is not a full history entry. Its last word is where it
          // stopped, which may be steps after the last report.
          const stoppedAt = Math.ceil(seen / batchSize);
          const eta = timeLeft({ epoch: epochs, seen: trainCount, samplesPerSecond: lastPace, validationsLeft: 0, validationSeconds: validationSeconds() });
          if (stoppedAt > reportedBatch) callbacks.onBatch?.({ epoch, batch: stoppedAt, batches, ...running, samplesPerSecond, stepSeconds: batchSize / trainingPace, etaSeconds: eta });
          break;
        }
        history.push(record);
        callbacks.onEpoch?.(record);
        stopEarly = earlyStopping?.afterEpoch(record) ?? false;
      } finally {
        tf.dispose([lossSum, correctSum]);
      }
      if (control.stopRequested || stopEarly) break;
    }
  } catch (error) {
    earlyStopping?.dispose();
    throw error;
  } finally {
    classWeights?.dispose();
  }
  const evaluationSeconds = timeLeft({ epoch: epochs, seen: trainCount, samplesPerSecond: lastPace, validationsLeft: 0, validationSeconds: validationSeconds() });
  return { history, stopped: control.stopRequested, earlyStop: earlyStopping?.finish(epochs) ?? null, evaluationSeconds };
}

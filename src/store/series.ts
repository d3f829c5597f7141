/**
 * Keeping live series short: per-batch points arrive for as long as a run trains, but a chart
 * needs a few hundred. When a series reaches its cap it keeps every other point, so old data
 * thins out evenly and the newest point is always kept. Also where a run stands: its last
 * step, its share of the work done, its time left. Pure.
 */
import { FORWARD_SHARE } from '../training/batches';
import { progbarValue } from '../training/kerasLog';
import { highRateWords, validates, type FitSpec, type OptimizerName } from '../training/spec';

/** Most points a live series holds before it is thinned. */
export const SERIES_CAP = 200;

/**
 * Appends `point`, halving the series first when it is full. The first point stays: a run's
 * first step, where its curve starts (an untrained model's loss).
 */
export function appendThinned<T>(series: readonly T[], point: T, cap: number = SERIES_CAP): T[] {
  const base = series.length >= cap ? series.filter((_, i) => i === 0 || i % 2 === 1) : series;
  return [...base, point];
}

/**
 * A curve of many points cut to about `max` for drawing: in buckets of consecutive points,
 * each bucket's lowest and highest (in x order), and always the first and last points. Peaks
 * and dips survive, which keeping every k-th point would skip: a spike in val_loss is what a
 * person looks for. Curves of `max` points or fewer come back as they are.
 */
export function thinCurve<T extends { readonly y: number }>(points: readonly T[], max: number): readonly T[] {
  if (points.length <= max) return points;
  const size = Math.ceil(points.length / Math.max(1, Math.floor(max / 2)));
  const kept: T[] = [];
  for (let start = 0; start < points.length; start += size) {
    let low = start;
    let high = start;
    for (let i = start + 1; i < Math.min(start + size, points.length); i++) {
      if ((points[i]?.y ?? 0) < (points[low]?.y ?? 0)) low = i;
      if ((points[i]?.y ?? 0) > (points[high]?.y ?? 0)) high = i;
    }
    for (const i of low === high ? [low] : [Math.min(low, high), Math.max(low, high)]) {
      const point = points[i];
      if (point) kept.push(point);
    }
  }
  const [first, last] = [points[0], points.at(-1)];
  if (first && kept[0] !== first) kept.unshift(first);
  if (last && kept.at(-1) !== last) kept.push(last);
  return kept;
}

/**
 * The epoch and step a run's last per-batch point stands for (its x is epochs trained:
 * epoch − 1 + step / steps), or null without points. A run restored from storage keeps its
 * points, not its live progress: this is where it stopped.
 */
export function lastStep(batches: readonly { readonly x: number }[], batchesPerEpoch: number): { epoch: number; batch: number; batches: number } | null {
  const x = batches.at(-1)?.x;
  if (x === undefined || !(batchesPerEpoch > 0)) return null;
  const epoch = Math.max(1, Math.ceil(x - 1e-9));
  return { epoch, batch: Math.round((x - (epoch - 1)) * batchesPerEpoch), batches: batchesPerEpoch };
}

/** What a run's progress is read from: its plan, its counts and what it has reported. */
export interface RunWork {
  readonly spec: { readonly fit: { readonly epochs: number } };
  readonly trainCount: number;
  readonly validationCount: number;
  readonly testCount?: number;
  readonly batches: readonly { readonly x: number }[];
  readonly epochs: readonly unknown[];
  readonly pass?: { readonly pass: 'validation' | 'test'; readonly done: number; readonly total: number } | null;
  readonly evaluation: { readonly count: number } | null;
}

/**
 * How far through its work a run is, from 0 to 1: the training images of all its epochs, each
 * epoch's validation pass and the test evaluation, a pass's image weighed as FORWARD_SHARE of
 * a training one (it is a forward pass only). So the bar moves while a pass runs, and reaches
 * 1 when the test set has been evaluated, not when the last step ends. A run that stopped, or
 * that EarlyStopping ended, stays where it got to: its training goes by epochsTrained, which
 * each batch report moves, live or restored from storage.
 */
export function runFraction(run: RunWork): number {
  const epochs = run.spec.fit.epochs;
  if (!(epochs > 0)) return 0;
  const trained = epochsTrained(run);
  // Before the worker has said how many images there are, the epochs alone.
  if (!(run.trainCount > 0)) return Math.min(1, trained / epochs);
  const pass = run.pass ?? null;
  const testCount = run.evaluation?.count ?? run.testCount ?? (pass?.pass === 'test' ? pass.total : 0);
  const validated = run.epochs.length * run.validationCount + (pass?.pass === 'validation' ? pass.done : 0);
  const tested = run.evaluation ? testCount : pass?.pass === 'test' ? pass.done : 0;
  const total = epochs * run.trainCount + FORWARD_SHARE * (epochs * run.validationCount + testCount);
  return Math.min(1, (trained * run.trainCount + FORWARD_SHARE * (validated + tested)) / total);
}

/**
 * The percentage a run's bar and the tab's title show: cut down, not rounded, so that it reads
 * 100% only once all its work is done (rounded, a long run's test pass, under half a percent
 * of its work, read 100% while it ran).
 */
export function runPercent(run: RunWork): number {
  return Math.floor(runFraction(run) * 100 + 1e-9);
}

/**
 * How far a run trained, in epochs: its history's epochs, or more where it trained part of the
 * next before Stop (its last batch point is at epochs trained, epoch − 1 + step / steps). The
 * weights it ended with are an epoch's end's only where this is a whole number.
 */
export function epochsTrained(run: { readonly epochs: readonly unknown[]; readonly batches: readonly { readonly x: number }[] }): number {
  return Math.max(run.epochs.length, run.batches.at(-1)?.x ?? 0);
}

/** Where a run's training got to: not begun, part-way through an epoch (Stop between batches), or at an epoch's end. */
export type TrainedTo = { readonly kind: 'before-training' } | { readonly kind: 'in-epoch'; readonly epoch: number } | { readonly kind: 'after-epoch'; readonly epoch: number };

/**
 * Where a run's training got to, the one rule for every "stopped in epoch N" and "stopped
 * before training" the page says, and for whether a stopped run has a model. A Stop within the
 * first 100 ms reports no batch, yet the worker built, trained and tested the model: a test
 * evaluation puts it in epoch 1.
 */
export function trainedTo(run: { readonly epochs: readonly unknown[]; readonly batches: readonly { readonly x: number }[]; readonly evaluation?: unknown }): TrainedTo {
  const trained = epochsTrained(run);
  if (trained === 0) return run.evaluation == null ? { kind: 'before-training' } : { kind: 'in-epoch', epoch: 1 };
  return trained > run.epochs.length ? { kind: 'in-epoch', epoch: run.epochs.length + 1 } : { kind: 'after-epoch', epoch: run.epochs.length };
}

/**
 * Seconds a run in training has left, NaN where no figure is known yet: a validation or test
 * pass's own while one reports; else the newer of the last batch report's and the last
 * epoch's (which, after the last epoch, is the test evaluation's alone).
 */
export function secondsLeftOf(run: {
  readonly pass?: { readonly etaSeconds: number } | null;
  readonly progress: { readonly epoch: number; readonly etaSeconds: number } | null;
  readonly epochs: readonly { readonly epoch: number; readonly etaSeconds: number }[];
}): number {
  if (run.pass && Number.isFinite(run.pass.etaSeconds)) return run.pass.etaSeconds;
  const record = run.epochs.at(-1);
  if (record && (run.progress === null || record.epoch >= run.progress.epoch)) return record.etaSeconds;
  return run.progress?.etaSeconds ?? Number.NaN;
}

/**
 * Whether a run is being evaluated on the test set: its test pass has reported (the worker
 * reports its start), or it has trained all its epochs with no evaluation yet. EarlyStopping
 * may end training epochs early: the first is what says so then.
 */
export function isEvaluating(run: {
  readonly pass?: { readonly pass: 'validation' | 'test' } | null;
  readonly epochs: readonly unknown[];
  readonly evaluation: unknown;
  readonly spec: { readonly fit: { readonly epochs: number } };
}): boolean {
  return run.evaluation === null && (run.pass?.pass === 'test' || run.epochs.length === run.spec.fit.epochs);
}

/** How far below its training accuracy a run's test accuracy must fall for `batchNormLagWords` to explain it. */
const BATCH_NORM_GAP = 0.2;
/** What a run's test evaluation is held against: the accuracy in training of the weights it measured. */
interface TestedRun {
  readonly epochs: readonly { readonly accuracy: number }[];
  readonly evaluation: { readonly accuracy: number; readonly loss?: number } | null;
  readonly earlyStop?: { readonly restored: boolean; readonly bestEpoch: number } | null;
}

/**
 * The test accuracy and the training accuracy of the epoch whose weights it measured: the last
 * epoch's, or the one EarlyStopping put back (`restoredEpoch`, null when the weights are the last epoch's).
 */
function testedAgainstTraining(run: TestedRun): { readonly restoredEpoch: number | null; readonly trained: number | undefined; readonly tested: number | undefined } {
  // Weights put back from the last epoch are the ones it ended with: nothing to say of that.
  const restoredEpoch = run.earlyStop?.restored === true && run.earlyStop.bestEpoch !== run.epochs.length ? run.earlyStop.bestEpoch : null;
  const trained = restoredEpoch === null ? run.epochs.at(-1)?.accuracy : run.epochs[restoredEpoch - 1]?.accuracy;
  return { restoredEpoch, trained, tested: run.evaluation?.accuracy };
}

/** How far (a share) test accuracy must fall below training accuracy before the gap is pointed out: a point. */
const TEST_GAP = 0.01;

/**
 * The TensorFlow tutorials' first lesson after `evaluate`: test accuracy a little below training
 * accuracy, the gap they call overfitting. Said when the test set is more than a point below the
 * tested weights' epoch in training; null otherwise, and where BatchNormalization's lag explains
 * the gap instead (batchNormLagWords).
 */
export function testGapWords(run: Parameters<typeof batchNormLagWords>[0] & { readonly spec: { readonly fit: Pick<FitSpec, 'validationSplit' | 'validationData'> } }): string | null {
  const { restoredEpoch, trained, tested } = testedAgainstTraining(run);
  // Held to the hundredths of a percent the page prints: 0.8978 − 0.8878 is a point, not a hair over.
  if (trained === undefined || tested === undefined || !Number.isFinite(trained) || Math.round((trained - tested) * 1e4) <= TEST_GAP * 1e4) return null;
  if (batchNormLagWords(run) !== null) return null;
  // A test loss that is not a number is weights gone NaN at the last step, not overfitting.
  if (run.evaluation?.loss !== undefined && !Number.isFinite(run.evaluation.loss)) return null;
  const inTraining = restoredEpoch === null ? 'the last epoch’s accuracy in training' : `epoch ${restoredEpoch}’s accuracy in training (EarlyStopping put its weights back)`;
  const validation = validates(run.spec.fit) ? 'val_accuracy shows it epoch by epoch' : 'a validation split would show it epoch by epoch, as val_accuracy';
  return `Test accuracy, ${(tested * 100).toFixed(2)}%, is below ${inTraining}, ${(trained * 100).toFixed(2)}%: the model does better on the images it learnt from than on images it has not seen. That gap is what the TensorFlow tutorials call overfitting; ${validation}.`;
}

/** Training steps under which BatchNormalization's moving averages may still lag the weights. */
const BATCH_NORM_FEW_STEPS = 1000;

/**
 * Why a short run of a model with BatchNormalization tests far below its training accuracy,
 * when it does: training normalises each batch by its own mean and variance, testing by the
 * moving averages of those, and early in training the weights change faster than the averages
 * follow. (The Strongest preset, 2 epochs of 3,000 images: accuracy 0.776, test 25.84%.)
 * When EarlyStopping put an earlier epoch's weights back (moving averages among them), the test
 * measured that epoch's model, so its training accuracy and steps are the ones compared.
 * Null for any other run.
 */
export function batchNormLagWords(run: TestedRun & { readonly spec: { readonly layers: readonly { readonly type: string }[] }; readonly batches: readonly { readonly x: number }[]; readonly batchesPerEpoch: number }): string | null {
  const { restoredEpoch, trained, tested } = testedAgainstTraining(run);
  if (trained === undefined || tested === undefined || trained - tested < BATCH_NORM_GAP) return null;
  if (!run.spec.layers.some((layer) => layer.type === 'batchNormalization')) return null;
  const steps = Math.round((restoredEpoch ?? epochsTrained(run)) * run.batchesPerEpoch);
  if (steps >= BATCH_NORM_FEW_STEPS) return null;
  const inTraining = restoredEpoch === null ? 'in training' : `in epoch ${restoredEpoch}'s training (EarlyStopping put its weights back)`;
  return `Tested at ${(tested * 100).toFixed(2)}% against ${(trained * 100).toFixed(2)}% ${inTraining}: in training, BatchNormalization normalises each batch by its own mean and variance; at test time, by their moving averages, which after ${steps.toLocaleString('en-US')} steps still lag behind weights that change fast early on. Train longer or on more images and the gap closes.`;
}

/** How far val_loss must rise over its lowest (a share of it) before its rise is called overfitting, not noise. */
const OVERFIT_RISE = 0.05;
/** How many epochs in a row, the last ones, val_loss must stay that far up: one higher epoch is often noise. */
const OVERFIT_EPOCHS = 2;

/** How many times a uniform guess's loss (ln of the class count) an epoch's mean loss must reach before the curves say training made the model worse than guessing. */
const WORSE_THAN_GUESS = 1.5;
/**
 * What a learner reading the curves may take for a bug, or miss, said beside them once the
 * epochs show it (empty while they do not):
 * - training made the model worse than a guess: an epoch's mean loss at least 1.5 times that of
 *   a model giving every class the same probability, ln(classes), most often from a learning
 *   rate far too high (then nothing else is said: val_loss below such a loss is no news);
 * - val_loss below loss: loss is a mean over the epoch's steps, most of them taken by a worse
 *   model than the one validated at the epoch's end (the main cause early on), and with
 *   Dropout on, on shifted images if Random shift is;
 * - overfitting: val_loss at least 5% over its lowest in each of the last two epochs, after
 *   it, while loss kept falling.
 */
export function curveNotes(run: {
  readonly spec: {
    readonly layers: readonly { readonly type: string }[];
    readonly compile: { readonly optimizer: OptimizerName; readonly learningRate: number };
    readonly fit: { readonly augmentShift: number; readonly earlyStopping: { readonly monitor: string } | null; readonly classWeight: FitSpec['classWeight'] };
  };
  readonly classNames: readonly string[];
  readonly epochs: readonly { readonly epoch: number; readonly loss: number; readonly valLoss: number | null }[];
  readonly trainCount: number;
}): string[] {
  const classes = run.classNames.length;
  const guess = Math.log(classes);
  // With class_weight, loss is weighted (val_loss is not): a guess's weighted loss is up to the largest weight times ln(classes).
  const weights = Object.values(run.spec.fit.classWeight ?? {});
  const heaviest = Math.max(1, ...weights);
  const diverged = classes > 1 ? run.epochs.find((e) => Number.isFinite(e.loss) && e.loss >= guess * heaviest * WORSE_THAN_GUESS) : undefined;
  if (diverged) {
    const rate = highRateWords(run.spec.compile);
    const cure = rate === null ? 'A lower learning rate usually cures it.' : `The learning rate is the likely cause. ${rate}. Lower it and train again.`;
    return [
      `In epoch ${diverged.epoch}, loss was ${progbarValue(diverged.loss)}, far above ${progbarValue(guess)} (ln ${classes}), the loss of a model that gives all ${classes} classes the same probability: training made the model worse than a guess. ${cure}`,
    ];
  }
  const notes: string[] = [];
  const dropout = run.spec.layers.some((layer) => layer.type === 'dropout');
  const shifted = run.spec.fit.augmentShift > 0;
  const validated = run.epochs.filter((e): e is typeof e & { readonly valLoss: number } => e.valLoss !== null && Number.isFinite(e.valLoss) && Number.isFinite(e.loss));
  // A weighted loss is not comparable with val_loss: nothing is said of one below the other then.
  const below = weights.length > 0 ? undefined : validated.find((e) => e.valLoss < e.loss);
  if (below) {
    const how = [...(dropout ? ['with Dropout switching units off'] : []), ...(shifted ? ['on shifted images'] : [])];
    notes.push(
      `In epoch ${below.epoch}, val_loss (${progbarValue(below.valLoss)}) is below loss (${progbarValue(below.loss)}). ${below.epoch <= 2 ? 'That is usual early on, not a bug' : 'Not a bug'}: loss is the mean over the epoch's steps, most of them taken by a model worse than the one it ended with${how.length > 0 ? `, and ${how.join(' and ')}` : ''}; val_loss measures the model once, at the epoch's end${dropout ? ', with every unit on' : ''}.`,
    );
  }
  const lowest = validated.reduce<(typeof validated)[number] | null>((best, e) => (best === null || e.valLoss < best.valLoss ? e : best), null);
  const lastOnes = validated.slice(-OVERFIT_EPOCHS);
  const last = lastOnes.at(-1);
  const risen = lowest !== null && lastOnes.length === OVERFIT_EPOCHS && lastOnes.every((e) => e.epoch > lowest.epoch && e.valLoss > lowest.valLoss * (1 + OVERFIT_RISE));
  if (lowest && last && risen && last.loss < lowest.loss) {
    const watching = run.spec.fit.earlyStopping?.monitor.startsWith('val_') === true;
    const remedies = [...(watching ? [] : ['EarlyStopping (monitor val_loss, restore_best_weights)']), dropout ? 'more Dropout' : 'Dropout', ...(shifted ? [] : ['Random shift']), 'more training images'];
    notes.push(
      `val_loss has risen since epoch ${lowest.epoch} (${progbarValue(lowest.valLoss)} → ${progbarValue(last.valLoss)}) while loss kept falling (${progbarValue(lowest.loss)} → ${progbarValue(last.loss)}): the model is fitting its ${run.trainCount.toLocaleString('en-US')} training images more closely than what they have in common. On images it has not seen its loss grows, as it grows surer of the answers it gets wrong, even where val_accuracy holds. That is overfitting. Fewer epochs, ${remedies.slice(0, -1).join(', ')} or ${remedies.at(-1) ?? ''} help.`,
    );
  }
  return notes;
}

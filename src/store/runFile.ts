/**
 * Saved runs and the run file (`<name>.run.json`): what of a run is kept in this browser, and
 * the one JSON file that carries a run and its trained model to another browser, imported in
 * one pick. Builds the file and reads it back trusting nothing: every field is checked and the
 * first wrong one is named, with the file. Pure: no tfjs, no DOM, no IndexedDB.
 *
 * The run file, version 1:
 *
 *     {
 *       "format": "digit-fashion-playground.run",
 *       "version": 1,
 *       "exportedAt": "2025-01-31T12:00:00.000Z",
 *       "run": {                      // the run's record, as the dashboard shows it
 *         "id", "name", "color", "datasetId", "datasetName", "classNames",
 *         "imageSize": { "height": 28, "width": 28 },
 *         "spec",                     // the model spec (layers, compile, fit), as share links carry it
 *         "status": "finished" | "stopped", "backend", "trainCount", "validationCount",
 *         "batchesPerEpoch", "batches", "epochs", "evaluation", "startedAt", "seconds",
 *         "earlyStop"                 // what EarlyStopping did, or null (absent in older files)
 *       },
 *       "model": { ... },             // model.json exactly as tfjs writes it; its manifest names weights.bin
 *       "weights": "…"                // weights.bin, base64
 *     }
 *
 * The evaluation's typed arrays are written as lists of numbers, and metrics that are not
 * finite (NaN) as null. Saving "model" as model.json and the decoded "weights" as weights.bin
 * beside it gives the two files `tf.loadLayersModel` reads.
 */
import { base64ToBytes, bytesToBase64 } from '../data/base64';
import type { BackendInfo, ClassMetrics, EarlyStopReport, EpochRecord, Evaluation, ModelFiles, RunFailureKind, WeightSpec } from '../training/protocol';
import { MONITORS, type MonitorName } from '../training/spec';
import { describeValue, parseModelSpec, ShareError } from '../training/specUrl';
import type { BatchPoint, Run } from './runsSlice';
import { asClause, messageOf } from '../data/errors';

/** The size of the images a model takes. */
export interface ImageSize {
  readonly height: number;
  readonly width: number;
}

/**
 * A run as this browser saves it and a run file carries it: all of `Run` but what only a live
 * run has. A failed run is kept too, without a model, for its history and what went wrong
 * (`failure`); it is never exported.
 */
export type SavedRun = Omit<Run, 'progress' | 'error' | 'status' | 'restored' | 'backendPreference'> & {
  readonly status: 'finished' | 'stopped' | 'failed';
  readonly imageSize: ImageSize;
  /** Why a failed run failed; null (or absent) for the others. */
  readonly failure?: Run['error'];
};

/** A run file, as read back: the run and its model's files. */
export interface RunFileContents {
  readonly run: SavedRun;
  readonly files: ModelFiles;
}

/** A file that is not a run this playground can import; the message names the file and the problem. */
export class RunFileError extends Error {
  override readonly name = 'RunFileError';
}

export const RUN_FILE_FORMAT = 'digit-fashion-playground.run';
export const RUN_FILE_VERSION = 1;
/** The ending of a run file's name. */
export const RUN_FILE_SUFFIX = '.run.json';

/**
 * A run worth keeping, as it is saved; null for one still training, or stopped before it learnt
 * anything. A failed run is kept with what went wrong: after a reload, that is what it teaches.
 */
export function toSavedRun(run: Run, imageSize: ImageSize): SavedRun | null {
  const { id, name, color, datasetId, datasetName, classNames, spec, backend, trainCount, validationCount, batchesPerEpoch, batches, epochs, evaluation, startedAt, seconds } = run;
  const record = { id, name, color, datasetId, datasetName, classNames, imageSize, spec, backend, trainCount, validationCount, batchesPerEpoch, batches, epochs, evaluation, startedAt, seconds, earlyStop: run.earlyStop ?? null };
  if (run.status === 'failed') return run.error ? { ...record, status: 'failed', failure: run.error } : null;
  if (run.status !== 'finished' && run.status !== 'stopped') return null;
  if (run.epochs.length === 0 && run.evaluation === null) return null;
  // A run whose model went with a restarted worker is kept for its charts and results, without it.
  return { ...record, status: run.status, failure: null, ...(run.modelLost === true ? { modelLost: true } : {}) };
}

/** A saved run back as a run of the dashboard, marked restored. */
export function fromSavedRun(saved: SavedRun): Run {
  const { id, name, color, datasetId, datasetName, classNames, spec, status, backend, trainCount, validationCount, batchesPerEpoch, batches, epochs, evaluation, startedAt, seconds } = saved;
  const earlyStop = saved.earlyStop ?? null;
  const error = saved.failure ?? null;
  const run: Run = { id, name, color, datasetId, datasetName, classNames, spec, status, backend, trainCount, validationCount, batchesPerEpoch, progress: null, batches, epochs, evaluation, error, startedAt, seconds, earlyStop, restored: true };
  return saved.modelLost === true ? { ...run, modelLost: true } : run;
}

/** A file name for a run: its name, without the characters file systems refuse. */
export function runFileName(name: string): string {
  const safe = name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-').trim();
  return `${safe === '' ? 'run' : safe}${RUN_FILE_SUFFIX}`;
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** A run as JSON holds it: typed arrays as lists (JSON.stringify turns NaN into null). */
export function savedRunJson(run: SavedRun): object {
  const { evaluation } = run;
  return {
    ...run,
    evaluation: evaluation && {
      ...evaluation,
      loss: finiteOrNull(evaluation.loss),
      predictions: Array.from(evaluation.predictions),
      sampleIndices: Array.from(evaluation.sampleIndices),
      sampleProbabilities: Array.from(evaluation.sampleProbabilities),
      mistakeIndices: Array.from(evaluation.mistakeIndices),
      mistakeProbabilities: Array.from(evaluation.mistakeProbabilities),
    },
  };
}

/** A run and its model as the JSON value of a run file (typed arrays as lists, NaN as null). */
export function buildRunFile(run: SavedRun, files: ModelFiles, exportedAt: Date): object {
  return {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    exportedAt: exportedAt.toISOString(),
    run: savedRunJson(run),
    model: files.modelJson,
    weights: bytesToBase64(new Uint8Array(files.weightData)),
  };
}

/** The text of a run file. */
export function runFileText(run: SavedRun, files: ModelFiles, exportedAt: Date): string {
  return JSON.stringify(buildRunFile(run, files, exportedAt));
}

// --- Reading: every field, in order; the first wrong one is named. ---

type Fields = Readonly<Record<string, unknown>>;

/** A problem in one field, before the file's name is put in front. */
class FieldError extends Error {}

function invalid(path: string, expected: string, value: unknown): never {
  throw new FieldError(`${path} should be ${expected}, but it is ${describeValue(value)}`);
}

function object(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(path, 'an object', value);
  return value as Fields;
}

function list(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) invalid(path, 'a list', value);
  return value as readonly unknown[];
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') invalid(path, 'text', value);
  return value;
}

function nullableText(value: unknown, path: string): string | null {
  return value === null ? null : text(value, path);
}

function count(value: unknown, path: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) invalid(path, `a whole number of at least ${min}`, value);
  return value;
}

/** A finite number. */
function num(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(path, 'a number', value);
  return value;
}

/** A time: a number of seconds, 0 or more. */
function seconds(value: unknown, path: string): number {
  const time = num(value, path);
  if (time < 0) invalid(path, 'a number of seconds, 0 or more', value);
  return time;
}

/** A metric: a number, or null for one that was not finite (JSON has no NaN). */
function metric(value: unknown, path: string): number {
  return value === null ? Number.NaN : num(value, path);
}

/** A metric that is at least `min` (and at most `max`), or null (NaN) for one that was not finite. */
function bounded(value: unknown, path: string, expected: string, min: number, max = Infinity): number {
  const figure = metric(value, path);
  if (figure < min || figure > max) invalid(path, expected, value);
  return figure;
}

/** An accuracy, precision, recall or f1: from 0 to 1. */
const fraction = (value: unknown, path: string): number => bounded(value, path, 'a fraction from 0 to 1', 0, 1);

/** A cross-entropy loss: 0 or more. */
const loss = (value: unknown, path: string): number => bounded(value, path, 'a loss, 0 or more', 0);

/** A speed, a time still to go or a learning rate: 0 or more. */
const rate = (value: unknown, path: string): number => bounded(value, path, 'a number, 0 or more', 0);

/** `check`'s figure, or null where the field holds null (no validation set, no rate recorded). */
const orNull =
  (check: (value: unknown, path: string) => number) =>
  (value: unknown, path: string): number | null =>
    value === null ? null : check(value, path);

function wholeNumbers(value: unknown, path: string): number[] {
  return list(value, path).map((v, i) => count(v, `${path}[${i}]`));
}

function backendInfo(value: unknown, path: string): BackendInfo | null {
  if (value === null) return null;
  const f = object(value, path);
  if (typeof f.software !== 'boolean') invalid(`${path}.software`, 'true or false', f.software);
  return { name: text(f.name, `${path}.name`), renderer: nullableText(f.renderer, `${path}.renderer`), software: f.software, fallbackReason: nullableText(f.fallbackReason, `${path}.fallbackReason`), autoReason: nullableText(f.autoReason ?? null, `${path}.autoReason`) };
}

function batchPoint(value: unknown, path: string): BatchPoint {
  const f = object(value, path);
  return { x: num(f.x, `${path}.x`), loss: loss(f.loss, `${path}.loss`), accuracy: fraction(f.accuracy, `${path}.accuracy`) };
}

function epochRecord(value: unknown, path: string): EpochRecord {
  const f = object(value, path);
  return {
    epoch: count(f.epoch, `${path}.epoch`, 1),
    epochs: count(f.epochs, `${path}.epochs`, 1),
    loss: loss(f.loss, `${path}.loss`),
    accuracy: fraction(f.accuracy, `${path}.accuracy`),
    valLoss: orNull(loss)(f.valLoss, `${path}.valLoss`),
    valAccuracy: orNull(fraction)(f.valAccuracy, `${path}.valAccuracy`),
    learningRate: orNull(rate)(f.learningRate ?? null, `${path}.learningRate`),
    seconds: seconds(f.seconds, `${path}.seconds`),
    samplesPerSecond: rate(f.samplesPerSecond, `${path}.samplesPerSecond`),
    etaSeconds: rate(f.etaSeconds, `${path}.etaSeconds`),
    tensors: count(f.tensors, `${path}.tensors`),
    bytes: count(f.bytes, `${path}.bytes`),
  };
}

function classMetrics(value: unknown, path: string): ClassMetrics {
  const f = object(value, path);
  return { precision: fraction(f.precision, `${path}.precision`), recall: fraction(f.recall, `${path}.recall`), f1: fraction(f.f1, `${path}.f1`), support: count(f.support, `${path}.support`) };
}

function evaluation(value: unknown, path: string, classCount: number): Evaluation | null {
  if (value === null) return null;
  const f = object(value, path);
  const confusion = list(f.confusion, `${path}.confusion`).map((row, i) => wholeNumbers(row, `${path}.confusion[${i}]`));
  if (confusion.length !== classCount || confusion.some((row) => row.length !== classCount)) {
    throw new FieldError(`${path}.confusion should be ${classCount}×${classCount}, one row and column per class`);
  }
  const evaluated = count(f.count, `${path}.count`);
  const matrixTotal = confusion.flat().reduce((a, b) => a + b, 0);
  if (matrixTotal !== evaluated) throw new FieldError(`${path}.confusion should count the ${evaluated} evaluated test images, but its cells add up to ${matrixTotal}`);
  const perClass = list(f.perClass, `${path}.perClass`).map((c, i) => classMetrics(c, `${path}.perClass[${i}]`));
  if (perClass.length !== classCount) throw new FieldError(`${path}.perClass should have one entry per class (${classCount}), but it has ${perClass.length}`);
  const predictions = classesOf(f.predictions, `${path}.predictions`, classCount);
  if (predictions.length !== evaluated) throw new FieldError(`${path}.predictions should have one class per evaluated test image (${evaluated}), but it has ${predictions.length}`);
  const [sampleIndices, sampleProbabilities] = imagesWithProbabilities(f, path, 'sample', evaluated, classCount);
  const [mistakeIndices, mistakeProbabilities] = imagesWithProbabilities(f, path, 'mistake', evaluated, classCount);
  // The accuracy is the matrix's diagonal over its total, as evaluate() takes it.
  const accuracy = num(f.accuracy, `${path}.accuracy`);
  const correct = confusion.reduce((sum, row, t) => sum + (row[t] ?? 0), 0);
  if (evaluated > 0 && Math.abs(accuracy - correct / evaluated) > 1e-9) {
    throw new FieldError(`${path}.accuracy should be the confusion matrix's ${correct} right of ${evaluated} (${correct / evaluated}), but it is ${describeValue(f.accuracy)}`);
  }
  return {
    loss: loss(f.loss, `${path}.loss`),
    accuracy,
    count: evaluated,
    ...(f.seconds === undefined ? {} : { seconds: seconds(f.seconds, `${path}.seconds`) }),
    confusion,
    perClass,
    predictions,
    sampleIndices,
    sampleProbabilities,
    mistakeIndices,
    mistakeProbabilities,
  };
}

/** Whole numbers that each name a class: from 0 to `classCount` − 1. */
function classesOf(value: unknown, path: string, classCount: number): Int32Array {
  const classes = wholeNumbers(value, path);
  const outside = classes.findIndex((c) => c >= classCount);
  if (outside >= 0) invalid(`${path}[${outside}]`, `a class from 0 to ${classCount - 1}`, classes[outside]);
  return Int32Array.from(classes);
}

/** Test-image indices (below `evaluated`) and their probabilities, `classCount` per image. */
function imagesWithProbabilities(f: Fields, path: string, kind: 'sample' | 'mistake', evaluated: number, classCount: number): [Int32Array, Float32Array] {
  const indices = wholeNumbers(f[`${kind}Indices`], `${path}.${kind}Indices`);
  const outside = indices.findIndex((i) => i >= evaluated);
  if (outside >= 0) invalid(`${path}.${kind}Indices[${outside}]`, `a test image from 0 to ${evaluated - 1}`, indices[outside]);
  // Metrics, as a model's outputs: a model whose last step made its weights NaN answers NaN.
  // Any finite number: pages before 27 Nov 2026 divided a model's raw outputs by their sum, which a linear last layer can leave outside 0-1.
  const probabilities = list(f[`${kind}Probabilities`], `${path}.${kind}Probabilities`).map((v, i) => metric(v, `${path}.${kind}Probabilities[${i}]`));
  if (probabilities.length !== indices.length * classCount) {
    throw new FieldError(`${path}.${kind}Probabilities should hold ${classCount} per image, ${indices.length * classCount} in all, but it has ${probabilities.length}`);
  }
  return [Int32Array.from(indices), Float32Array.from(probabilities)];
}

/** A saved run from untrusted JSON, every field checked. */
export function parseSavedRun(value: unknown, path = 'run', failedAllowed = false): SavedRun {
  const f = object(value, path);
  const classNames = list(f.classNames, `${path}.classNames`).map((c, i) => text(c, `${path}.classNames[${i}]`));
  if (classNames.length < 2) invalid(`${path}.classNames`, 'a list of at least 2 class names', f.classNames);
  const size = object(f.imageSize, `${path}.imageSize`);
  // A failed run is kept in this browser, not exported: a run file's has a model.
  if (f.status !== 'finished' && f.status !== 'stopped' && !(failedAllowed && f.status === 'failed')) {
    invalid(`${path}.status`, failedAllowed ? '"finished", "stopped" or "failed"' : '"finished" or "stopped"', f.status);
  }
  let spec;
  try {
    spec = parseModelSpec(f.spec, `${path}.spec`);
  } catch (error) {
    if (error instanceof ShareError) throw new FieldError(asClause(error.message.replace(/^This share link is invalid: /, '')));
    throw error;
  }
  const id = text(f.id, `${path}.id`);
  if (id === '') invalid(`${path}.id`, 'a run id', id);
  const trainCount = count(f.trainCount, `${path}.trainCount`);
  const batchesPerEpoch = count(f.batchesPerEpoch, `${path}.batchesPerEpoch`);
  if (batchesPerEpoch !== Math.ceil(trainCount / spec.fit.batchSize)) {
    throw new FieldError(`${path}.batchesPerEpoch should be ${Math.ceil(trainCount / spec.fit.batchSize)}, its ${trainCount} training images in batches of ${spec.fit.batchSize}, but it is ${describeValue(f.batchesPerEpoch)}`);
  }
  const epochs = list(f.epochs, `${path}.epochs`).map((e, i) => epochRecord(e, `${path}.epochs[${i}]`));
  const misplaced = epochs.findIndex((e, i) => e.epoch !== i + 1);
  if (misplaced >= 0) invalid(`${path}.epochs[${misplaced}].epoch`, `${misplaced + 1} (the epochs in order, from 1)`, epochs[misplaced]?.epoch);
  return {
    id,
    name: text(f.name, `${path}.name`),
    color: text(f.color, `${path}.color`),
    datasetId: text(f.datasetId, `${path}.datasetId`),
    datasetName: text(f.datasetName, `${path}.datasetName`),
    classNames,
    imageSize: { height: count(size.height, `${path}.imageSize.height`, 1), width: count(size.width, `${path}.imageSize.width`, 1) },
    spec,
    status: f.status,
    backend: backendInfo(f.backend, `${path}.backend`),
    trainCount,
    validationCount: count(f.validationCount, `${path}.validationCount`),
    batchesPerEpoch,
    batches: list(f.batches, `${path}.batches`).map((b, i) => batchPoint(b, `${path}.batches[${i}]`)),
    epochs,
    evaluation: evaluation(f.evaluation, `${path}.evaluation`, classNames.length),
    startedAt: num(f.startedAt, `${path}.startedAt`),
    seconds: f.seconds === null ? null : num(f.seconds, `${path}.seconds`),
    failure: f.status === 'failed' ? failure(f.failure, `${path}.failure`) : null,
    // Runs saved before EarlyStopping have none.
    earlyStop: f.earlyStop === undefined || f.earlyStop === null ? null : earlyStopReport(f.earlyStop, `${path}.earlyStop`, spec.fit.epochs),
    ...(modelLost(f.modelLost, `${path}.modelLost`) ? { modelLost: true } : {}),
  };
}

/** Whether a saved run's model was lost (absent in runs saved with theirs). */
function modelLost(value: unknown, path: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') invalid(path, 'true or false', value);
  return value === true;
}

/** Every kind of failure, so that a kind added to the protocol must be added here too. */
const FAILURE_KINDS = { 'invalid-spec': true, diverged: true, 'out-of-memory': true, 'context-lost': true, error: true } as const satisfies Record<RunFailureKind, true>;

function failure(value: unknown, path: string): NonNullable<Run['error']> {
  const f = object(value, path);
  if (typeof f.kind !== 'string' || !Object.hasOwn(FAILURE_KINDS, f.kind)) invalid(`${path}.kind`, `one of ${Object.keys(FAILURE_KINDS).join(', ')}`, f.kind);
  return { kind: f.kind as RunFailureKind, message: text(f.message, `${path}.message`) };
}

function earlyStopReport(value: unknown, path: string, epochs: number): EarlyStopReport {
  const f = object(value, path);
  if (typeof f.monitor !== 'string' || !Object.hasOwn(MONITORS, f.monitor)) invalid(`${path}.monitor`, `one of ${Object.keys(MONITORS).join(', ')}`, f.monitor);
  if (typeof f.restored !== 'boolean') invalid(`${path}.restored`, 'true or false', f.restored);
  const epoch = (v: unknown, at: string): number => {
    const e = count(v, at, 1);
    if (e > epochs) invalid(at, `an epoch from 1 to ${epochs}`, e);
    return e;
  };
  return {
    monitor: f.monitor as MonitorName,
    patience: count(f.patience, `${path}.patience`),
    stoppedEpoch: f.stoppedEpoch === null ? null : epoch(f.stoppedEpoch, `${path}.stoppedEpoch`),
    ...(f.stoppedAtEnd === true ? { stoppedAtEnd: true } : {}),
    bestEpoch: epoch(f.bestEpoch, `${path}.bestEpoch`),
    best: metric(f.best, `${path}.best`),
    restored: f.restored,
  };
}

const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1 } as const satisfies Record<WeightSpec['dtype'], number>;

function weightSpec(value: unknown, path: string): WeightSpec {
  const f = object(value, path);
  if (f.quantization !== undefined) throw new FieldError(`${path} is quantized, which this playground does not read`);
  if (typeof f.dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, f.dtype)) invalid(`${path}.dtype`, 'float32, int32 or bool', f.dtype);
  return { name: text(f.name, `${path}.name`), shape: wholeNumbers(f.shape, `${path}.shape`), dtype: f.dtype as WeightSpec['dtype'] };
}

function modelJson(value: unknown): ModelFiles['modelJson'] {
  if (value === undefined) throw new FieldError('the model is missing: the file has no "model" (its model.json)');
  const f = object(value, 'model');
  const weightsManifest = list(f.weightsManifest, 'model.weightsManifest').map((group, g) => {
    const path = `model.weightsManifest[${g}]`;
    const entry = object(group, path);
    return { paths: list(entry.paths, `${path}.paths`).map((p, i) => text(p, `${path}.paths[${i}]`)), weights: list(entry.weights, `${path}.weights`).map((w, i) => weightSpec(w, `${path}.weights[${i}]`)) };
  });
  return {
    format: f.format === undefined ? 'layers-model' : text(f.format, 'model.format'),
    generatedBy: f.generatedBy === undefined ? '' : text(f.generatedBy, 'model.generatedBy'),
    convertedBy: f.convertedBy === undefined ? null : nullableText(f.convertedBy, 'model.convertedBy'),
    modelTopology: object(f.modelTopology, 'model.modelTopology'),
    weightsManifest,
  };
}

/** How many bytes of weights.bin a manifest describes. */
export function weightBytes(manifest: ModelFiles['modelJson']['weightsManifest']): number {
  return manifest.reduce((sum, group) => sum + group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[w.dtype], 0), 0);
}

function weights(value: unknown, expected: number): ArrayBuffer {
  if (value === undefined) throw new FieldError('the model\'s weights are missing: the file has no "weights" (its weights.bin)');
  const bytes = base64ToBytes(text(value, 'weights'));
  if (bytes === null) throw new FieldError('the model\'s weights are damaged: "weights" is not base64 text');
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'incomplete' : 'more than the model has';
    throw new FieldError(`the model's weights are ${what}: the model needs ${expected.toLocaleString('en-US')} bytes of weights, the file holds ${bytes.length.toLocaleString('en-US')}`);
  }
  return bytes.buffer as ArrayBuffer;
}

/**
 * Checks that every float32 weight is a finite number: a run that diverged is never exported,
 * so a NaN or an infinity is damage, and a model holding one answers NaN to every drawing.
 * Names the weight, the value's place in it, and its byte in weights.bin.
 */
function finiteWeights(buffer: ArrayBuffer, manifest: ModelFiles['modelJson']['weightsManifest']): void {
  let offset = 0;
  for (const w of manifest.flatMap((group) => group.weights)) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (w.dtype === 'float32') {
      // weights.bin is little-endian, as tfjs writes it; a DataView reads it so on any machine, at any offset.
      const view = new DataView(buffer, offset, size * 4);
      for (let i = 0; i < size; i++) {
        const value = view.getFloat32(i * 4, true);
        if (!Number.isFinite(value)) {
          throw new FieldError(`the model's weights are damaged: value ${i.toLocaleString('en-US')} of "${w.name}" (byte ${(offset + i * 4).toLocaleString('en-US')} of its weights.bin) is ${String(value)}, where a trained model has a finite number`);
        }
      }
    }
    offset += size * DTYPE_BYTES[w.dtype];
  }
}

/** The id of a stored run record, read before (or without) checking the rest of it: undefined when it has none that is a string. */
export function storedRecordId(record: unknown): string | undefined {
  const id: unknown = typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * A record this browser stored in an earlier visit, checked field by field as an imported
 * file is: it may come from an older version of the page (a BatchNormalization layer without
 * its momentum reads as Keras's default) or be damaged. A RunFileError naming the run otherwise.
 */
export function parseStoredRun(record: unknown): SavedRun {
  const fields = typeof record === 'object' && record !== null ? (record as Fields) : {};
  const name = typeof fields.name === 'string' ? `"${fields.name}"` : 'A saved run';
  try {
    return parseSavedRun(JSON.parse(JSON.stringify(savedRunJson(record as SavedRun))), 'run', true);
  } catch (error) {
    const detail = error instanceof FieldError ? error.message : `its record is damaged (${messageOf(error)})`;
    throw new RunFileError(`${name} could not be restored from this browser: ${detail}.`);
  }
}

/** Why `content` is not JSON, where that shows: empty, binary, cut short, or JSON.parse's own words with the position (`error`: what it threw). */
export function notJson(content: string, error: unknown): string {
  if (content.trim() === '') return content === '' ? 'the file is empty' : 'the file holds only white space';
  const head = content.slice(0, 64);
  // Control characters other than white space are not text (a PNG's 1a, a gzip's 1f, any NUL); nor is a first byte that is not UTF-8.
  const binary = head.startsWith('\ufffd') || Array.from({ length: head.length }, (_, i) => head.charCodeAt(i)).some((code) => code < 0x20 && ![0x09, 0x0a, 0x0b, 0x0c, 0x0d].includes(code));
  if (binary) return `it is binary data, not text${head.slice(1, 4) === 'PNG' ? ' (a PNG image)' : ''}`;
  const reason = messageOf(error).replace(/\.$/, '');
  const cut = cutShort(content, reason) ? `: the text stops after ${content.length.toLocaleString('en-US')} characters, so the file may be cut short` : '';
  return `it is not valid JSON (${reason})${cut}`;
}

/**
 * Whether JSON text that did not parse was cut short: it starts as JSON does, and it ends
 * inside a string, an object or an array, unless the parser's words place the fault before its
 * end (V8: "at position 13", Firefox: "at line 1 column 14"; Safari gives no place).
 */
function cutShort(content: string, reason: string): boolean {
  const text = content.trimEnd();
  if (!/^\s*[[{]/.test(text)) return false;
  const position = /at position (\d+)/.exec(reason);
  const lineColumn = /at line (\d+) column (\d+)/.exec(reason);
  const offset = position ? Number(position[1]) : lineColumn ? offsetOf(text, Number(lineColumn[1]), Number(lineColumn[2])) : null;
  return (offset === null || offset >= text.length) && stopsInside(text);
}

/** The 0-based offset of a 1-based line and column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** Whether JSON text ends inside a string, an object or an array: cut short, whatever words the browser's parser has for it. */
function stopsInside(content: string): boolean {
  let open = 0;
  let inString = false;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') open++;
    else if (c === '}' || c === ']') open--;
  }
  return inString || open > 0;
}

/** A run file's text → the run and its model files; a RunFileError naming `fileName` and the problem otherwise. */
export function parseRunFile(content: string, fileName: string): RunFileContents {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new RunFileError(`${fileName} is not a run export: ${notJson(content, error)}.`);
  }
  const top = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
  if (top?.format !== RUN_FILE_FORMAT) {
    const hint = top && 'modelTopology' in top ? ' It looks like a tfjs model.json alone; import the .run.json file that Export made.' : '';
    throw new RunFileError(`${fileName} is not a run export of this playground (it has no "format": "${RUN_FILE_FORMAT}").${hint}`);
  }
  if (top.version !== RUN_FILE_VERSION) {
    throw new RunFileError(`${fileName} is a run export of version ${describeValue(top.version)}; this playground reads version ${RUN_FILE_VERSION}. It may come from a newer version of the page.`);
  }
  try {
    const run = parseSavedRun(top.run);
    // Export refuses such a run, and this browser would not keep one (toSavedRun): a hand-edited file.
    if (run.epochs.length === 0 && run.evaluation === null) throw new FieldError('run.epochs is empty and run.evaluation null: a run stopped before it trained has nothing to show');
    if (run.modelLost === true) throw new FieldError('run.modelLost is true: its model was lost, and a run file carries one');
    const json = modelJson(top.model);
    const weightData = weights(top.weights, weightBytes(json.weightsManifest));
    finiteWeights(weightData, json.weightsManifest);
    return { run, files: { modelJson: json, weightData } };
  } catch (error) {
    if (error instanceof FieldError) throw new RunFileError(`${fileName} cannot be imported: ${error.message}.`);
    throw error;
  }
}

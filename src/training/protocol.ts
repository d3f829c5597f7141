/**
 * The worker's API, typed once: every command the main thread sends and every event the
 * worker streams back. Both sides import these types; nothing else crosses the boundary.
 * Big arrays (images, labels, probabilities) cross by transfer, or are shared where they live
 * in shared memory (`datasetForPage`); never by copy.
 */
import type { KeptReport } from '../data/browserCopy';
import type { Dataset, ImageSet } from '../data/dataset';
import type { BuiltinDatasetId } from '../data/datasets';
import type { DrawingLayout } from '../data/drawing';
import type { DataErrorInfo } from '../data/errors';
import type { FileProgress } from '../data/load';
import type { PicturedLayer } from './layerPicture';
import type { InputShape, ModelSpec, MonitorName } from './spec';

/** Where a dataset comes from: a built-in one under the app's base URL, or a user's files. */
export type DatasetSource =
  | { readonly kind: 'builtin'; readonly id: BuiltinDatasetId; readonly baseUrl: string }
  /**
   * A user's files. The worker gives the dataset an id from its content; `knownNames` names the
   * user datasets the page knows (from runs, or loaded), by id, and `name` names a new one.
   */
  | { readonly kind: 'files'; readonly name: string; readonly knownNames: Readonly<Record<string, string>>; readonly files: readonly File[] };

/** Which tfjs backend to train on; 'auto' lets the worker choose. */
export type BackendPreference = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** The backend a run uses, and on what. */
export interface BackendInfo {
  readonly name: string;
  /** The WebGL renderer string (e.g. a GPU's name, or SwiftShader), null off WebGL. */
  readonly renderer: string | null;
  /** True when the renderer is a software one (SwiftShader, llvmpipe): no GPU is used. */
  readonly software: boolean;
  /** Why the worker is not on the backend the user asked for, if it is not. */
  readonly fallbackReason: string | null;
  /** Why 'Automatic' chose this backend over the first one it tried (e.g. WASM over software WebGL), if it did. */
  readonly autoReason: string | null;
}

/** Keras's progress-bar values: running means over the epoch so far. */
export interface BatchProgress {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly samplesPerSecond: number;
  /**
   * Seconds a step takes at the epoch's pace after its first report (a warm-up, shader
   * compiles on WebGL, left out, as Keras's Progbar leaves out its first step); NaN before a
   * pace is known.
   */
  readonly stepSeconds: number;
  /** Seconds the run has left (fit.ts's `secondsLeft`), time paused left out; NaN at the run's first report, before a pace is known. */
  readonly etaSeconds: number;
}

/**
 * A validation pass (at an epoch's end, `validation_split`) or the test evaluation (after the
 * last epoch, `model.evaluate`) under way: Keras's `fit` shows nothing then, and its
 * `evaluate` a progress bar.
 */
export interface PassProgress {
  readonly pass: 'validation' | 'test';
  /** Images done, of `total`. */
  readonly done: number;
  readonly total: number;
  /** Seconds the run has left, this pass's rest at its pace so far included. */
  readonly etaSeconds: number;
}

/** What EarlyStopping did in a run (see earlyStopping.ts). */
export interface EarlyStopReport {
  readonly monitor: MonitorName;
  readonly patience: number;
  /** The epoch (from 1) after which it stopped training; null when the run trained all its epochs. */
  readonly stoppedEpoch: number | null;
  /** True when its patience ran out at the run's last epoch: nothing was cut short, but Keras (verbose=1) still prints "Epoch N: early stopping". Absent in runs saved before it was kept. */
  readonly stoppedAtEnd?: boolean;
  /** The epoch with the best value of `monitor`, and that value. */
  readonly bestEpoch: number;
  readonly best: number;
  /** True when the model ended with the best epoch's weights (restore_best_weights), which the test evaluation then measured. */
  readonly restored: boolean;
}

/** The first Dense or Conv2D layer's weights, one picture per unit or filter (see layerPicture.ts). */
export interface LayerPictures {
  readonly layer: PicturedLayer;
  /** `layer.count` pictures of `layer.height` × `layer.width` weights, row by row, one after another. */
  readonly values: Float32Array;
}

/** One epoch of `history.history`, with timing. */
export interface EpochRecord {
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  /** The rate this epoch trained at (Keras's `history.history['learning_rate']`; Keras 2: `'lr'`); null in run files from before schedules. */
  readonly learningRate: number | null;
  /** The epoch's time, validation included (as Keras's log line), time paused left out. */
  readonly seconds: number;
  /** Training images a second, the validation pass left out. */
  readonly samplesPerSecond: number;
  /** Seconds the run had left after this epoch (fit.ts's `secondsLeft`). */
  readonly etaSeconds: number;
  /** tf.memory() after the epoch: the leak check. */
  readonly tensors: number;
  readonly bytes: number;
}

/** Per-class precision, recall, F1 and support. */
export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** `model.evaluate` on the test set, plus what the dashboard shows about it. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
  readonly count: number;
  /** The test pass's time, time paused left out (absent in runs saved before it was kept). */
  readonly seconds?: number;
  /** Rows are true classes, columns predicted classes. */
  readonly confusion: readonly (readonly number[])[];
  readonly perClass: readonly ClassMetrics[];
  /** Predicted class of every evaluated test image. */
  readonly predictions: Int32Array;
  /** Softmax probabilities of the sample images, `classCount` per image. */
  readonly sampleIndices: Int32Array;
  readonly sampleProbabilities: Float32Array;
  /** The most confidently wrong test images, most confident first, and their probabilities. */
  readonly mistakeIndices: Int32Array;
  readonly mistakeProbabilities: Float32Array;
}

/** What to classify: a drawing's canvas pixels (preprocessed like MNIST in the worker), or a dataset image as is. */
export type PredictImage =
  | { readonly kind: 'rgba'; readonly rgba: Uint8ClampedArray; readonly width: number; readonly height: number }
  | { readonly kind: 'pixels'; readonly pixels: Float32Array };

/** One weight of a model, as tfjs's model.json lists it in `weightsManifest`. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
}

/**
 * A trained model in tfjs's standard files: `modelJson` is model.json (the Keras topology and
 * a weights manifest naming weights.bin), `weightData` is weights.bin, every weight's bytes in
 * manifest order.
 */
export interface ModelFiles {
  readonly modelJson: {
    readonly format: string;
    readonly generatedBy: string;
    readonly convertedBy: string | null;
    readonly modelTopology: object;
    readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly WeightSpec[] }[];
  };
  readonly weightData: ArrayBuffer;
}

/** A run whose model is saved in this browser's IndexedDB: the worker loads it on first use. */
export interface SavedModelRef {
  readonly runId: string;
  readonly spec: ModelSpec;
  /** The images the model takes (its dataset's). */
  readonly input: InputShape;
}

/** How a run ended badly. */
export type RunFailureKind = 'invalid-spec' | 'diverged' | 'out-of-memory' | 'context-lost' | 'error';

/** Commands from the main thread to the worker. */
export type WorkerCommand =
  | { readonly type: 'loadDataset'; readonly requestId: number; readonly source: DatasetSource }
  /** A dataset the page already holds, handed to a worker started after a crash (copied, not transferred). */
  | { readonly type: 'addDataset'; readonly dataset: Dataset }
  | {
      readonly type: 'train';
      readonly runId: string;
      readonly datasetId: string;
      readonly spec: ModelSpec;
      readonly backend: BackendPreference;
    }
  | { readonly type: 'pause'; readonly runId: string }
  | { readonly type: 'resume'; readonly runId: string }
  | { readonly type: 'stop'; readonly runId: string }
  | {
      readonly type: 'predict';
      readonly requestId: number;
      /** The run whose model classifies; null previews the preprocessing alone. */
      readonly runId: string | null;
      readonly image: PredictImage;
      /** The model's image size (the dataset's). */
      readonly size: { readonly height: number; readonly width: number };
      /** How the model's dataset laid its images out, which a drawing is made to match. */
      readonly layout: DrawingLayout;
    }
  | { readonly type: 'disposeRun'; readonly runId: string }
  /** Runs saved before a reload, so that predicting or exporting with them loads their models. */
  | { readonly type: 'restoreRuns'; readonly runs: readonly SavedModelRef[] }
  /**
   * Deletes saved models that no run record in this browser refers to (their run was deleted
   * while the model was being removed, say), except those saved in the last day: another tab
   * may have saved a model and not yet its record.
   */
  /** `drop`: models of runs deleted in an earlier visit, deleted now whatever their age. */
  | { readonly type: 'pruneSavedModels'; readonly keep: readonly string[]; readonly drop: readonly string[] }
  /** Saves a run's model to IndexedDB; answered by `modelSaved`. */
  | { readonly type: 'saveModel'; readonly runId: string }
  /** Asks for a run's first-layer weights as pictures; answered by `layerPictures`. */
  | { readonly type: 'layerPictures'; readonly requestId: number; readonly runId: string }
  /** Deletes a run's saved model, if it has one. */
  | { readonly type: 'deleteSavedModel'; readonly runId: string }
  /** Asks for a run's model files; answered by `modelExported`. */
  | { readonly type: 'exportModel'; readonly runId: string }
  /** A model from an exported run, to classify with as `runId`; answered by `modelImported`. */
  | { readonly type: 'importModel'; readonly run: SavedModelRef; readonly files: ModelFiles }
  /**
   * Whether built-in datasets are kept in this browser (the worker starts with true). False
   * removes every kept copy and keeps no more; true keeps the built-in datasets loaded since.
   * Answered by `keptDatasets`.
   */
  | { readonly type: 'keepDatasets'; readonly keep: boolean };

/** Events from the worker to the main thread. */
export type WorkerEvent =
  | { readonly type: 'ready' }
  /** The newest figure of each file that moved since the last one (throttled: see `throttleProgress`). */
  | { readonly type: 'datasetProgress'; readonly requestId: number; readonly progress: readonly FileProgress[] }
  /** `fromBrowserCopy`: all four files came from this browser's copy, not the network. */
  | { readonly type: 'datasetLoaded'; readonly requestId: number; readonly dataset: Dataset; readonly seconds: number; readonly fromBrowserCopy: boolean }
  | { readonly type: 'datasetFailed'; readonly requestId: number; readonly error: DataErrorInfo }
  /** What this browser keeps (the next page reads these datasets from disk), after a dataset is kept or `keepDatasets`. */
  | ({ readonly type: 'keptDatasets' } & KeptReport)
  | {
      readonly type: 'runStarted';
      readonly runId: string;
      readonly backend: BackendInfo;
      readonly trainCount: number;
      readonly validationCount: number;
      /** Test images the run is evaluated on after its last epoch. */
      readonly testCount: number;
      readonly batchesPerEpoch: number;
      /** Paused before it started (in the worker, between the page's Pause and this): it waits for Resume. */
      readonly paused: boolean;
    }
  | { readonly type: 'batch'; readonly runId: string; readonly progress: BatchProgress }
  | { readonly type: 'pass'; readonly runId: string; readonly progress: PassProgress }
  | { readonly type: 'epoch'; readonly runId: string; readonly record: EpochRecord }
  | { readonly type: 'paused'; readonly runId: string; readonly paused: boolean }
  | { readonly type: 'evaluation'; readonly runId: string; readonly evaluation: Evaluation }
  | { readonly type: 'runFinished'; readonly runId: string; readonly stopped: boolean; readonly seconds: number; readonly earlyStop: EarlyStopReport | null }
  | { readonly type: 'runFailed'; readonly runId: string; readonly kind: RunFailureKind; readonly message: string }
  /**
   * The worker's backend can no longer run anything (the WASM module aborted, or failed to
   * allocate and may be left half-written): the page replaces the worker, as after a crash.
   */
  | { readonly type: 'backendBroken'; readonly reason: string }
  | {
      readonly type: 'prediction';
      readonly requestId: number;
      readonly runId: string | null;
      /** The image the model received (height × width in [0, 1]); null when there was no ink. */
      readonly input: Float32Array | null;
      /** Softmax probabilities; null when nothing was classified (see `note`). */
      readonly probabilities: Float32Array | null;
      /** Time in the worker: preprocessing and inference. */
      readonly milliseconds: number;
      /** Why there are no probabilities, when there are none. */
      readonly note: string | null;
      /** For a drawing or an image file: how much of the picture its ink spans (its box's longer side, as a share of the picture's side); null otherwise. */
      readonly inkSpan: number | null;
    }
  /** A run's first-layer weights as pictures, or why there are none. */
  | {
      readonly type: 'layerPictures';
      readonly requestId: number;
      readonly runId: string;
      readonly pictures: LayerPictures | null;
      readonly note: string | null;
      /** For a run in training, the epochs trained when these weights were kept (0: as initialised); null for a run that has ended (its final weights). */
      readonly epochsDone: number | null;
    }
  /**
   * Finished runs' models the worker held, not saved in IndexedDB, that went with their
   * backend's memory (a lost WebGL context): the page keeps their records without them.
   */
  | { readonly type: 'modelsLost'; readonly runIds: readonly string[] }
  /** A model saved to IndexedDB, or why it could not be. */
  | { readonly type: 'modelSaved'; readonly runId: string; readonly error: string | null }
  /** A run's model files (weights transferred), or why they could not be made. */
  | { readonly type: 'modelExported'; readonly runId: string; readonly files: ModelFiles | null; readonly error: string | null }
  /** An imported model ready to classify with, or why not, as a phrase that follows "<file> cannot be imported: " (its files do not make a model, or not the model its run describes). */
  | { readonly type: 'modelImported'; readonly runId: string; readonly error: string | null };

export type WorkerCommandType = WorkerCommand['type'];
export type WorkerEventType = WorkerEvent['type'];

/** The event of a given type. */
export type EventOf<T extends WorkerEventType> = Extract<WorkerEvent, { type: T }>;

const isShared = (array: Uint8Array): boolean => typeof SharedArrayBuffer !== 'undefined' && array.buffer instanceof SharedArrayBuffer;

/**
 * The dataset to send the page: the worker's own arrays where they are in shared memory (a
 * cross-origin isolated page), which saves copying MNIST's 55 MB (about 40 ms here); else
 * copies, to be sent by transfer. Neither side writes to a dataset's arrays.
 */
export function datasetForPage(dataset: Dataset): Dataset {
  const { train, test } = dataset;
  if ([train.images, train.labels, test.images, test.labels].every(isShared)) return dataset;
  const copySet = (set: ImageSet): ImageSet => ({ ...set, images: set.images.slice(), labels: set.labels.slice() });
  return { ...dataset, train: copySet(train), test: copySet(test) };
}

/** The buffers of a dataset, for transferring it (arrays in shared memory are shared instead). */
export function datasetTransferables(dataset: Dataset): ArrayBuffer[] {
  const buffers = [dataset.train.images, dataset.train.labels, dataset.test.images, dataset.test.labels].map((a) => a.buffer);
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

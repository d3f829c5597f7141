/**
 * A model is data: the serialisable spec of a Keras-style Sequential model (layers), its
 * `compile` options and its `fit` options. Round-trips through JSON and the URL. Pure types
 * and registries only: building a tf.LayersModel from a spec lives in `buildModel.ts`.
 */

/** Activation functions a layer may use, with the label the UI shows. */
export const ACTIVATIONS = {
  linear: 'linear (none)',
  relu: 'ReLU',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  elu: 'ELU',
  softmax: 'softmax',
} as const satisfies Record<string, string>;
export type Activation = keyof typeof ACTIVATIONS;

export type Padding = 'valid' | 'same';

/** One layer of a Sequential model, with Keras's parameter names in camelCase. */
export type LayerSpec =
  | { readonly type: 'flatten' }
  | { readonly type: 'dense'; readonly units: number; readonly activation: Activation; readonly useBias: boolean }
  | {
      readonly type: 'conv2d';
      readonly filters: number;
      readonly kernelSize: number;
      readonly strides: number;
      readonly padding: Padding;
      readonly activation: Activation;
    }
  /** Pooling: the largest value of each window (MaxPooling2D) or their mean (AveragePooling2D, LeNet's subsampling). */
  | { readonly type: 'maxPooling2d' | 'averagePooling2d'; readonly poolSize: number; readonly strides: number | null; readonly padding: Padding }
  | { readonly type: 'dropout'; readonly rate: number }
  | {
      readonly type: 'batchNormalization';
      /** How much of the moving mean and variance each training step keeps (Keras: 0.99). */
      readonly momentum: number;
    }
  | { readonly type: 'activation'; readonly activation: Activation };

export type LayerType = LayerSpec['type'];

/** A pooling layer's spec, max or average. */
export type PoolingSpec = Extract<LayerSpec, { type: 'maxPooling2d' | 'averagePooling2d' }>;

/** True for the layers that need an image (height, width, channels): convolutions and poolings. */
export function takesImage(type: LayerType): type is 'conv2d' | PoolingSpec['type'] {
  return type === 'conv2d' || type === 'maxPooling2d' || type === 'averagePooling2d';
}

/** Layer types with the class name Keras prints in `model.summary()`. */
export const LAYER_TYPES = {
  flatten: 'Flatten',
  dense: 'Dense',
  conv2d: 'Conv2D',
  maxPooling2d: 'MaxPooling2D',
  averagePooling2d: 'AveragePooling2D',
  dropout: 'Dropout',
  batchNormalization: 'BatchNormalization',
  activation: 'Activation',
} as const satisfies Record<LayerType, string>;

/** Optimizers, as `model.compile(optimizer=...)` names them. */
export const OPTIMIZERS = {
  adam: { label: 'Adam', defaultLearningRate: 0.001 },
  sgd: { label: 'SGD', defaultLearningRate: 0.01 },
  rmsprop: { label: 'RMSprop', defaultLearningRate: 0.001 },
} as const satisfies Record<string, { label: string; defaultLearningRate: number }>;
export type OptimizerName = keyof typeof OPTIMIZERS;

/** How many times an adaptive optimizer's default learning rate is called high (Adam and RMSprop train at 0.001; on the quickstart, 0.02 tested a few points lower, 0.1 far lower). */
const HIGH_RATE = 10;

/** A rate well above what an optimizer usually trains at, in words ("RMSprop usually trains at 0.001 …"); null for a usual one. */
export function highRateWords(compile: { readonly optimizer: OptimizerName; readonly learningRate: number }): string | null {
  const { optimizer, learningRate } = compile;
  if (!Object.hasOwn(OPTIMIZERS, optimizer) || !Number.isFinite(learningRate)) return null;
  const usual = OPTIMIZERS[optimizer].defaultLearningRate;
  // SGD trains well far above its 0.01 default (0.1 is common): only the adaptive optimizers are held to theirs.
  const high = optimizer === 'sgd' ? learningRate > 1 : learningRate > usual * HIGH_RATE;
  if (!high) return null;
  const times = Math.round(learningRate / usual);
  return `${OPTIMIZERS[optimizer].label} usually trains at ${usual} (Keras's default), and ${learningRate} is ${times.toLocaleString('en-US')} times that: steps that large overshoot, so the model often ends less accurate, and at worst its loss climbs far above a guess's and accuracy stays near chance`;
}

/** Losses: sparse takes integer labels, categorical takes one-hot labels. */
export const LOSSES = {
  sparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  categoricalCrossentropy: 'CategoricalCrossentropy',
} as const satisfies Record<string, string>;
export type LossName = keyof typeof LOSSES;

/** `model.compile(...)` options. */
export interface CompileSpec {
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  /** SGD momentum (ignored by the other optimizers). */
  readonly momentum: number;
  readonly loss: LossName;
  /** True when the model outputs logits and the loss must apply softmax itself. */
  readonly fromLogits: boolean;
}

/** `model.fit(...)` options, plus the seed that makes a run reproducible. */
export interface FitSpec {
  readonly epochs: number;
  readonly batchSize: number;
  /** Keras's meaning: the last fraction of the training arrays, taken before shuffling. */
  readonly validationSplit: number;
  /**
   * Keras's `validation_data`: 'test' measures the test set after every epoch, as
   * `validation_data=(x_test, y_test)` does in tutorials that print test figures each epoch;
   * it overrides validationSplit, as in Keras. Null: the split validates, if there is one.
   */
  readonly validationData: 'test' | null;
  readonly shuffle: boolean;
  /** Seeds weight initialisation, dropout and shuffling: a whole number from 0 to MAX_SEED. */
  readonly seed: number;
  /** Random shifts of up to this many pixels during training (0 = off). */
  readonly augmentShift: number;
  /**
   * The learning rate is multiplied by this after every epoch (1 = constant): epoch e (from 0)
   * trains at learningRate · decay^e, as Keras's `LearningRateScheduler(lambda epoch: lr * decay ** epoch)`.
   */
  readonly learningRateDecay: number;
  /** Use only the first N training images (null = all): for quick experiments and tests. */
  readonly trainLimit: number | null;
  /**
   * Keras's `class_weight`: each listed class's training images weigh this much (keyed by the
   * class index) in the loss, as Keras makes them sample weights; unlisted classes weigh 1.
   * Accuracy (one of compile's `metrics`, not `weighted_metrics`), validation and test are
   * unweighted. Null: all weigh 1.
   */
  readonly classWeight: Readonly<Record<string, number>> | null;
  /** Keras's `EarlyStopping` callback, or null for none. */
  readonly earlyStopping: EarlyStoppingSpec | null;
}

/** What EarlyStopping can watch: the epoch's logs, as Keras names them. */
export const MONITORS = {
  val_loss: 'val_loss',
  val_accuracy: 'val_accuracy',
  loss: 'loss',
  accuracy: 'accuracy',
} as const satisfies Record<string, string>;
export type MonitorName = keyof typeof MONITORS;

/**
 * `tf.keras.callbacks.EarlyStopping(monitor, min_delta, patience, restore_best_weights)`:
 * training stops once `monitor` has not improved (a loss fallen, an accuracy risen, each by
 * more than `minDelta`) for `patience` epochs in a row; with `restoreBestWeights` the model
 * ends with the weights of its best epoch, as Keras 3 does, whether it stopped early or not.
 */
export interface EarlyStoppingSpec {
  readonly monitor: MonitorName;
  /** Keras's min_delta: a change of this much or less is no improvement (0: any change is). */
  readonly minDelta: number;
  readonly patience: number;
  readonly restoreBestWeights: boolean;
}

/** Whether `monitor` improves by going down (a loss) rather than up (an accuracy). */
export const lowerIsBetter = (monitor: MonitorName): boolean => monitor === 'val_loss' || monitor === 'loss';

/** What the builder's "Early stopping" tick turns on: the usual tutorial call. */
export const DEFAULT_EARLY_STOPPING: EarlyStoppingSpec = { monitor: 'val_loss', minDelta: 0, patience: 3, restoreBestWeights: true };

/** Keras's BatchNormalization momentum, used when a spec does not name one. */
export const DEFAULT_BATCH_NORM_MOMENTUM = 0.99;

/** A whole model: what to build, how to compile it, how to fit it. */
export interface ModelSpec {
  readonly layers: readonly LayerSpec[];
  readonly compile: CompileSpec;
  readonly fit: FitSpec;
}

/** The input a model is built for: one dataset's image size (always one channel here). */
export interface InputShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/**
 * The most epochs a run may train. Keras sets no limit, but a learner's notebook rarely asks
 * for more than a few hundred, and every epoch adds a row to the history, a line to the log
 * and a point to the curves, all kept in the browser with the run.
 */
export const MAX_EPOCHS = 1000;

/** The largest seed: `tf.keras.utils.set_random_seed` seeds NumPy, which takes 0 to 2³² − 1. */
export const MAX_SEED = 2 ** 32 - 1;

/**
 * Keras's defaults for compile and fit where a tutorial does not say otherwise; where Keras
 * has none of its own (fit's epochs default to 1, the seed to none) a tutorial's usual values.
 */
export const DEFAULT_COMPILE: CompileSpec = {
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0,
  loss: 'sparseCategoricalCrossentropy',
  fromLogits: false,
};

export const DEFAULT_FIT: FitSpec = {
  epochs: 5,
  batchSize: 32,
  validationSplit: 0,
  validationData: null,
  shuffle: true,
  seed: 42,
  augmentShift: 0,
  learningRateDecay: 1,
  trainLimit: null,
  classWeight: null,
  earlyStopping: null,
};

/** `weights` with class `label`'s weight set to `weight` (a weight of 1 is left out); null when no class is weighted. */
export function withClassWeight(weights: FitSpec['classWeight'], label: number, weight: number): FitSpec['classWeight'] {
  const rest = Object.fromEntries(Object.entries(weights ?? {}).filter(([other]) => other !== String(label)));
  const next = weight === 1 ? rest : { ...rest, [String(label)]: weight };
  return Object.keys(next).length === 0 ? null : next;
}

/** The classes class_weight names, in class order, each with its weight. */
export function listedClassWeights(weights: FitSpec['classWeight']): [label: string, weight: number][] {
  return Object.entries(weights ?? {}).sort(([a], [b]) => Number(a) - Number(b));
}

/** The weight of class `label`'s training images: its class_weight entry, or 1. */
export function classWeightOf(fit: Pick<FitSpec, 'classWeight'>, label: number): number {
  return fit.classWeight?.[String(label)] ?? 1;
}

/** Whether fit validates after each epoch: on the test set (validation_data) or on a split of the training images. */
export function validates(fit: Pick<FitSpec, 'validationSplit' | 'validationData'>): boolean {
  return fit.validationData !== null || fit.validationSplit > 0;
}

/** The share of the training images held out for validation: none where the test set validates, as validation_data overrides validation_split in Keras. */
export function heldOutSplit(fit: Pick<FitSpec, 'validationSplit' | 'validationData'>): number {
  return fit.validationData === null ? fit.validationSplit : 0;
}

/** The learning rate epoch `epoch` (from 1) trains at: learningRate · decay^(epoch − 1). */
export function scheduledLearningRate(spec: Pick<ModelSpec, 'compile' | 'fit'>, epoch: number): number {
  return spec.compile.learningRate * spec.fit.learningRateDecay ** (epoch - 1);
}

/**
 * What Keras's `model.summary()` prints, computed from a spec without building anything:
 * each layer's auto name, output shape and parameter count, and the totals. Also validation:
 * every problem a spec has, named by layer as the user sees it, before tfjs ever sees it.
 * Pure: no tfjs, no DOM.
 */
import { splitValidation } from './batches';
import { ACTIVATIONS, highRateWords, LAYER_TYPES, LOSSES, MAX_EPOCHS, MAX_SEED, MONITORS, OPTIMIZERS, type Activation, type InputShape, type LayerSpec, type ModelSpec, takesImage } from './spec';

/** A tensor shape without the batch axis: [h, w, c] for images, [n] for vectors. */
export type Shape = readonly number[];

/** One row of the summary. */
export interface SummaryRow {
  readonly name: string;
  readonly type: string;
  /** With `null` first for the batch, as Keras prints `None`. */
  readonly outputShape: readonly (number | null)[];
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
}

/** `model.summary()` as data. */
export interface ModelSummary {
  readonly inputShape: readonly (number | null)[];
  readonly rows: readonly SummaryRow[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /** float32 weights: 4 bytes each. */
  readonly totalBytes: number;
  /** The first layer that could not be summarised (a layer in error stops the summary there, as it would stop Keras's build); null when every layer is in the rows. */
  readonly stoppedAt: number | null;
}

/** A problem with a spec, and where it is. */
export interface SpecIssue {
  readonly severity: 'error' | 'warning';
  /** Index into `spec.layers`, or null for compile/fit/model-wide issues. */
  readonly layerIndex: number | null;
  /** The spec field at fault (`units`, `kernelSize`, `learningRate`, …), or null. */
  readonly field: string | null;
  readonly message: string;
  /** The one-click repair the message suggests, where there is one: its button's words, and the model it makes. */
  readonly fix?: SpecFix;
}

/** A repair for an issue: `label` says what it does ("Set its units to 10"); `spec` is the model after it. */
export interface SpecFix {
  readonly label: string;
  readonly spec: ModelSpec;
  /** The model-wide field the repair changes, where it is not the issue's own field (the focus goes there after it). */
  readonly field?: string;
}

/** Keras's auto-generated layer names, as a fresh session numbers them. */
const KERAS_NAMES = {
  flatten: 'flatten',
  dense: 'dense',
  conv2d: 'conv2d',
  maxPooling2d: 'max_pooling2d',
  averagePooling2d: 'average_pooling2d',
  dropout: 'dropout',
  batchNormalization: 'batch_normalization',
  activation: 'activation',
} as const satisfies Record<LayerSpec['type'], string>;

/** True when `type` is one of the layer types this app knows (a spec from JSON may hold anything). */
const isKnownType = (type: unknown): type is LayerSpec['type'] => typeof type === 'string' && Object.hasOwn(LAYER_TYPES, type);

/** Layer names as Keras gives them: `dense`, `dense_1`, … counted per type from 0. */
export function layerNames(layers: readonly LayerSpec[]): string[] {
  const seen = new Map<string, number>();
  return layers.map((layer) => {
    const base = isKnownType(layer.type) ? KERAS_NAMES[layer.type] : 'layer';
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

/** The model's input: a flattened vector when the first layer is Dense (as the tutorials reshape), else the image. */
export function modelInputShape(spec: Pick<ModelSpec, 'layers'>, input: InputShape): Shape {
  return spec.layers[0]?.type === 'dense' ? [input.height * input.width * input.channels] : [input.height, input.width, input.channels];
}

/**
 * Spatial output size of a window of `size` sliding with `stride` over `n` cells. 'valid'
 * keeps only windows that fit entirely: floor((n − size) / stride) + 1. 'same' pads the
 * edges so that every stride-th cell starts a window: ceil(n / stride).
 */
export function windowOutput(n: number, size: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - size) / stride) + 1;
}

const product = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);
const isPositiveInteger = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
const isPadding = (p: unknown): boolean => p === 'valid' || p === 'same';
const isActivation = (a: unknown): a is Activation => typeof a === 'string' && Object.hasOwn(ACTIVATIONS, a);
/** Any value as text, for messages about values that may have come from JSON. */
/** A value as a message shows it; an empty number field (NaN) as what it is. */
const text = (value: unknown): string => (typeof value === 'number' && Number.isNaN(value) ? 'an empty field' : String(value));
/** True when `value` is a number with lo ≤ value < hi (false for NaN and non-numbers). */
const isInRange = (value: unknown, lo: number, hi: number): boolean => typeof value === 'number' && value >= lo && value < hi;
/** The layers of a spec that may have come from JSON: an empty list when they are not a list. */
const layersOf = (spec: { readonly layers: unknown }): readonly LayerSpec[] => (Array.isArray(spec.layers) ? (spec.layers as readonly LayerSpec[]) : []);

interface LayerResult {
  readonly shape: Shape;
  readonly params: number;
  readonly nonTrainable: number;
}

/**
 * Output shape and parameters of one layer on `shape`, counted as Keras counts them; null
 * when the layer cannot apply (wrong rank, invalid settings, or an output that has no cells).
 */
function applyLayer(layer: LayerSpec, shape: Shape): LayerResult | null {
  const result = applyUnchecked(layer, shape);
  return result !== null && result.shape.every(isPositiveInteger) ? result : null;
}

function applyUnchecked(layer: LayerSpec, shape: Shape): LayerResult | null {
  switch (layer.type) {
    case 'flatten':
      return { shape: [product(shape)], params: 0, nonTrainable: 0 };
    case 'dense': {
      // A weight from every input to every unit, plus one bias per unit.
      const [inputs] = shape;
      if (shape.length !== 1 || inputs === undefined || !isPositiveInteger(layer.units)) return null;
      return { shape: [layer.units], params: inputs * layer.units + (layer.useBias ? layer.units : 0), nonTrainable: 0 };
    }
    case 'conv2d': {
      // Each filter is a k×k window across all input channels, plus one bias per filter.
      const [h, w, c] = shape;
      const { filters, kernelSize: k, strides, padding } = layer;
      if (shape.length !== 3 || h === undefined || w === undefined || c === undefined) return null;
      if (!isPositiveInteger(filters) || !isPositiveInteger(k) || !isPositiveInteger(strides) || !isPadding(padding)) return null;
      return { shape: [windowOutput(h, k, strides, padding), windowOutput(w, k, strides, padding), filters], params: k * k * c * filters + filters, nonTrainable: 0 };
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const [h, w, c] = shape;
      const stride = layer.strides ?? layer.poolSize;
      if (shape.length !== 3 || h === undefined || w === undefined || c === undefined) return null;
      if (!isPositiveInteger(layer.poolSize) || !isPositiveInteger(stride) || !isPadding(layer.padding)) return null;
      return { shape: [windowOutput(h, layer.poolSize, stride, layer.padding), windowOutput(w, layer.poolSize, stride, layer.padding), c], params: 0, nonTrainable: 0 };
    }
    case 'batchNormalization': {
      // Per channel (the last axis): gamma and beta learn; the moving mean and variance are
      // updated from batch statistics, not by gradients, so Keras lists them as non-trainable.
      const channels = shape.at(-1) ?? 0;
      return { shape, params: 4 * channels, nonTrainable: 2 * channels };
    }
    case 'dropout':
    case 'activation':
      return { shape, params: 0, nonTrainable: 0 };
    default:
      return null;
  }
}

/**
 * The summary Keras prints for this spec. Meant for a valid spec (see `validateSpec`); it
 * never throws on an invalid one, but stops before the first layer that cannot apply (wrong
 * input rank, invalid settings, a shape collapsed to zero) and lists only the layers before it.
 */
export function summarize(spec: Pick<ModelSpec, 'layers'>, input: InputShape): ModelSummary {
  const layers = layersOf(spec);
  const names = layerNames(layers);
  const rows: SummaryRow[] = [];
  let shape = modelInputShape({ layers }, input);
  const inputShape = [null, ...shape];
  for (const [i, layer] of layers.entries()) {
    const result = applyLayer(layer, shape);
    if (result === null || !isKnownType(layer.type)) break;
    shape = result.shape;
    rows.push({
      name: names[i] ?? layer.type,
      type: LAYER_TYPES[layer.type],
      outputShape: [null, ...shape],
      params: result.params,
      trainableParams: result.params - result.nonTrainable,
      nonTrainableParams: result.nonTrainable,
    });
  }
  const totalParams = rows.reduce((sum, row) => sum + row.params, 0);
  const nonTrainableParams = rows.reduce((sum, row) => sum + row.nonTrainableParams, 0);
  const stoppedAt = rows.length < layers.length ? rows.length : null;
  return { inputShape, rows, totalParams, trainableParams: totalParams - nonTrainableParams, nonTrainableParams, totalBytes: totalParams * 4, stoppedAt };
}

/**
 * The rows Keras's `model.summary()` prints before the model's own layers when training shifts
 * images at random: the exported code puts a RandomTranslation layer first (and, for a model
 * that starts with Dense, a Reshape to one vector per image). The playground shifts each batch
 * before the model instead, so these layers are not in its model; neither has parameters.
 */
export function augmentationRows(spec: Pick<ModelSpec, 'layers' | 'fit'>, input: InputShape): SummaryRow[] {
  if (spec.fit.augmentShift <= 0) return [];
  const image = [null, input.height, input.width, input.channels];
  const flat = modelInputShape(spec, input);
  const row = (name: string, type: string, outputShape: readonly (number | null)[]): SummaryRow => ({ name, type, outputShape, params: 0, trainableParams: 0, nonTrainableParams: 0 });
  return [
    row('random_translation', 'RandomTranslation', image),
    ...(flat.length === 1 ? [row('reshape', 'Reshape', [null, ...flat])] : []),
  ];
}

/** A shape as Python prints a tuple: `(None, 28, 28, 32)`, `(None, 128)`; a lone element keeps its comma, `(None,)`. */
export function formatShape(shape: readonly (number | null)[]): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return parts.length === 1 ? `(${parts[0] ?? ''},)` : `(${parts.join(', ')})`;
}

/**
 * The activation the model's output ends with, read backwards from the last layer: an
 * Activation layer's (a linear one is the identity and is skipped), else the last Dense's or
 * Conv2D's. Dropout, Flatten and pooling keep values as they are at inference and are skipped;
 * BatchNormalization rescales its input, so whatever follows it is a linear score. Null when
 * no layer transforms the values at all.
 */
export function outputActivation(layers: readonly LayerSpec[]): Activation | null {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (layer === undefined) continue;
    switch (layer.type) {
      case 'activation':
        if (layer.activation !== 'linear') return layer.activation;
        break;
      case 'dense':
      case 'conv2d':
        return layer.activation;
      case 'batchNormalization':
        return 'linear';
      case 'dropout':
      case 'flatten':
      case 'maxPooling2d':
      case 'averagePooling2d':
        break;
    }
  }
  return null;
}

/**
 * Where a layer of `type` added to the model goes: a Conv2D or a pooling layer before the first
 * Flatten (images are still images there); any other layer before the output layer (the last
 * Dense, with one unit per class, and any Activation layers after it), so that "+ Dropout" on
 * a preset lands between the hidden layers and the output, as in the tutorials; at the end
 * when the model has neither.
 */
export function insertionIndex(layers: readonly LayerSpec[], classCount: number, type: LayerSpec['type']): number {
  const flatten = layers.findIndex((layer) => layer.type === 'flatten');
  if (takesImage(type) && flatten >= 0) return flatten;
  let end = layers.length;
  while (end > 0 && layers[end - 1]?.type === 'activation') end--;
  const output = layers[end - 1];
  return output?.type === 'dense' && output.units === classCount ? end - 1 : layers.length;
}

/**
 * True when the model's last layer is a softmax (Dense or Activation): the case tf.keras
 * recognises and whose loss it computes from the scores that went into the softmax, whatever
 * from_logits says. A layer after the softmax (Dropout, say) hides it, as it does from Keras.
 */
export function endsInSoftmax(layers: readonly LayerSpec[]): boolean {
  const last = layers.at(-1);
  return (last?.type === 'dense' || last?.type === 'activation') && last.activation === 'softmax';
}

/** How a user sees layer `index`: 'Layer 3 (Conv2D)'. */
export function layerLabel(layer: LayerSpec, index: number): string {
  return `Layer ${index + 1} (${isKnownType(layer.type) ? LAYER_TYPES[layer.type] : text(layer.type)})`;
}

type Report = (field: string | null, message: string) => void;

const wholeNumber = (what: string, value: unknown): string => `${what} must be a whole number of at least 1 (got ${text(value)}).`;

/** Errors in a layer's own settings, whatever its input. */
function checkSettings(layer: LayerSpec, error: Report): void {
  switch (layer.type) {
    case 'dense':
      if (!isPositiveInteger(layer.units)) error('units', wholeNumber('units', layer.units));
      if (!isActivation(layer.activation)) error('activation', `unknown activation '${text(layer.activation)}'.`);
      break;
    case 'conv2d':
      if (!isPositiveInteger(layer.filters)) error('filters', wholeNumber('filters', layer.filters));
      if (!isPositiveInteger(layer.kernelSize)) error('kernelSize', wholeNumber('kernel size', layer.kernelSize));
      if (!isPositiveInteger(layer.strides)) error('strides', wholeNumber('strides', layer.strides));
      if (!isPadding(layer.padding)) error('padding', `padding must be 'valid' or 'same' (got '${text(layer.padding)}').`);
      if (!isActivation(layer.activation)) error('activation', `unknown activation '${text(layer.activation)}'.`);
      break;
    case 'maxPooling2d':
    case 'averagePooling2d':
      if (!isPositiveInteger(layer.poolSize)) error('poolSize', wholeNumber('pool size', layer.poolSize));
      if (layer.strides !== null && !isPositiveInteger(layer.strides)) error('strides', wholeNumber('strides', layer.strides));
      if (!isPadding(layer.padding)) error('padding', `padding must be 'valid' or 'same' (got '${text(layer.padding)}').`);
      break;
    case 'dropout':
      if (!isInRange(layer.rate, 0, 1)) error('rate', `rate must be at least 0 and below 1 (got ${text(layer.rate)}).`);
      break;
    case 'activation':
      if (!isActivation(layer.activation)) error('activation', `unknown activation '${text(layer.activation)}'.`);
      break;
    case 'batchNormalization':
      if (!isInRange(layer.momentum, 0, 1)) error('momentum', `momentum must be at least 0 and below 1 (got ${text(layer.momentum)}).`);
      break;
    case 'flatten':
      break;
  }
}

/**
 * Errors in how a layer with valid settings fits its input `shape`; returns its output shape,
 * or null. `afterFlatten`: whether a Flatten layer comes before it (else a flat input is the
 * model's own, since it starts with a Dense layer).
 */
function checkFit(layer: LayerSpec, shape: Shape, afterFlatten: boolean, error: Report): Shape | null {
  const shown = formatShape([null, ...shape]);
  if (layer.type === 'dense' && shape.length !== 1) {
    error(
      null,
      `its input is ${shown}, an image of ${shape.at(-1) ?? 0} channel(s). Keras's Dense would act on each pixel's last axis alone and output ${formatShape([null, ...shape.slice(0, -1), layer.units])}, not one vector per image, so this playground asks for a flat input. Add a Flatten layer before it, which unrolls the ${shape.join('×')} values into one vector of ${product(shape)}.`,
    );
    return null;
  }
  if (takesImage(layer.type) && shape.length !== 3) {
    const type = LAYER_TYPES[layer.type];
    error(
      null,
      afterFlatten
        ? `${type} needs an image (height, width, channels), but its input ${shown} was already flattened. Move it before the Flatten layer (and before any Dense layer).`
        : `${type} needs an image (height, width, channels), but its input ${shown} is flat: a model that starts with a Dense layer takes each image as one flat vector. Move it before the first Dense layer.`,
    );
    return null;
  }
  if ((layer.type === 'conv2d' || layer.type === 'maxPooling2d' || layer.type === 'averagePooling2d') && layer.padding === 'valid') {
    const [h = 0, w = 0] = shape;
    const [size, what, field] = layer.type === 'conv2d' ? [layer.kernelSize, 'kernel', 'kernelSize'] : [layer.poolSize, 'pool', 'poolSize'];
    if (size > h || size > w) {
      error(field, `${what} ${size}×${size} is larger than its ${h}×${w} input. Use a smaller ${what}, 'same' padding, or fewer pooling layers before it.`);
      return null;
    }
  }
  const result = applyUnchecked(layer, shape);
  if (result === null) return null;
  if (!result.shape.every(isPositiveInteger)) {
    error(null, `its output ${formatShape([null, ...result.shape])} has collapsed to zero. Use 'same' padding, smaller kernels or strides, or fewer pooling layers.`);
    return null;
  }
  return result.shape;
}

const softmaxTwice =
  'A softmax comes before the model\'s last layer, and the loss is set to from_logits=True, so softmax is applied twice: the probabilities get squashed towards uniform and the model learns slowly. Untick from_logits, or remove the softmax.';

const softmaxWithLogits =
  'The model ends in softmax, so it outputs probabilities, but the loss is set to from_logits=True, which says it outputs raw scores. tf.keras notices, prints a warning and computes the loss from the scores that went into the softmax, and so does this playground; elsewhere (PyTorch\'s CrossEntropyLoss, for one) softmax would be applied twice and the model would learn slowly. Untick from_logits to say what the model does.';

/** The optimizer's own copies of the weights: Adam keeps two moments, RMSprop one mean square, SGD a velocity with momentum. */
const optimizerSlots = (compile: ModelSpec['compile']): number => (compile.optimizer === 'adam' ? 2 : compile.optimizer === 'rmsprop' ? 1 : compile.momentum > 0 ? 1 : 0);

/** Past this estimate of training memory, the builder warns that the run may not fit on a GPU's share: 1 GiB. */
export const TRAINING_MEMORY_WARNING_BYTES = 2 ** 30;

/**
 * Past this estimate, the builder warns that the run will not fit anywhere a tab trains: 2 GiB.
 * A step holds about twice the estimate at its peak (the new weights and moments beside the
 * old, and tfjs's temporaries), and WebAssembly holds 4 GB. Measured on WASM (Node, tfjs
 * 4.22, the quickstart with a wider Dense under Adam, batch 32): 1.81 GiB by the estimate
 * trains, 2.12 GiB runs out of memory.
 */
export const TRAINING_MEMORY_FAILURE_BYTES = 2 * 2 ** 30;

/** Past this estimate (a peak of some 128 GB), the builder says the run will fail: 64 GiB. */
export const TRAINING_MEMORY_IMPOSSIBLE_BYTES = 64 * 2 ** 30;

/**
 * About how much memory training `spec` takes, in bytes, and the layer that takes the most:
 * float32 weights, their gradients and the optimizer's slots, plus a batch's activations and
 * their gradients. An estimate of the order of magnitude (the engine's own buffers come on
 * top), for a warning before training rather than an out-of-memory error some seconds into it.
 */
export function trainingMemory(spec: ModelSpec, input: InputShape): { readonly bytes: number; readonly layerIndex: number | null } {
  const { rows } = summarize(spec, input);
  const copiesOfWeights = 2 + optimizerSlots(spec.compile);
  let bytes = 0;
  let largest = { bytes: 0, layerIndex: null as number | null };
  for (const [i, row] of rows.entries()) {
    const outputs = row.outputShape.reduce<number>((product, d) => product * (d ?? 1), 1);
    const layerBytes = 4 * (row.params * copiesOfWeights + 2 * spec.fit.batchSize * outputs);
    bytes += layerBytes;
    if (layerBytes > largest.bytes) largest = { bytes: layerBytes, layerIndex: i };
  }
  return { bytes, layerIndex: largest.layerIndex };
}

/** The warning for a model whose training will not fit a tab's memory, by its estimate; null when it will. */
function memoryIssue(spec: ModelSpec, input: InputShape, layers: readonly LayerSpec[]): SpecIssue | null {
  const memory = trainingMemory(spec, input);
  const heaviest = memory.layerIndex === null ? undefined : layers[memory.layerIndex];
  if (memory.bytes <= TRAINING_MEMORY_WARNING_BYTES || !heaviest) return null;
  const gigabytes = memory.bytes / 2 ** 30;
  const size = `Training this model takes about ${gigabytes < 10 ? gigabytes.toFixed(1) : Math.round(gigabytes).toLocaleString('en-US')} GB (its weights, their gradients and the optimizer's copies, and a batch's activations), most of it for ${layerLabel(heaviest, memory.layerIndex ?? 0)}.`;
  const smaller = 'fewer units or filters, a smaller batch, or a pooling layer before it';
  const peak = 'a training step holds about twice this at its peak';
  const message =
    memory.bytes > TRAINING_MEMORY_IMPOSSIBLE_BYTES
      ? `${size} No browser tab gets that much (${peak}, WebAssembly holds 4 GB, and few GPUs hold ${Math.round(gigabytes * 2).toLocaleString('en-US')} GB at all): the run will fail with an out-of-memory error. Use ${smaller}.`
      : memory.bytes > TRAINING_MEMORY_FAILURE_BYTES
        ? `${size} A browser tab does not get that much: ${peak}, WebAssembly holds 4 GB at most, and a GPU gives a page a share of its own. The run will likely fail with an out-of-memory error: use ${smaller}.`
        : `${size} WASM has room for it (WebAssembly holds 4 GB, and ${peak}), but a GPU gives a page only a share of its memory, so on WebGL the run may fail with an out-of-memory error. If it does, choose WASM as the backend, or use ${smaller}.`;
  return { severity: 'warning', layerIndex: memory.layerIndex, field: heaviest.type === 'dense' ? 'units' : heaviest.type === 'conv2d' ? 'filters' : null, message };
}

/** The training-memory warning of a model whose layers fit its input (a share link's, before it is opened), or null. */
export function trainingMemoryWarning(spec: ModelSpec, input: InputShape): string | null {
  return isPositiveInteger(spec.fit.batchSize) ? (memoryIssue(spec, input, layersOf(spec))?.message ?? null) : null;
}

/**
 * Every problem with a spec for this input and class count (and, where given, the dataset's
 * number of training images): errors stop training, warnings explain likely mistakes (notably
 * the from_logits mismatch). Never throws, whatever values the spec's fields hold; once a
 * layer's input shape is unknown, later layers are still checked for their own settings.
 */
export function validateSpec(spec: ModelSpec, input: InputShape, classCount: number, trainImages?: number): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const modelError: Report = (field, message) => {
    issues.push({ severity: 'error', layerIndex: null, field, message });
  };
  const layers = layersOf(spec);
  if (layers.length === 0) modelError(null, `The model has no layers: add at least a Dense layer with ${classCount} units, one per class.`);

  let shape: Shape | null = modelInputShape({ layers }, input);
  for (const [i, layer] of layers.entries()) {
    const label = layerLabel(layer, i);
    const before = issues.length;
    const error: Report = (field, message) => {
      issues.push({ severity: 'error', layerIndex: i, field, message: `${label}: ${message}` });
    };
    if (!isKnownType(layer.type)) {
      error('type', `unknown layer type '${text(layer.type)}'.`);
      shape = null;
      continue;
    }
    checkSettings(layer, error);
    const afterFlatten = layers.slice(0, i).some((earlier) => earlier.type === 'flatten');
    const layerInput = shape;
    shape = issues.length > before || shape === null ? null : checkFit(layer, shape, afterFlatten, error);
    if (layer.type === 'flatten' && layerInput?.length === 1) {
      // Keras accepts it; a tutorial follower who typed Flatten into a model that had one gets two.
      issues.push({
        severity: 'warning',
        layerIndex: i,
        field: null,
        message: `${label}: its input ${formatShape([null, ...layerInput])} is already flat, so this Flatten changes nothing.`,
        fix: { label: 'Remove this Flatten', spec: { ...spec, layers: layers.filter((_, j) => j !== i) } },
      });
    }
  }

  const last = layers.at(-1);
  if (shape !== null && last !== undefined) {
    const outputs = shape.length === 1 ? shape[0] : null;
    if (outputs !== classCount) {
      if (last.type === 'dense') {
        const fixLabel = `Set its units to ${classCount}`;
        issues.push({
          severity: 'error',
          layerIndex: layers.length - 1,
          field: 'units',
          message: `${layerLabel(last, layers.length - 1)}: the model must end with ${classCount} outputs, one per class, but this layer has ${last.units} units. ${fixLabel}.`,
          fix: { label: fixLabel, spec: { ...spec, layers: [...layers.slice(0, -1), { ...last, units: classCount }] } },
        });
      } else {
        // A softmax output, unless the loss is told to expect logits.
        const output: LayerSpec = { type: 'dense', units: classCount, activation: spec.compile.fromLogits ? 'linear' : 'softmax', useBias: true };
        const flat = shape.length === 1;
        const ending = `${flat ? '' : 'Flatten and '}Dense(${classCount})`;
        issues.push({
          severity: 'error',
          layerIndex: null,
          field: null,
          message: `The model must end with ${classCount} outputs, one per class, but it ends with ${formatShape([null, ...shape])}. End it with ${ending}.`,
          fix: { label: `Add ${ending}`, spec: { ...spec, layers: [...layers, ...(flat ? [] : [{ type: 'flatten' } as const]), output] } },
        });
      }
    }
  }

  const { compile, fit } = spec;
  if (shape !== null && isPositiveInteger(fit.batchSize)) {
    const memory = memoryIssue(spec, input, layers);
    if (memory !== null) issues.push(memory);
  }
  if (!(typeof compile.optimizer === 'string' && Object.hasOwn(OPTIMIZERS, compile.optimizer))) {
    modelError('optimizer', `Unknown optimizer '${text(compile.optimizer)}': choose ${Object.keys(OPTIMIZERS).join(', ')}.`);
  }
  if (!(typeof compile.loss === 'string' && Object.hasOwn(LOSSES, compile.loss))) {
    modelError('loss', `Unknown loss '${text(compile.loss)}': choose ${Object.keys(LOSSES).join(', ')}.`);
  }
  if (!isInRange(compile.learningRate, Number.MIN_VALUE, Infinity)) {
    // The field reads 1e-400 as 0: say so, or the message names a value nobody typed.
    const underflow = compile.learningRate === 0 ? ', or a number too small for the browser to tell from 0' : '';
    modelError('learningRate', `The learning rate must be a positive number (got ${text(compile.learningRate)}${underflow}).`);
  } else {
    const high = highRateWords(compile);
    if (high !== null) {
      const usual = OPTIMIZERS[compile.optimizer].defaultLearningRate;
      issues.push({ severity: 'warning', layerIndex: null, field: 'learningRate', message: `${high}.`, fix: { label: `Use ${usual}`, spec: { ...spec, compile: { ...compile, learningRate: usual } } } });
    }
  }
  if (!isInRange(compile.momentum, 0, 1)) {
    modelError('momentum', `Momentum must be at least 0 and below 1 (got ${text(compile.momentum)}).`);
  }
  if (!(isPositiveInteger(fit.epochs) && fit.epochs <= MAX_EPOCHS)) {
    modelError('epochs', `Epochs must be a whole number from 1 to ${MAX_EPOCHS.toLocaleString('en-US')} (got ${text(fit.epochs)}): every epoch adds a row to the history and a point to the curves, kept with the run.`);
  }
  if (!isPositiveInteger(fit.batchSize)) modelError('batchSize', `Batch size must be a whole number of at least 1 (got ${text(fit.batchSize)}).`);
  if (!isInRange(fit.validationSplit, 0, 1)) {
    modelError('validationSplit', `The validation split must be at least 0 and below 1 (got ${text(fit.validationSplit)}).`);
  }
  // Specs from before validationData validate on their split.
  const validationData: unknown = fit.validationData ?? null;
  if (validationData !== null && validationData !== 'test') {
    modelError('validationData', `Unknown validation data '${text(validationData)}': validate on the test set ('test'), or on the validation split (null).`);
  } else if (validationData === 'test' && isInRange(fit.validationSplit, Number.MIN_VALUE, 1)) {
    issues.push({
      severity: 'warning',
      layerIndex: null,
      field: 'validationSplit',
      message: `The test set validates each epoch (validation_data), which overrides the validation split, as in Keras: the split of ${fit.validationSplit} is not used, and every training image trains.`,
      fix: { label: 'Set the split to 0', spec: { ...spec, fit: { ...fit, validationSplit: 0 } } },
    });
  }
  if (fit.trainLimit !== null && !isPositiveInteger(fit.trainLimit)) {
    modelError('trainLimit', `The training subset must be a whole number of images, at least 1 (got ${text(fit.trainLimit)}).`);
  }
  const weights: unknown = fit.classWeight ?? null;
  if (weights !== null) {
    const entries = typeof weights === 'object' && !Array.isArray(weights) ? Object.entries(weights as Record<string, unknown>) : [['?', weights] as const];
    const stray: string[] = [];
    for (const [label, weight] of entries) {
      if (!/^\d+$/.test(label) || Number(label) >= classCount) stray.push(label);
      else if (!(typeof weight === 'number' && isInRange(weight, 0, Infinity))) {
        modelError(`classWeight.${label}`, `The weight of class ${label} must be a number, 0 or more (got ${text(weight)}): 1 weighs its images as usual, 2 twice as much, 0 leaves them out of the loss.`);
      }
    }
    if (stray.length > 0) {
      // Keras gives a weight only to the images of each class it names: a class the data lacks weighs nothing.
      const kept = Object.fromEntries(entries.filter(([label]) => !stray.includes(label))) as Record<string, number>;
      issues.push({
        severity: 'warning',
        layerIndex: null,
        field: null,
        message: `class_weight names class${stray.length === 1 ? '' : 'es'} ${stray.map((label) => text(label)).join(', ')}, which this dataset does not have (its classes are 0 to ${classCount - 1}): Keras ignores ${stray.length === 1 ? 'it' : 'them'}.`,
        fix: { label: `Remove class${stray.length === 1 ? '' : 'es'} ${stray.join(', ')}`, spec: { ...spec, fit: { ...fit, classWeight: Object.keys(kept).length === 0 ? null : kept } } },
      });
    }
  }
  if (!(Number.isInteger(fit.seed) && isInRange(fit.seed, 0, MAX_SEED + 1))) {
    modelError('seed', `The seed must be a whole number from 0 to ${MAX_SEED} (got ${text(fit.seed)}): Keras's set_random_seed passes it to NumPy, which takes no other.`);
  }
  const shortSide = Math.min(input.height, input.width);
  if (!(Number.isInteger(fit.augmentShift) && isInRange(fit.augmentShift, 0, 9))) {
    modelError('augmentShift', `The augmentation shift must be a whole number of pixels from 0 to 8 (got ${text(fit.augmentShift)}).`);
  } else if (fit.augmentShift >= shortSide) {
    // Keras's RandomTranslation also refuses a factor above 1 (the generated Python asks for (shift + 0.5) / side).
    modelError('augmentShift', `A shift of ${fit.augmentShift} pixels can move these ${input.height} × ${input.width} images out of their frame: it must be below ${shortSide} here.`);
  }
  if (trainImages !== undefined && fit.trainLimit !== null && isPositiveInteger(fit.trainLimit) && fit.trainLimit > trainImages) {
    issues.push({
      severity: 'warning',
      layerIndex: null,
      field: 'trainLimit',
      message: `This dataset has ${trainImages.toLocaleString('en-US')} training images, so a subset of ${fit.trainLimit.toLocaleString('en-US')} takes them all, as Keras's x_train[:${fit.trainLimit}] would.`,
      fix: { label: 'Train on all images', spec: { ...spec, fit: { ...fit, trainLimit: null } } },
    });
  }
  if (trainImages !== undefined && validationData === null && isInRange(fit.validationSplit, 0, 1) && (fit.trainLimit === null || isPositiveInteger(fit.trainLimit))) {
    const count = Math.min(trainImages, fit.trainLimit ?? trainImages);
    if (splitValidation(count, fit.validationSplit).trainCount === 0) {
      const images = `${count} training image${count === 1 ? '' : 's'}`;
      // The training subset is to blame only where it, not the dataset, set the count.
      modelError(
        fit.trainLimit === null || fit.trainLimit >= trainImages ? 'validationSplit' : 'trainLimit',
        `A validation split of ${fit.validationSplit} leaves none of the ${images} to train on: Keras's fit trains on the first int(${count} × (1 − ${fit.validationSplit})) = 0. Use more training images or a smaller split.`,
      );
    }
  }
  if (!(isInRange(fit.learningRateDecay, Number.MIN_VALUE, 1) || fit.learningRateDecay === 1)) {
    modelError('learningRateDecay', `The learning-rate decay multiplies the rate after each epoch: it must be above 0 and at most 1, where 1 keeps it constant (got ${text(fit.learningRateDecay)}).`);
  }

  const stopping: unknown = fit.earlyStopping;
  if (stopping !== null && typeof stopping === 'object') {
    const { monitor, patience, minDelta } = stopping as Record<string, unknown>;
    if (!(typeof minDelta === 'number' && isInRange(minDelta, 0, Infinity))) {
      modelError('earlyStoppingMinDelta', `EarlyStopping's min_delta is the least change that counts as an improvement: a number, 0 or more (got ${text(minDelta)}).`);
    }
    if (!(typeof monitor === 'string' && Object.hasOwn(MONITORS, monitor))) {
      modelError('earlyStoppingMonitor', `Unknown quantity for EarlyStopping to monitor, '${text(monitor)}': choose ${Object.keys(MONITORS).join(', ')}.`);
    } else if (monitor.startsWith('val_') && fit.validationSplit === 0 && validationData === null) {
      issues.push({
        severity: 'error',
        layerIndex: null,
        field: 'earlyStoppingMonitor',
        message: `EarlyStopping watches ${monitor}, which only a validation split gives: with none, Keras warns that ${monitor} is not available and never stops.`,
        fix: { label: 'Hold out 10% for validation', spec: { ...spec, fit: { ...fit, validationSplit: 0.1 } }, field: 'validationSplit' },
      });
    }
    if (!(typeof patience === 'number' && Number.isInteger(patience) && patience >= 0)) {
      modelError('earlyStoppingPatience', `EarlyStopping's patience is a whole number of epochs without improvement, 0 or more (got ${text(patience)}).`);
    } else if (isPositiveInteger(fit.epochs) && Math.max(patience, 1) + 1 >= fit.epochs) {
      // The first epoch always improves on nothing; Keras stops no sooner than the epoch after.
      issues.push({
        severity: 'warning',
        layerIndex: null,
        field: 'earlyStoppingPatience',
        message: `With patience ${patience}, EarlyStopping can end a run no sooner than after epoch ${Math.max(patience, 1) + 1}, so it cannot shorten these ${fit.epochs} epochs${(stopping as Record<string, unknown>).restoreBestWeights === true ? ' (it still restores the weights of the best epoch)' : ''}. Train more epochs, or lower the patience.`,
      });
    }
  }

  const activation = outputActivation(layers.filter((layer) => isKnownType(layer.type)));
  const fromLogits: unknown = compile.fromLogits;
  const withLogits = (on: boolean): ModelSpec => ({ ...spec, compile: { ...compile, fromLogits: on } });
  if (activation === 'softmax' && fromLogits === true) {
    const message = endsInSoftmax(layers) ? softmaxWithLogits : softmaxTwice;
    issues.push({ severity: 'warning', layerIndex: null, field: 'fromLogits', message, fix: { label: 'Untick from_logits', spec: withLogits(false) } });
  } else if (activation !== null && activation !== 'softmax' && fromLogits !== true) {
    const ending = activation === 'linear' ? 'raw scores (logits, no activation)' : `the ${isActivation(activation) ? ACTIVATIONS[activation] : text(activation)} activation`;
    issues.push({
      severity: 'warning',
      layerIndex: null,
      field: 'fromLogits',
      message: `The model ends in ${ending}, not softmax, but the loss expects probabilities (from_logits=False): it will treat those scores as probabilities, so the loss is wrong and learning suffers. Tick from_logits, or end the model with softmax.`,
      fix: { label: 'Tick from_logits', spec: withLogits(true) },
    });
  }
  return issues;
}

/** True when a spec has no errors (warnings allowed). */
export function isTrainable(issues: readonly SpecIssue[]): boolean {
  return !issues.some((issue) => issue.severity === 'error');
}

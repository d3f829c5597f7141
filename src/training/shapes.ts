/**
 * What Keras's `model.summary()` prints, computed from a spec without building anything:
 * each layer's auto name, output shape and parameter count, and the totals. Also validation:
 * every problem a spec has, named by layer, before tfjs ever sees it. Pure: no tfjs.
 */
import { LAYER_TYPES, type InputShape, type LayerSpec, type ModelSpec } from './spec';

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
}

/** A problem with a spec, and where it is. */
export interface SpecIssue {
  readonly severity: 'error' | 'warning';
  /** Index into `spec.layers`, or null for compile/fit/model-wide issues. */
  readonly layerIndex: number | null;
  readonly field: string | null;
  readonly message: string;
}

/** Keras's auto-generated layer names, as a fresh session numbers them. */
const KERAS_NAMES = {
  flatten: 'flatten',
  dense: 'dense',
  conv2d: 'conv2d',
  maxPooling2d: 'max_pooling2d',
  dropout: 'dropout',
  batchNormalization: 'batch_normalization',
  activation: 'activation',
} as const satisfies Record<LayerSpec['type'], string>;

/** Layer names as Keras gives them: `dense`, `dense_1`, … per type. */
export function layerNames(layers: readonly LayerSpec[]): string[] {
  const seen = new Map<string, number>();
  return layers.map((layer) => {
    const base = KERAS_NAMES[layer.type];
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

/** The model's input: a flattened vector when the first layer is Dense (as the tutorials reshape), else the image. */
export function modelInputShape(spec: Pick<ModelSpec, 'layers'>, input: InputShape): Shape {
  return spec.layers[0]?.type === 'dense' ? [input.height * input.width * input.channels] : [input.height, input.width, input.channels];
}

/** Spatial output size of a window of `size` sliding with `stride` over `n` cells. */
export function windowOutput(n: number, size: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - size) / stride) + 1;
}

const product = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

interface LayerResult {
  readonly shape: Shape;
  readonly params: number;
  readonly nonTrainable: number;
}

/** Output shape and parameters of one layer on `shape`; null if the layer cannot apply. */
function applyLayer(layer: LayerSpec, shape: Shape): LayerResult | null {
  switch (layer.type) {
    case 'flatten':
      return { shape: [product(shape)], params: 0, nonTrainable: 0 };
    case 'dense': {
      if (shape.length !== 1) return null;
      const inputs = shape[0] ?? 0;
      return { shape: [layer.units], params: inputs * layer.units + (layer.useBias ? layer.units : 0), nonTrainable: 0 };
    }
    case 'conv2d': {
      const [h = 0, w = 0, c = 0] = shape;
      if (shape.length !== 3) return null;
      const oh = windowOutput(h, layer.kernelSize, layer.strides, layer.padding);
      const ow = windowOutput(w, layer.kernelSize, layer.strides, layer.padding);
      return { shape: [oh, ow, layer.filters], params: layer.kernelSize * layer.kernelSize * c * layer.filters + layer.filters, nonTrainable: 0 };
    }
    case 'maxPooling2d': {
      const [h = 0, w = 0, c = 0] = shape;
      if (shape.length !== 3) return null;
      const stride = layer.strides ?? layer.poolSize;
      return {
        shape: [windowOutput(h, layer.poolSize, stride, layer.padding), windowOutput(w, layer.poolSize, stride, layer.padding), c],
        params: 0,
        nonTrainable: 0,
      };
    }
    case 'batchNormalization': {
      const channels = shape.at(-1) ?? 0;
      // gamma and beta learn; the moving mean and variance are updated, not trained.
      return { shape, params: 4 * channels, nonTrainable: 2 * channels };
    }
    case 'dropout':
    case 'activation':
      return { shape, params: 0, nonTrainable: 0 };
  }
}

/**
 * The summary Keras prints for this spec. Assumes a valid spec (see `validateSpec`); on an
 * invalid one it stops at the first layer that cannot apply and lists the layers before it.
 */
export function summarize(spec: Pick<ModelSpec, 'layers'>, input: InputShape): ModelSummary {
  const names = layerNames(spec.layers);
  const rows: SummaryRow[] = [];
  let shape = modelInputShape(spec, input);
  const inputShape = [null, ...shape];
  for (const [i, layer] of spec.layers.entries()) {
    const result = applyLayer(layer, shape);
    if (result === null) break;
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
  return { inputShape, rows, totalParams, trainableParams: totalParams - nonTrainableParams, nonTrainableParams, totalBytes: totalParams * 4 };
}

/** A shape as Python prints a tuple: `(None, 28, 28, 32)`, `(None, 128)`. */
export function formatShape(shape: readonly (number | null)[]): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return parts.length === 1 ? `(${parts[0] ?? ''},)` : `(${parts.join(', ')})`;
}

const isPositiveInteger = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 1;

/** The activation a model's output ends with: the last Dense's, or a trailing Activation's. */
export function outputActivation(layers: readonly LayerSpec[]): string | null {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (!layer) continue;
    if (layer.type === 'activation') return layer.activation;
    if (layer.type === 'dense' || layer.type === 'conv2d') return layer.activation;
  }
  return null;
}

function layerIssues(layer: LayerSpec, index: number, shape: Shape, label: string): { issues: SpecIssue[]; next: Shape | null } {
  const issues: SpecIssue[] = [];
  const error = (field: string | null, message: string): void => {
    issues.push({ severity: 'error', layerIndex: index, field, message: `${label}: ${message}` });
  };
  switch (layer.type) {
    case 'dense':
      if (!isPositiveInteger(layer.units)) error('units', `units must be a whole number of at least 1 (got ${layer.units}).`);
      if (shape.length !== 1) {
        error(null, `Dense needs a flat vector, but its input is ${formatShape([null, ...shape])}. Add a Flatten layer before it.`);
      }
      break;
    case 'conv2d':
      if (!isPositiveInteger(layer.filters)) error('filters', `filters must be a whole number of at least 1 (got ${layer.filters}).`);
      if (!isPositiveInteger(layer.kernelSize)) error('kernelSize', `kernel size must be a whole number of at least 1 (got ${layer.kernelSize}).`);
      if (!isPositiveInteger(layer.strides)) error('strides', `strides must be a whole number of at least 1 (got ${layer.strides}).`);
      if (shape.length !== 3) error(null, 'Conv2D needs an image (height, width, channels), but the input was already flattened. Move it before Flatten/Dense.');
      else if (layer.padding === 'valid' && (layer.kernelSize > (shape[0] ?? 0) || layer.kernelSize > (shape[1] ?? 0))) {
        error('kernelSize', `kernel ${layer.kernelSize}×${layer.kernelSize} is larger than its ${shape[0]}×${shape[1]} input.`);
      }
      break;
    case 'maxPooling2d':
      if (!isPositiveInteger(layer.poolSize)) error('poolSize', `pool size must be a whole number of at least 1 (got ${layer.poolSize}).`);
      if (layer.strides !== null && !isPositiveInteger(layer.strides)) error('strides', `strides must be a whole number of at least 1 (got ${layer.strides}).`);
      if (shape.length !== 3) error(null, 'MaxPooling2D needs an image (height, width, channels), but the input was already flattened.');
      else if (layer.padding === 'valid' && (layer.poolSize > (shape[0] ?? 0) || layer.poolSize > (shape[1] ?? 0))) {
        error('poolSize', `pool ${layer.poolSize}×${layer.poolSize} is larger than its ${shape[0]}×${shape[1]} input.`);
      }
      break;
    case 'dropout':
      if (typeof layer.rate !== 'number' || !(layer.rate >= 0 && layer.rate < 1)) error('rate', `rate must be at least 0 and below 1 (got ${layer.rate}).`);
      break;
    case 'flatten':
    case 'batchNormalization':
    case 'activation':
      break;
  }
  if (issues.length > 0) return { issues, next: null };
  const result = applyLayer(layer, shape);
  if (result === null) return { issues, next: null };
  if (result.shape.some((d) => !(d >= 1))) {
    error(null, `its output ${formatShape([null, ...result.shape])} has collapsed to zero. Use 'same' padding, smaller kernels or fewer pooling layers.`);
    return { issues, next: null };
  }
  return { issues, next: result.shape };
}

/**
 * Every problem with a spec for this input and class count: errors stop training, warnings
 * explain likely mistakes (notably the from_logits mismatch). Never throws.
 */
export function validateSpec(spec: ModelSpec, input: InputShape, classCount: number): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const modelError = (field: string | null, message: string): void => {
    issues.push({ severity: 'error', layerIndex: null, field, message });
  };
  if (spec.layers.length === 0) modelError(null, 'The model has no layers: add at least a Dense layer with one unit per class.');
  let shape: Shape | null = modelInputShape(spec, input);
  for (const [i, layer] of spec.layers.entries()) {
    if (shape === null) break;
    const label = `Layer ${i + 1} (${LAYER_TYPES[layer.type]})`;
    const result = layerIssues(layer, i, shape, label);
    issues.push(...result.issues);
    shape = result.next;
  }
  if (shape !== null && spec.layers.length > 0) {
    const outputs = shape.length === 1 ? shape[0] : null;
    if (outputs !== classCount) {
      modelError(null, `The model must end with ${classCount} outputs, one per class, but it ends with ${formatShape([null, ...shape])}. Make the last Dense layer Dense(${classCount}).`);
    }
  }
  const { compile, fit } = spec;
  if (!(compile.learningRate > 0 && Number.isFinite(compile.learningRate))) modelError('learningRate', `The learning rate must be a positive number (got ${compile.learningRate}).`);
  if (!(compile.momentum >= 0 && compile.momentum < 1)) modelError('momentum', `Momentum must be at least 0 and below 1 (got ${compile.momentum}).`);
  if (!isPositiveInteger(fit.epochs)) modelError('epochs', `Epochs must be a whole number of at least 1 (got ${fit.epochs}).`);
  if (!isPositiveInteger(fit.batchSize)) modelError('batchSize', `Batch size must be a whole number of at least 1 (got ${fit.batchSize}).`);
  if (!(fit.validationSplit >= 0 && fit.validationSplit < 1)) modelError('validationSplit', `The validation split must be at least 0 and below 1 (got ${fit.validationSplit}).`);
  if (fit.trainLimit !== null && !isPositiveInteger(fit.trainLimit)) modelError('trainLimit', `The training subset must be a whole number of images (got ${fit.trainLimit}).`);
  if (!(Number.isInteger(fit.augmentShift) && fit.augmentShift >= 0 && fit.augmentShift <= 8)) modelError('augmentShift', `The augmentation shift must be a whole number of pixels from 0 to 8 (got ${fit.augmentShift}).`);

  const activation = outputActivation(spec.layers);
  if (activation === 'softmax' && compile.fromLogits) {
    issues.push({
      severity: 'warning',
      layerIndex: null,
      field: 'fromLogits',
      message:
        'The model already ends in softmax, but the loss is set to from_logits=True, so softmax is applied twice: the probabilities get squashed towards uniform and the model learns slowly. Untick from_logits, or remove the final softmax.',
    });
  } else if (activation !== null && activation !== 'softmax' && !compile.fromLogits) {
    issues.push({
      severity: 'warning',
      layerIndex: null,
      field: 'fromLogits',
      message: `The model ends in ${activation === 'linear' ? 'raw scores (logits)' : `a ${activation} activation`}, not softmax, but the loss expects probabilities (from_logits=False): it will treat those scores as probabilities. Tick from_logits, or end the model with softmax.`,
    });
  }
  return issues;
}

/** True when a spec has no errors (warnings allowed). */
export function isTrainable(issues: readonly SpecIssue[]): boolean {
  return !issues.some((issue) => issue.severity === 'error');
}

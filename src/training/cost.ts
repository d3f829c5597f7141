/**
 * What training a model costs, before it trains: the multiply-adds of a training step per
 * image, from the layers' shapes (as `model.summary()` computes them), and a time estimate
 * from a run trained on this page: its speed for the same layers, or scaled by the work per
 * image for a model of nearly the same size. Pure: no tfjs, no DOM.
 */
import { splitValidation } from './batches';
import { summarize } from './shapes';
import { heldOutSplit, type FitSpec, type InputShape, type LayerSpec, type ModelSpec } from './spec';

/** Multiply-adds of one layer on one image, from its input and output shapes (no batch axis). */
function layerMultiplyAdds(layer: LayerSpec, input: readonly number[], output: readonly number[]): number {
  const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
  switch (layer.type) {
    case 'dense':
      return size(input) * size(output);
    case 'conv2d':
      // Each output value is a k×k window across every input channel.
      return size(output) * layer.kernelSize * layer.kernelSize * (input[2] ?? 1);
    case 'maxPooling2d':
    case 'averagePooling2d':
      return size(output) * layer.poolSize * layer.poolSize;
    case 'batchNormalization':
      return 2 * size(output);
    case 'dropout':
    case 'activation':
      return size(output);
    case 'flatten':
      return 0;
  }
}

/** Layers with weights: their training step also takes the gradient of those weights. */
const hasWeights = (layer: LayerSpec): boolean => layer.type === 'dense' || layer.type === 'conv2d' || layer.type === 'batchNormalization';

/**
 * Multiply-adds of a training step, per image (a pooling window's comparisons counted alike):
 * each layer's forward pass; for a layer with weights, as much again for their gradient; and
 * for a layer after the first with weights, as much again for its input's gradient (the first
 * one's input, the image, needs none, nor do the layers before it). A Dense MLP's step is then
 * about twice its forward pass, a deeper model's nearer three times. Layers after the first
 * that does not fit are not counted.
 */
export function trainingMultiplyAdds(spec: Pick<ModelSpec, 'layers'>, input: InputShape): number {
  const { inputShape, rows } = summarize(spec, input);
  let shape = inputShape.slice(1).map((d) => d ?? 1);
  let total = 0;
  let backward = false;
  for (const [i, row] of rows.entries()) {
    const layer = spec.layers[i];
    const output = row.outputShape.slice(1).map((d) => d ?? 1);
    if (layer) {
      const forward = layerMultiplyAdds(layer, shape, output);
      total += forward * (1 + (hasWeights(layer) ? 1 : 0) + (backward ? 1 : 0));
      backward ||= hasWeights(layer);
    }
    shape = output;
  }
  return total;
}

/** Whether two models have the same layers on images of the same size: the same work per image. */
export function sameLayers(a: { readonly spec: Pick<ModelSpec, 'layers'>; readonly input: InputShape }, b: { readonly spec: Pick<ModelSpec, 'layers'>; readonly input: InputShape }): boolean {
  return JSON.stringify(a.spec.layers) === JSON.stringify(b.spec.layers) && a.input.height === b.input.height && a.input.width === b.input.width && a.input.channels === b.input.channels;
}

/** How many images an epoch trains on and validates on, as the trainer splits them, and how many of the training set it uses (`count`: the subset). */
export function epochImages(fit: Pick<FitSpec, 'trainLimit' | 'validationSplit' | 'validationData'>, trainAvailable: number, testCount: number): { readonly count: number; readonly trainCount: number; readonly validationCount: number } {
  const count = Math.min(trainAvailable, fit.trainLimit ?? trainAvailable);
  const split = splitValidation(count, heldOutSplit(fit));
  return { count, trainCount: split.trainCount, validationCount: fit.validationData === 'test' ? testCount : split.validationCount };
}

/** A run this browser trained: its model, its images' size, and the samples/s it trained at. */
export interface SpeedReference {
  readonly spec: ModelSpec;
  readonly input: InputShape;
  readonly samplesPerSecond: number;
}

/** How a reference run stands to the model estimated: the same layers and batch size, the same layers at another, or another model. */
export type ReferenceKind = 'same' | 'other batch' | 'scaled';

/** A training time estimate: an epoch's seconds, the whole run's, and how the reference's speed was used. */
export interface TrainingEstimate {
  readonly epochSeconds: number;
  readonly totalSeconds: number;
  readonly kind: ReferenceKind;
  /** Multiply-adds of a training step per image: the model's, and the reference's. */
  readonly work: number;
  readonly referenceWork: number;
}

/**
 * How far apart two models' work per image may be for one's speed to estimate the other's:
 * beyond it, costs other than multiply-adds decide (scaled from the quickstart MLP by README's
 * bench figures, the Fashion CNN's time came out 1.7 times too long on WASM, and our
 * strongest CNN's 9 times on an H100).
 */
export const MAX_WORK_RATIO = 4;

/** How `reference` stands to `spec` on `input`. */
function referenceKind(spec: ModelSpec, input: InputShape, reference: SpeedReference): ReferenceKind {
  if (!sameLayers({ spec, input }, reference)) return 'scaled';
  return spec.fit.batchSize === reference.spec.fit.batchSize ? 'same' : 'other batch';
}

/**
 * About how long `spec` takes to train on `counts` images: at the reference run's speed, for
 * the same layers (at another batch size, a guide only), or scaled by the two models'
 * multiply-adds per training image where they differ, by at most MAX_WORK_RATIO either way
 * (null beyond). A validation or test image costs about a third of a training one (a forward
 * pass). Null too when the reference's speed or the model's work is unknown.
 */
export function estimateTraining(
  spec: ModelSpec,
  input: InputShape,
  counts: { readonly trainCount: number; readonly validationCount: number; readonly testCount: number },
  reference: SpeedReference,
): TrainingEstimate | null {
  const kind = referenceKind(spec, input, reference);
  const work = trainingMultiplyAdds(spec, input);
  const referenceWork = trainingMultiplyAdds(reference.spec, reference.input);
  if (!(reference.samplesPerSecond > 0) || work <= 0 || referenceWork <= 0) return null;
  const ratio = work / referenceWork;
  if (kind === 'scaled' && (ratio > MAX_WORK_RATIO || ratio < 1 / MAX_WORK_RATIO)) return null;
  const samplesPerSecond = kind === 'scaled' ? reference.samplesPerSecond / ratio : reference.samplesPerSecond;
  const epochSeconds = (counts.trainCount + counts.validationCount / 3) / samplesPerSecond;
  return { epochSeconds, totalSeconds: spec.fit.epochs * epochSeconds + counts.testCount / 3 / samplesPerSecond, kind, work, referenceWork };
}

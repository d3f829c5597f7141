/**
 * What training a model costs, before it trains: the multiply-adds of a training step per
 * image, from the layers' shapes (as `model.summary()` computes them), and a time estimate
 * scaled from a run this browser has trained. Pure: no tfjs, no DOM.
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

/**
 * Multiply-adds of a training step, per image: the forward pass, and about twice that again
 * for the gradients (of each layer's weights and of its input), as a rule of thumb for dense
 * and convolutional layers alike. Layers after the first that does not fit are not counted.
 */
export function trainingMultiplyAdds(spec: Pick<ModelSpec, 'layers'>, input: InputShape): number {
  const { inputShape, rows } = summarize(spec, input);
  let shape = inputShape.slice(1).map((d) => d ?? 1);
  let forward = 0;
  for (const [i, row] of rows.entries()) {
    const layer = spec.layers[i];
    const output = row.outputShape.slice(1).map((d) => d ?? 1);
    if (layer) forward += layerMultiplyAdds(layer, shape, output);
    shape = output;
  }
  return 3 * forward;
}

/** How many images an epoch trains on and validates on, as the trainer splits them. */
export function epochImages(fit: Pick<FitSpec, 'trainLimit' | 'validationSplit' | 'validationData'>, trainAvailable: number, testCount: number): { readonly trainCount: number; readonly validationCount: number } {
  const count = Math.min(trainAvailable, fit.trainLimit ?? trainAvailable);
  const split = splitValidation(count, heldOutSplit(fit));
  return { trainCount: split.trainCount, validationCount: fit.validationData === 'test' ? testCount : split.validationCount };
}

/** A run this browser trained: its model, its images' size, and the samples/s it trained at. */
export interface SpeedReference {
  readonly spec: ModelSpec;
  readonly input: InputShape;
  readonly samplesPerSecond: number;
}

/** A training time estimate: an epoch's seconds, the whole run's, and whether the reference was the same model. */
export interface TrainingEstimate {
  readonly epochSeconds: number;
  readonly totalSeconds: number;
  /** True when the reference trained the same layers at the same batch size on the same image size: its speed is taken as it is. */
  readonly sameModel: boolean;
}

/**
 * About how long `spec` takes to train on `counts` images: at the reference run's speed,
 * scaled by the two models' multiply-adds per training image where they differ. A validation
 * or test image costs about a third of a training one (a forward pass). A rough guide: the
 * batch size and the kind of layer change how fast a backend does its multiply-adds (on this
 * project's 2-core VM, WASM: 13 GFLOP/s for the Fashion CNN, 15–21 for the quickstart MLP).
 */
export function estimateTraining(
  spec: ModelSpec,
  input: InputShape,
  counts: { readonly trainCount: number; readonly validationCount: number; readonly testCount: number },
  reference: SpeedReference,
): TrainingEstimate | null {
  const sameModel =
    JSON.stringify(spec.layers) === JSON.stringify(reference.spec.layers) &&
    spec.fit.batchSize === reference.spec.fit.batchSize &&
    input.height === reference.input.height &&
    input.width === reference.input.width &&
    input.channels === reference.input.channels;
  const work = trainingMultiplyAdds(spec, input);
  const referenceWork = trainingMultiplyAdds(reference.spec, reference.input);
  if (!(reference.samplesPerSecond > 0) || work <= 0 || referenceWork <= 0) return null;
  const samplesPerSecond = sameModel ? reference.samplesPerSecond : (reference.samplesPerSecond * referenceWork) / work;
  const epochSeconds = (counts.trainCount + counts.validationCount / 3) / samplesPerSecond;
  return { epochSeconds, totalSeconds: spec.fit.epochs * epochSeconds + counts.testCount / 3 / samplesPerSecond, sameModel };
}

/**
 * Spec → tf.Sequential: Keras's default initialisers (glorot-uniform kernels, zero biases),
 * seeded so the same seed gives the same weights and the same dropout masks, and layers named
 * as Keras names them. Validates first and refuses an invalid spec; does not compile (the
 * training loop owns loss and optimizer). Also the optimizer `compile` names.
 */
import * as tf from '@tensorflow/tfjs';
import { BatchNormalization } from './batchNorm';
import { dropoutMask } from './dropoutMask';
import { FusedRMSProp } from './fusedOptimizers';
import { KerasAdam } from './kerasAdam';
import { KerasSGD } from './kerasSgd';
import { layerNames, modelInputShape, validateSpec, type SpecIssue } from './shapes';
import type { CompileSpec, InputShape, LayerSpec, ModelSpec } from './spec';

/** A spec that cannot be built, with every error it has. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[]) {
    super(issues.map((issue) => issue.message).join(' '));
    this.issues = issues;
  }
}

/** A per-layer seed, so layers of one model do not share initial weights. */
const layerSeed = (seed: number, index: number): number => (seed * 1009 + index * 7919) % 2_147_483_647;

interface SeededDropoutArgs {
  readonly name: string;
  readonly rate: number;
  readonly seed: number;
  readonly inputShape?: number[];
}

/**
 * Keras's Dropout, reproducible from a seed. tfjs's own Dropout, given a seed, draws the
 * same mask on every call, which would silence the same units for the whole run; this one
 * keys call n with (seed, n), so masks differ from batch to batch yet repeat run to run, and
 * draws them where the tensors are (dropoutMask.ts: on the GPU under WebGL).
 * While training it zeroes each value with probability `rate` and scales the survivors by
 * 1 / (1 − rate) so the expected sum is unchanged; at inference it passes values through.
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor({ rate, seed, ...args }: SeededDropoutArgs) {
    super(args);
    this.rate = rate;
    this.seed = seed;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x === undefined) throw new Error('SeededDropout needs one input tensor.');
    if (kwargs['training'] !== true || this.rate === 0) return tf.clone(x);
    const call = this.calls++;
    return tf.tidy(() => tf.mul(x, dropoutMask(x.shape, this.rate, this.seed, call)));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);

function toLayer(layer: LayerSpec, name: string, seed: number, inputShape: number[] | undefined): tf.layers.Layer {
  const first = inputShape === undefined ? {} : { inputShape };
  const kernelInitializer = tf.initializers.glorotUniform({ seed });
  switch (layer.type) {
    case 'flatten':
      return tf.layers.flatten({ name, ...first });
    case 'dense':
      return tf.layers.dense({ name, units: layer.units, activation: layer.activation, useBias: layer.useBias, kernelInitializer, biasInitializer: 'zeros', ...first });
    case 'conv2d':
      return tf.layers.conv2d({
        name,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: layer.padding,
        activation: layer.activation,
        kernelInitializer,
        biasInitializer: 'zeros',
        ...first,
      });
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const options = { name, poolSize: layer.poolSize, strides: layer.strides ?? layer.poolSize, padding: layer.padding, ...first };
      return layer.type === 'maxPooling2d' ? tf.layers.maxPooling2d(options) : tf.layers.averagePooling2d(options);
    }
    case 'dropout':
      return new SeededDropout({ name, rate: layer.rate, seed, ...first });
    case 'batchNormalization':
      return new BatchNormalization({ name, momentum: layer.momentum, epsilon: 1e-3, ...first });
    case 'activation':
      return tf.layers.activation({ name, activation: layer.activation, ...first });
  }
}

/**
 * Builds the model a spec describes for images of `input` and `classCount` classes (and a
 * dataset of `trainImages` training images, where given). Throws SpecError when the spec has
 * errors. The model is not compiled: the training loop owns its loss and optimizer.
 */
export function buildModel(spec: ModelSpec, input: InputShape, classCount: number, trainImages?: number): tf.Sequential {
  const errors = validateSpec(spec, input, classCount, trainImages).filter((issue) => issue.severity === 'error');
  if (errors.length > 0) throw new SpecError(errors);
  const names = layerNames(spec.layers);
  const inputShape = [...modelInputShape(spec, input)];
  const model = tf.sequential({ name: 'sequential' });
  spec.layers.forEach((layer, i) => {
    model.add(toLayer(layer, names[i] ?? `layer_${i}`, layerSeed(spec.fit.seed, i), i === 0 ? inputShape : undefined));
  });
  return model;
}

/** The optimizer `compile` names, with its learning rate (and SGD's momentum). */
export function createOptimizer(compile: CompileSpec): tf.Optimizer {
  switch (compile.optimizer) {
    case 'adam':
      // Keras's betas and epsilon, and Keras's place for epsilon: kerasAdam.ts.
      return new KerasAdam(compile.learningRate);
    case 'sgd':
      // Keras's velocity, not tfjs's accumulated gradients: they differ once a schedule changes the rate.
      return compile.momentum > 0 ? new KerasSGD(compile.learningRate, compile.momentum) : tf.train.sgd(compile.learningRate);
    case 'rmsprop':
      // Keras's RMSprop: rho 0.9, epsilon 1e-7, no momentum. Like Keras 3 (`denominator =
      // ops.add(velocity, self.epsilon)`, then `ops.sqrt(denominator)`), tfjs divides by
      // √(v + ε), not by √v + ε as PyTorch does.
      // FusedRMSProp is tfjs's, each weight's step one kernel where the backend has one.
      return new FusedRMSProp(compile.learningRate, 0.9, 0, 1e-7);
  }
}

/**
 * Changes an optimizer's learning rate between steps, as a Keras schedule does. SGD and
 * KerasSGD keep the rate in a tensor and have a setter for it; Adam and RMSprop read their
 * public `learningRate` field on every step. (`instanceof` cannot tell tfjs's optimizers
 * apart: they count any optimizer as an instance of every optimizer class.)
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const target = optimizer as tf.Optimizer & { learningRate: number; setLearningRate?: (rate: number) => void };
  if (typeof target.setLearningRate === 'function') target.setLearningRate(learningRate);
  else target.learningRate = learningRate;
}

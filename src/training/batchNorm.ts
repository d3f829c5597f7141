/**
 * Keras's BatchNormalization, trained with its gradient written out. tfjs's layer computes a
 * batch's mean and variance with `tf.moments` and normalises with `tf.batchNorm`, and tfjs
 * differentiates both op by op: many reductions and element-wise kernels per layer and step.
 * Here the forward pass and its gradient are one custom-gradient op with four reductions in
 * all. A training step of our strongest preset (four of these layers) took 1.07 s → 0.87 s on
 * WASM (Node, 2-core VM, batch 128), with gradients equal to tfjs's to 1e-7. Everything else
 * (weights, moving averages, inference, config, class name) is tfjs's own layer, so saved
 * models and Keras exports are unchanged. Pure tfjs: no DOM, no `self`.
 */
import * as tf from '@tensorflow/tfjs';

/** A batch normalised in training: the output, and the batch's mean and (biased) variance for the moving averages. */
export interface NormalizedBatch {
  readonly y: tf.Tensor;
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

/**
 * Normalises `x` over all axes but the last (the channels): y = γ·x̂ + β with
 * x̂ = (x − μ)/√(σ² + ε), μ and σ² the batch's mean and biased variance per channel. With M
 * values per channel, the gradients are dβ = Σ dy, dγ = Σ dy·x̂ and
 * dx = γ/√(σ² + ε) · (dy − (dβ + x̂·dγ)/M): the usual closed form, in which μ and σ² depend
 * on x too. The caller owns (and disposes) the mean and variance returned.
 */
export function normalizeBatchInTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): NormalizedBatch {
  const axes = x.shape.slice(0, -1).map((_, axis) => axis);
  const perChannel = x.size / (x.shape[x.rank - 1] ?? 1);
  const stats: { mean?: tf.Tensor1D; variance?: tf.Tensor1D } = {};
  const normalize = tf.customGrad((input, scale, offset, save) => {
    const mean = tf.mean<tf.Tensor1D>(input as tf.Tensor, axes);
    const centered = tf.sub(input as tf.Tensor, mean);
    const variance = tf.mean<tf.Tensor1D>(tf.square(centered), axes);
    stats.mean = tf.keep(mean);
    stats.variance = tf.keep(variance);
    const inverseDeviation = tf.rsqrt(tf.add(variance, epsilon));
    const normalized = tf.mul(centered, inverseDeviation);
    (save as tf.GradSaveFunc)([normalized, inverseDeviation, scale as tf.Tensor]);
    return {
      value: tf.add(tf.mul(normalized, scale as tf.Tensor), offset as tf.Tensor),
      gradFunc: (dy, saved) => {
        const [xHat, inverse, gammaSaved] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, xHat), axes);
        const dx = tf.mul(tf.mul(gammaSaved, inverse), tf.sub(dy, tf.div(tf.add(dBeta, tf.mul(xHat, dGamma)), perChannel)));
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = normalize(x, gamma, beta);
  const { mean, variance } = stats;
  if (!mean || !variance) throw new Error('batch normalisation computed no statistics');
  return { y, mean, variance };
}

type TfjsBatchNormalization = ReturnType<typeof tf.layers.batchNormalization>;
type BatchNormalizationArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** What this file reads of tfjs's layer, private there (its weights and settings once built). */
interface LayerState {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly gamma: tf.LayerVariable | null;
  readonly beta: tf.LayerVariable | null;
  readonly movingMean: tf.LayerVariable;
  readonly movingVariance: tf.LayerVariable;
}

/** tfjs's BatchNormalization class, which tfjs exports only as the type its factory returns. */
const TfjsBatchNormalizationClass = (Object.getPrototypeOf(tf.layers.batchNormalization({ name: 'batch_normalization_class' })) as { constructor: new (args?: BatchNormalizationArgs) => TfjsBatchNormalization }).constructor;

/** moving ← moving − (moving − value)·(1 − momentum), as tfjs's layer updates it. */
function updateMovingAverage(variable: tf.LayerVariable, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const moving = variable.read();
    variable.write(tf.sub(moving, tf.mul(tf.sub(moving, value), 1 - momentum)));
  });
}

/**
 * tfjs's BatchNormalization, trained through `normalizeBatchInTraining` when it normalises the
 * last axis (as every spec of ours does); registered under tfjs's class name, so models loaded
 * from storage get it too.
 */
export class BatchNormalization extends TfjsBatchNormalizationClass {
  static readonly className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const state = this as unknown as LayerState;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = x !== undefined && (state.axis === -1 || state.axis === x.rank - 1);
    if (kwargs['training'] !== true || !lastAxis || !state.gamma || !state.beta) return super.call(inputs, kwargs);
    const { gamma, beta } = state;
    return tf.tidy(() => {
      const { y, mean, variance } = normalizeBatchInTraining(x, gamma.read() as tf.Tensor1D, beta.read() as tf.Tensor1D, state.epsilon);
      updateMovingAverage(state.movingMean, mean, state.momentum);
      updateMovingAverage(state.movingVariance, variance, state.momentum);
      tf.dispose([mean, variance]);
      return y;
    });
  }
}
// tfjs's static fromConfig is inherited; the type this file gave tfjs's class does not show it.
tf.serialization.registerClass(BatchNormalization as unknown as Parameters<typeof tf.serialization.registerClass>[0]);

/**
 * Adam as Keras 3 steps it. Keras adds ε to √v, then scales the step by √(1 − β₂ᵗ) / (1 − β₁ᵗ)
 * (`Adam.update_step`); tfjs's Adam, like PyTorch's, adds ε to the corrected √v̂ = √v / √(1 − β₂ᵗ).
 * The two are the same step when tfjs's ε is Keras's ε / √(1 − β₂ᵗ), which this sets before
 * each step: 32 times Keras's 1e-7 at the first step, close to it after a few thousand.
 *
 * Only weights whose gradients are near ε see the difference (pixels at a digit's border that
 * a first layer rarely sees, early BatchNormalization scales): at the first step a gradient of
 * 1e-7 moves its weight by 0.03 × the rate in Keras, and by 0.5 × the rate in tfjs's own Adam.
 */
import * as tf from '@tensorflow/tfjs';

/** Keras's default epsilon for Adam (tfjs's is 1e-8). */
const KERAS_EPSILON = 1e-7;

export class KerasAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999, KERAS_EPSILON);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    // tfjs counts its steps from 0, Keras's `local_step` from 1: this is Keras's step t.
    const step = this.iterations + 1;
    this.epsilon = KERAS_EPSILON / Math.sqrt(1 - this.beta2 ** step);
    super.applyGradients(variableGradients);
  }

  /** Keras's epsilon, not the one set for the last step. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: KERAS_EPSILON };
  }
}

/**
 * Adam as Keras 3 steps it. Keras adds ε to √v, then scales the step by √(1 − β₂ᵗ) / (1 − β₁ᵗ)
 * (`Adam.update_step`); tfjs's Adam, like PyTorch's, adds ε to the corrected √v̂ = √v / √(1 − β₂ᵗ).
 * The two are the same step when tfjs's ε is Keras's ε / √(1 − β₂ᵗ), which this sets before
 * each step: 32 times Keras's 1e-7 at the first step, close to it after a few thousand.
 *
 * Only weights whose gradients are near ε see the difference (pixels at a digit's border that
 * a first layer rarely sees, early BatchNormalization scales): at the first step a gradient of
 * 1e-7 moves its weight by 0.03 × the rate in Keras, and by 0.5 × the rate in tfjs's own Adam.
 *
 * Where the backend has an ADAM_STEP kernel (WASM: wasmKernels.ts), each weight's step is that
 * one kernel instead of tfjs's 13 element-wise ops, with the same results to the bit
 * (fusedOptimizers.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_STEP, fusedStep, hasFusedStep, type AdamStepAttrs, type SlotKind } from './fusedOptimizers';

/** Keras's default epsilon for Adam (tfjs's is 1e-8). */
const KERAS_EPSILON = 1e-7;

/** The state tfjs's AdamOptimizer keeps in private fields (tfjs 4.22), which a fused step updates as its own step would. */
interface AdamState {
  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
  readonly accumulatedFirstMoment: SlotKind['slots'];
  readonly accumulatedSecondMoment: SlotKind['slots'];
}

export class KerasAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999, KERAS_EPSILON);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    // tfjs counts its steps from 0, Keras's `local_step` from 1: this is Keras's step t.
    const step = this.iterations + 1;
    this.epsilon = KERAS_EPSILON / Math.sqrt(1 - this.beta2 ** step);
    if (!hasFusedStep(ADAM_STEP)) {
      super.applyGradients(variableGradients);
      return;
    }
    // tfjs's AdamOptimizer.applyGradients, each weight's 13 ops one kernel (fusedOptimizers.ts).
    // Its scalars β₁ᵗ and β₂ᵗ are float32: 1 − βᵗ and βᵗ·β are computed here as its kernels
    // compute them (each result rounded to float32), without four more kernels a step. They
    // stay in tfjs's variables (getWeights, setWeights); read from the module's memory, as this
    // path runs only where the fused step does (WASM), which is no wait.
    const state = this as unknown as AdamState;
    const [power1 = 0, power2 = 0] = [state.accBeta1.dataSync()[0], state.accBeta2.dataSync()[0]];
    tf.tidy(() => {
      const attrs: AdamStepAttrs = {
        beta1: this.beta1,
        beta2: this.beta2,
        c1: Math.fround(1 - power1),
        c2: Math.fround(1 - power2),
        epsilon: this.epsilon,
        learningRate: this.learningRate,
      };
      fusedStep(
        variableGradients,
        ADAM_STEP,
        [
          { input: 'm', suffix: 'm', slots: state.accumulatedFirstMoment },
          { input: 'v', suffix: 'v', slots: state.accumulatedSecondMoment },
        ],
        attrs,
      );
      state.accBeta1.assign(tf.scalar(Math.fround(power1 * Math.fround(this.beta1))));
      state.accBeta2.assign(tf.scalar(Math.fround(power2 * Math.fround(this.beta2))));
    });
    this.incrementIterations();
  }

  /** Keras's epsilon, not the one set for the last step. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: KERAS_EPSILON };
  }
}

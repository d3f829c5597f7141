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
 * one kernel instead of tfjs's 13 element-wise ops, with the same results to the bit.
 */
import * as tf from '@tensorflow/tfjs';
import { findKernel } from './kernelComposite';

/** Keras's default epsilon for Adam (tfjs's is 1e-8). */
const KERAS_EPSILON = 1e-7;

/**
 * A backend's kernel for one whole Adam step of one weight: inputs `value`, `gradient`, `m`,
 * `v`; attrs `AdamStepAttrs`; outputs the new value, m and v, computed as tfjs's
 * AdamOptimizer computes them op by op (float32, in the same order). wasmKernels.ts has one.
 */
export const ADAM_STEP = 'PlaygroundAdamStep';

/** An Adam step's numbers: c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ as tfjs holds them (float32). */
export interface AdamStepAttrs {
  readonly beta1: number;
  readonly beta2: number;
  readonly c1: number;
  readonly c2: number;
  readonly epsilon: number;
  readonly learningRate: number;
}

/** The state tfjs's AdamOptimizer keeps in private fields (tfjs 4.22), which a fused step updates as its own step would. */
interface AdamState {
  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
  readonly accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  readonly accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

export class KerasAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999, KERAS_EPSILON);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    // tfjs counts its steps from 0, Keras's `local_step` from 1: this is Keras's step t.
    const step = this.iterations + 1;
    this.epsilon = KERAS_EPSILON / Math.sqrt(1 - this.beta2 ** step);
    if (findKernel(ADAM_STEP, tf.getBackend())) this.fusedStep(variableGradients);
    else super.applyGradients(variableGradients);
  }

  /**
   * tfjs's AdamOptimizer.applyGradients with each weight's 13 element-wise ops as one kernel:
   * the same moments (named and created as tfjs names and creates them, so getWeights,
   * setWeights and dispose work on them), the same values to the bit. On WASM the Fashion
   * CNN's 1152 × 256 kernel took ~2 ms a step in those 13 passes.
   */
  private fusedStep(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    tf.tidy(() => {
      const attrs: AdamStepAttrs = {
        beta1: this.beta1,
        beta2: this.beta2,
        c1: tf.sub(1, state.accBeta1).dataSync()[0] ?? 1,
        c2: tf.sub(1, state.accBeta2).dataSync()[0] ?? 1,
        epsilon: this.epsilon,
        learningRate: this.learningRate,
      };
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const gradient = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
        if (!value) return;
        const moment = (moments: AdamState['accumulatedFirstMoment'], suffix: string): tf.Variable => {
          moments[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
          return moments[i].variable;
        };
        const m = moment(state.accumulatedFirstMoment, 'm');
        const v = moment(state.accumulatedSecondMoment, 'v');
        if (!gradient) return;
        const [newValue, newM, newV] = tf.engine().runKernel<tf.Tensor[]>(ADAM_STEP, { value, gradient, m, v }, { ...attrs });
        if (!newValue || !newM || !newV) throw new Error(`The ${ADAM_STEP} kernel returned fewer than three tensors.`);
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }

  /** Keras's epsilon, not the one set for the last step. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: KERAS_EPSILON };
  }
}

/**
 * Optimizer steps as one kernel per weight, where a backend has one: tfjs's Adam and RMSprop
 * update a weight with 9 to 13 element-wise ops, each a pass over it and a new tensor, which
 * on WASM cost more than the layer's own gradient for a large Dense kernel. A backend's
 * ADAM_STEP or RMSPROP_STEP kernel (wasmKernels.ts) computes the same float32 operations in
 * the same order, so the weights are the same to the bit. The optimizers' state stays where
 * tfjs keeps it, created and named as tfjs creates it, so getWeights, setWeights and dispose
 * are tfjs's own. Pure tfjs: no DOM, no `self`.
 */
import * as tf from '@tensorflow/tfjs';
import { findKernel } from './kernelComposite';

/**
 * One Adam step of one weight. Inputs `value`, `gradient`, `m`, `v`; attrs AdamStepAttrs;
 * outputs the new value, m and v, as tfjs's AdamOptimizer computes them.
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

/**
 * One RMSprop step of one weight, without centring. Inputs `value`, `gradient`, `ms` (the
 * mean square), `mom` (the momentum term); attrs RmspropStepAttrs; outputs the new value, ms
 * and mom, as tfjs's RMSPropOptimizer computes them.
 */
export const RMSPROP_STEP = 'PlaygroundRmspropStep';

export interface RmspropStepAttrs {
  readonly decay: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly learningRate: number;
}

type VariableGradients = Parameters<tf.Optimizer['applyGradients']>[0];

/** A weight's slot of optimizer state as tfjs keeps it: one per weight, by the weight's index in the step. */
type Slots = ({ originalName: string; variable: tf.Variable } | undefined)[];

/** One slot kind: the kernel's input name for it, tfjs's suffix for its name, and the optimizer's list of them. */
export interface SlotKind {
  readonly input: string;
  readonly suffix: string;
  readonly slots: Slots;
}

/** True where the active backend has `kernel`: the optimizers step through it there. */
export const hasFusedStep = (kernel: string): boolean => findKernel(kernel, tf.getBackend()) !== undefined;

/**
 * Steps every weight through `kernel` (inputs: value, gradient, then each slot; outputs: the
 * new value, then each slot's), creating a weight's slots as tfjs does (zeros, not
 * trainable, named `weight/suffix`), before it looks for the weight's gradient, as tfjs does.
 */
export function fusedStep(variableGradients: VariableGradients, kernel: string, kinds: readonly SlotKind[], attrs: object): void {
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  tf.tidy(() => {
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new Error(`${kernel}: no variable is named ${name}.`);
      const slots = kinds.map(({ suffix, slots: list }) => {
        list[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        return list[i].variable;
      });
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
      if (!gradient) return;
      const inputs = Object.fromEntries([['value', value], ['gradient', gradient], ...kinds.map(({ input }, k) => [input, slots[k]])]) as tf.NamedTensorMap;
      const [next, ...nextSlots] = tf.engine().runKernel<tf.Tensor[]>(kernel, inputs, { ...attrs });
      if (!next || nextSlots.length !== slots.length) throw new Error(`The ${kernel} kernel returned ${nextSlots.length + 1} tensors, not ${slots.length + 1}.`);
      slots.forEach((slot, k) => slot.assign(nextSlots[k] as tf.Tensor));
      value.assign(next);
    });
  });
}

/** The state tfjs's RMSPropOptimizer keeps in private fields (tfjs 4.22). */
interface RmspropState {
  readonly centered: boolean;
  readonly accumulatedMeanSquares: Slots;
  readonly accumulatedMoments: Slots;
}

/**
 * tfjs's RMSprop, each weight's step one RMSPROP_STEP kernel where the backend has one (the
 * same bits), tfjs's own step elsewhere and when centred.
 */
export class FusedRMSProp extends tf.RMSPropOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    const state = this as unknown as RmspropState;
    if (state.centered || !hasFusedStep(RMSPROP_STEP)) {
      super.applyGradients(variableGradients);
      return;
    }
    const attrs: RmspropStepAttrs = { decay: this.decay, momentum: this.momentum, epsilon: this.epsilon, learningRate: this.learningRate };
    fusedStep(
      variableGradients,
      RMSPROP_STEP,
      [
        { input: 'ms', suffix: 'rms', slots: state.accumulatedMeanSquares },
        { input: 'mom', suffix: 'momentum', slots: state.accumulatedMoments },
      ],
      attrs,
    );
    this.incrementIterations();
  }
}

/**
 * RMSprop as Keras computes it. tfjs's RMSPropOptimizer divides by √(v + ε); Keras (and
 * PyTorch) divide by √v + ε. With Keras's ε = 1e-7 the difference is not small: tfjs's
 * denominator never drops below √1e-7 ≈ 3.2e-4, so a weight whose gradients are about 1e-4
 * moved about three times less than in Keras, and one at 1e-5 thirty times less.
 *
 * Keras 3 (`keras/src/optimizers/rmsprop.py`), with its defaults rho 0.9, momentum 0,
 * centered False:
 *   v ← rho·v + (1 − rho)·g²
 *   w ← w − rate·g / (√v + ε)
 */
import * as tf from '@tensorflow/tfjs';

/** A named tensor as the optimizers' weights list them (tfjs exports the type from tfjs-core only). */
type NamedTensor = Parameters<tf.Optimizer['setWeights']>[0][number];

export class KerasRmsprop extends tf.Optimizer {
  /** Named apart from tfjs's 'RMSProp': a saved optimizer of that name would be read back as tfjs's. */
  static get className(): string {
    return 'KerasRMSprop';
  }

  /** One mean square per variable, in the order the gradients first came. */
  private meanSquares: { readonly originalName: string; readonly variable: tf.Variable }[] = [];

  constructor(
    public learningRate: number,
    private readonly rho = 0.9,
    private readonly epsilon = 1e-7,
  ) {
    super();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    named.forEach(({ name, tensor: gradient }, i) => {
      const value = tf.engine().registeredVariables[name];
      if (value === undefined) return;
      const meanSquare = (this.meanSquares[i] ??= { originalName: `${name}/rms`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) }).variable;
      tf.tidy(() => {
        const next = tf.add(tf.mul(meanSquare, this.rho), tf.mul(tf.square(gradient), 1 - this.rho));
        meanSquare.assign(next);
        value.assign(tf.sub(value, tf.div(tf.mul(gradient, this.learningRate), tf.add(tf.sqrt(next), this.epsilon))));
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    super.dispose();
    tf.dispose(this.meanSquares.map(({ variable }) => variable));
    this.meanSquares = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations(), ...this.meanSquares.map(({ originalName, variable }) => ({ name: originalName, tensor: variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    tf.dispose(this.meanSquares.map(({ variable }) => variable));
    this.meanSquares = rest.map(({ name, tensor }) => ({ originalName: name, variable: tensor.variable(false) }));
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }
}

/**
 * SGD with momentum as Keras computes it: a velocity per weight, v ← m·v − rate·g, then
 * w ← w + v (Keras 3's `SGD.update_step`, without Nesterov).
 *
 * tfjs's own momentum optimizer keeps an accumulation of raw gradients, a ← m·a + g, and steps
 * by −rate·a. At a fixed rate the two are the same, but when a schedule changes the rate, tfjs
 * rescales every past gradient to the new one, where Keras's velocity keeps each past step at
 * the rate it was taken with.
 */
import * as tf from '@tensorflow/tfjs';

export class KerasSGD extends tf.Optimizer {
  /** The name `getClassName()` reports. */
  static readonly className = 'KerasSGD';

  private rate: number;
  private negativeRate: tf.Scalar;
  private readonly momentumScalar: tf.Scalar;
  private readonly velocities = new Map<string, tf.Variable>();

  constructor(
    learningRate: number,
    readonly momentum: number,
  ) {
    super();
    this.rate = learningRate;
    this.negativeRate = tf.keep(tf.scalar(-learningRate));
    this.momentumScalar = tf.keep(tf.scalar(momentum));
  }

  get learningRate(): number {
    return this.rate;
  }

  /** The rate of the steps from now on; the velocity keeps the past ones as they were taken. */
  setLearningRate(learningRate: number): void {
    if (learningRate === this.rate) return;
    this.negativeRate.dispose();
    this.rate = learningRate;
    this.negativeRate = tf.keep(tf.scalar(-learningRate));
  }

  override applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const gradients = Array.isArray(variableGradients) ? variableGradients.map(({ name, tensor }) => [name, tensor] as const) : Object.entries(variableGradients);
    for (const [name, gradient] of gradients) {
      // `minimize` with a variable list passes no gradient for a variable the loss does not reach: it stays, as in tfjs's own optimizers.
      if ((gradient as tf.Tensor | undefined) === undefined) continue;
      const weight = tf.engine().registeredVariables[name];
      if (weight === undefined) throw new Error(`KerasSGD: no variable is named ${name}.`);
      let velocity = this.velocities.get(name);
      if (velocity === undefined) {
        velocity = tf.tidy(() => tf.variable(tf.zerosLike(weight), false));
        this.velocities.set(name, velocity);
      }
      const v = velocity;
      tf.tidy(() => {
        const next = tf.add(tf.mul(this.momentumScalar, v), tf.mul(this.negativeRate, gradient));
        v.assign(next);
        weight.assign(tf.add(weight, next));
      });
    }
    this.incrementIterations();
  }

  override dispose(): void {
    this.negativeRate.dispose();
    this.momentumScalar.dispose();
    for (const velocity of this.velocities.values()) velocity.dispose();
    this.velocities.clear();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.rate, momentum: this.momentum };
  }
}

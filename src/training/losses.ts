/**
 * Cross-entropy as Keras computes it, for integer labels (sparse) or one-hot labels
 * (categorical), on logits or on probabilities, and accuracy. tfjs only; no DOM.
 *
 * Cross-entropy is −Σ y·log p: the negative log of the probability the model gave the true
 * class. With `from_logits`, the model's outputs are raw scores and log p comes from a stable
 * log-softmax (scores minus their log-sum-exp). Without it, the outputs are taken to be
 * probabilities already: like Keras, we renormalise them to sum to 1 and clip them to
 * [ε, 1 − ε] with ε = 1e-7 so log never sees 0. A softmax model trained with from_logits=True
 * gets softmax applied twice; a logits model trained without it has its scores clipped as if
 * they were probabilities: the two beginner bugs the spec validator warns about.
 */
import * as tf from '@tensorflow/tfjs';
import type { CompileSpec } from './spec';

/** Keras's backend epsilon. */
export const EPSILON = 1e-7;

/** log p for each class, from the model's output. */
export function logProbabilities(output: tf.Tensor, fromLogits: boolean): tf.Tensor {
  return tf.tidy(() => {
    if (fromLogits) return tf.logSoftmax(output);
    const normalised = output.div(output.sum(-1, true));
    return normalised.clipByValue(EPSILON, 1 - EPSILON).log();
  });
}

/** Softmax probabilities from the model's output (itself when the model ends in softmax). */
export function probabilities(output: tf.Tensor, fromLogits: boolean): tf.Tensor {
  return tf.tidy(() => (fromLogits ? tf.softmax(output) : output.div(output.sum(-1, true))));
}

/**
 * The per-example loss for `compile`: `labels` are int32 class indices of shape [batch]
 * (what our datasets hold), or, for the categorical loss only, one-hot rows of shape
 * [batch, classes]. Class indices given to the categorical loss are one-hot encoded here,
 * as the tutorials' `to_categorical(y_train)` does before `fit`: both losses then compute
 * the same number, −log p(true class).
 */
export function crossEntropyPerExample(compile: Pick<CompileSpec, 'loss' | 'fromLogits'>, labels: tf.Tensor, output: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = output.shape[output.shape.length - 1] ?? 1;
    const oneHotRows = compile.loss === 'categoricalCrossentropy' && labels.rank === 2;
    const target = oneHotRows ? labels.toFloat() : tf.oneHot(labels.toInt(), classes);
    return logProbabilities(output, compile.fromLogits).mul(target).sum(-1).neg() as tf.Tensor1D;
  });
}

/** The mean loss over the batch, as `model.compile(loss=...)` reports it. */
export function crossEntropy(compile: Pick<CompileSpec, 'loss' | 'fromLogits'>, labels: tf.Tensor, output: tf.Tensor): tf.Scalar {
  return tf.tidy(() => crossEntropyPerExample(compile, labels, output).mean());
}

/** How many rows' highest output is the true (sparse) label. */
export function correctCount(sparseLabels: tf.Tensor, output: tf.Tensor): tf.Scalar {
  return tf.tidy(() => output.argMax(-1).equal(sparseLabels.toInt()).sum());
}

/**
 * Cross-entropy and accuracy as tf.keras (on TensorFlow) computes them in `fit` and
 * `evaluate`, for integer labels (sparse) or one-hot labels (categorical), and the scores they
 * are computed from. tfjs only; no DOM.
 *
 * Cross-entropy is −Σ y·log p: the negative log of the probability the model gave the true
 * class. How log p is found depends on what the model outputs:
 * - A model that ends in softmax: Keras takes the scores that went into the softmax (the
 *   logits) and uses a stable log-softmax, whatever `from_logits` says (with from_logits=True
 *   it also prints a warning). So do we: no clipping, no softmax applied twice.
 * - Other outputs with `from_logits`: the outputs are the logits; log-softmax of them.
 * - Other outputs without it: the outputs are taken to be probabilities. The sparse loss
 *   clips them to [ε, 1 − ε] (ε = 1e-7, so log never sees 0) and renormalises them to sum to
 *   1; the categorical loss renormalises first, then clips. Either way the loss is wrong for
 *   scores that are not probabilities: the beginner bug the spec validator warns about.
 * Accuracy is Keras's: the class with the highest output is the prediction.
 * Logits against class indices take one kernel, and one for the gradient, where the backend
 * has them (fusedLoss.ts: WASM), the same numbers to a float32 rounding or two.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedCorrectCount, fusedCrossEntropy } from './fusedLoss';
import type { CompileSpec } from './spec';

/** Keras's backend epsilon. */
export const EPSILON = 1e-7;

/** What the loss reads: the logits, or outputs taken to be probabilities, `[batch, classes]`. */
export interface ModelScores {
  readonly kind: 'logits' | 'probabilities';
  readonly values: tf.Tensor;
}

type LossSpec = Pick<CompileSpec, 'loss' | 'fromLogits'>;

/** A Dense or Activation layer whose activation is softmax: the model's last layer, as `endsInSoftmax` in shapes.ts reads a spec. */
function isSoftmaxLayer(layer: tf.layers.Layer): boolean {
  const name = layer.getClassName();
  return (name === 'Dense' || name === 'Activation') && layer.getConfig()['activation'] === 'softmax';
}

/** Dense's x·kernel + bias, without its activation. */
function denseLogits(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const weight = (suffix: string): tf.Tensor | undefined => layer.weights.find((w) => w.originalName.endsWith(suffix))?.read();
  const kernel = weight('/kernel');
  if (kernel === undefined) throw new Error(`layer ${layer.name} has no kernel`);
  return tf.fused.matMul({ a: x, b: kernel, bias: weight('/bias') });
}

/** Rows run through the model at a time outside training, as `model.predict`'s default batch size. */
export const PREDICT_BATCH = 32;

/**
 * Runs `model` on `x` (in training mode or not) and returns what the loss reads: for a model
 * that ends in softmax, the logits that went into it, computed by the same layers and
 * weights (so gradients reach them); otherwise the model's output, read as `from_logits` says.
 * Outside training it runs PREDICT_BATCH rows at a time, as `model.predict` does: a layer's
 * activations for hundreds of images at once would take hundreds of megabytes.
 */
export function modelScores(model: tf.LayersModel, x: tf.Tensor, fromLogits: boolean, training = false): ModelScores {
  const last = model.layers.at(-1);
  const softmaxEnd = last !== undefined && isSoftmaxLayer(last);
  const forward = (rows: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      if (last === undefined || !softmaxEnd) return model.apply(rows, { training }) as tf.Tensor;
      let hidden = rows;
      // A functional model (one imported from elsewhere) lists its InputLayer, which passes the input on.
      for (const layer of model.layers.slice(0, -1)) if (layer.getClassName() !== 'InputLayer') hidden = layer.apply(hidden, { training }) as tf.Tensor;
      return last.getClassName() === 'Dense' ? denseLogits(last, hidden) : hidden;
    });
  const [count] = x.shape;
  let values: tf.Tensor;
  if (training || count <= PREDICT_BATCH) {
    values = forward(x);
  } else {
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < count; start += PREDICT_BATCH) {
      const rows = x.slice(start, Math.min(PREDICT_BATCH, count - start));
      parts.push(forward(rows));
      rows.dispose();
    }
    values = tf.concat(parts);
    tf.dispose(parts);
  }
  return { kind: softmaxEnd || fromLogits ? 'logits' : 'probabilities', values };
}

/** log p for each class. */
export function logProbabilities(scores: ModelScores, loss: LossSpec['loss']): tf.Tensor {
  return tf.tidy(() => {
    const { kind, values } = scores;
    if (kind === 'logits') return tf.logSoftmax(values);
    if (loss === 'sparseCategoricalCrossentropy') return tf.logSoftmax(values.clipByValue(EPSILON, 1 - EPSILON).log());
    return values.div(values.sum(-1, true)).clipByValue(EPSILON, 1 - EPSILON).log();
  });
}

/** The probabilities the loss sees: softmax of logits, or the outputs as the loss adjusts them. */
export function probabilities(scores: ModelScores, loss: LossSpec['loss']): tf.Tensor {
  return tf.tidy(() => (scores.kind === 'logits' ? tf.softmax(scores.values) : logProbabilities(scores, loss).exp()));
}

/**
 * The per-example loss for `compile`: `labels` are int32 class indices of shape [batch]
 * (what our datasets hold), or, for the categorical loss only, one-hot rows of shape
 * [batch, classes]. Class indices given to the categorical loss are one-hot encoded here,
 * as the tutorials' `to_categorical(y_train)` does before `fit`: both losses then compute
 * the same number, −log p(true class).
 */
export function crossEntropyPerExample(compile: LossSpec, labels: tf.Tensor, scores: ModelScores): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = scores.values.shape[scores.values.shape.length - 1] ?? 1;
    const oneHotRows = compile.loss === 'categoricalCrossentropy' && labels.rank === 2;
    // Logits against class indices: one kernel where the backend has it (fusedLoss.ts), the same number.
    const fused = scores.kind === 'logits' && !oneHotRows ? fusedCrossEntropy(scores.values, labels) : null;
    if (fused !== null) return fused;
    const target = oneHotRows ? labels.toFloat() : tf.oneHot(labels.toInt(), classes);
    return logProbabilities(scores, compile.loss).mul(target).sum(-1).neg() as tf.Tensor1D;
  });
}

/** The mean loss over the batch, as `model.compile(loss=...)` reports it. */
export function crossEntropy(compile: LossSpec, labels: tf.Tensor, scores: ModelScores): tf.Scalar {
  return tf.tidy(() => crossEntropyPerExample(compile, labels, scores).mean());
}

/** Each row's predicted class: its highest score, as Keras's accuracy takes the highest output. */
export function predictedClasses(scores: ModelScores): tf.Tensor1D {
  return scores.values.argMax(-1);
}

/** How many rows' predicted class is the true (sparse) label. */
export function correctCount(sparseLabels: tf.Tensor, scores: ModelScores): tf.Scalar {
  return fusedCorrectCount(scores.values, sparseLabels) ?? tf.tidy(() => predictedClasses(scores).equal(sparseLabels.toInt()).sum());
}

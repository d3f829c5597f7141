/**
 * Cross-entropy from logits with class-index labels as one kernel, and its gradient as one
 * more, where a backend has them (wasmKernels.ts): tfjs's log-softmax, one-hot, product, sum
 * and negation, and their gradients, are about 25 kernels a training step, each a dispatch
 * that costs more than its work on a [batch, 10] tensor. So is the batch's count of right
 * answers, five kernels (argMax, casts, equal, sum) as one. Elsewhere these are composed as
 * before. Pure tfjs: no DOM, no `self`.
 */
import * as tf from '@tensorflow/tfjs';
import { findKernel } from './kernelComposite';

/** −log softmax(logits)[label] for each row. Inputs `logits` [batch, classes] float32, `labels` [batch] int32; output [batch] float32. */
export const SOFTMAX_CROSS_ENTROPY = 'PlaygroundSoftmaxCrossEntropy';
/** Its gradient: dy[b] · (softmax(logits)[b, c] − [c = labels[b]]). Inputs `dy`, `logits`, `labels`. */
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'PlaygroundSoftmaxCrossEntropyGrad';

tf.registerGradient({
  kernelName: SOFTMAX_CROSS_ENTROPY,
  inputsToSave: ['logits', 'labels'],
  gradFunc: (dy, saved) => {
    const [logits, labels] = saved as [tf.Tensor, tf.Tensor];
    return {
      logits: () => tf.engine().runKernel<tf.Tensor>(SOFTMAX_CROSS_ENTROPY_GRAD, { dy: dy as tf.Tensor, logits, labels }),
      // Class indices: nothing to differentiate.
      labels: () => tf.zerosLike(labels),
    };
  },
});

/**
 * Whether these kernels take `scores` and `labels`: float32 rows of class scores and one label
 * per row, on a backend that has `kernel`. Others (rows and labels that differ in number, say)
 * are composed, and tfjs's ops say what is wrong.
 */
function takes(kernel: string, scores: tf.Tensor, labels: tf.Tensor): boolean {
  return scores.rank === 2 && scores.dtype === 'float32' && labels.rank === 1 && labels.shape[0] === scores.shape[0] && findKernel(kernel, tf.getBackend()) !== undefined;
}

/** The per-example cross-entropy of logits against class indices as one kernel, or null where it does not take them (`takes`). */
export function fusedCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor1D | null {
  if (!takes(SOFTMAX_CROSS_ENTROPY, logits, labels)) return null;
  return tf.tidy(() => tf.engine().runKernel<tf.Tensor1D>(SOFTMAX_CROSS_ENTROPY, { logits, labels: labels.dtype === 'int32' ? labels : labels.toInt() }));
}

/**
 * How many rows' highest score (the first of equals, as argMax takes it; a row whose first
 * score is NaN answers 0, as there) is the row's label. Inputs `scores` [batch, classes]
 * float32, `labels` [batch] int32; output an int32 scalar.
 */
export const CORRECT_COUNT = 'PlaygroundCorrectCount';

/** The count of right answers as one kernel, or null where it does not take them (`takes`, and int32 labels). */
export function fusedCorrectCount(scores: tf.Tensor, labels: tf.Tensor): tf.Scalar | null {
  if (labels.dtype !== 'int32' || !takes(CORRECT_COUNT, scores, labels)) return null;
  return tf.engine().runKernel<tf.Scalar>(CORRECT_COUNT, { scores, labels });
}

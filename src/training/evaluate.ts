/**
 * `model.evaluate` and `model.predict` with softmax: test loss and accuracy, the confusion
 * matrix and per-class metrics, the probabilities of a fixed sample of test images and of
 * the most confidently wrong ones, and a single image's probabilities for the drawing pad.
 * Batched, in inference mode, every tensor disposed. Touches neither the DOM nor `self`.
 */
import * as tf from '@tensorflow/tfjs';
import { PASS_BATCH_SIZE, toModelInput, type PassStep, type TrainingData } from './fit';
import { crossEntropyPerExample, modelScores, predictedClasses, probabilities } from './losses';
import { confusionMatrix, mostConfidentMistakes, perClassMetrics } from './metrics';
import type { Evaluation } from './protocol';
import type { CompileSpec } from './spec';

/** How many test images the prediction grid shows, and how many mistakes. */
export const SAMPLE_COUNT = 48;
export const MISTAKE_COUNT = 48;

function pick(all: Float32Array, indices: readonly number[], classCount: number): Float32Array {
  const out = new Float32Array(indices.length * classCount);
  indices.forEach((index, i) => out.set(all.subarray(index * classCount, (index + 1) * classCount), i * classCount));
  return out;
}

/** Evaluates `model` on all of `data` (the test set). `labels` are the same labels, on the CPU. `step` follows each chunk (see fit.ts's `passStep`). */
export async function evaluateModel(
  model: tf.LayersModel,
  data: TrainingData,
  compile: Pick<CompileSpec, 'loss' | 'fromLogits'>,
  labels: Uint8Array,
  batchSize = PASS_BATCH_SIZE,
  step?: PassStep,
): Promise<Evaluation> {
  const { count, classCount } = data;
  const probs = new Float32Array(count * classCount);
  const predictions = new Int32Array(count);
  let lossSum = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const [p, predicted, loss] = tf.tidy((): [tf.Tensor, tf.Tensor, tf.Tensor] => {
      const x = data.x.slice([start, 0, 0, 0], [size, -1, -1, -1]);
      const y = data.y.slice([start], [size]);
      const scores = modelScores(model, toModelInput(model, x), compile.fromLogits);
      return [probabilities(scores, compile.loss), predictedClasses(scores), crossEntropyPerExample(compile, y, scores).sum()];
    });
    const [pValues, predictedValues, lossValue] = await Promise.all([p.data<'float32'>(), predicted.data<'int32'>(), loss.data<'float32'>()]);
    tf.dispose([p, predicted, loss]);
    probs.set(pValues, start * classCount);
    predictions.set(predictedValues, start);
    lossSum += lossValue[0] ?? NaN;
    await step?.(start + size);
  }
  const confusion = confusionMatrix(labels, predictions, classCount);
  const correct = confusion.reduce((sum, row, t) => sum + (row[t] ?? 0), 0);
  const sampleIndices = Array.from({ length: Math.min(SAMPLE_COUNT, count) }, (_, i) => i);
  const mistakeIndices = mostConfidentMistakes(probs, predictions, classCount, labels, MISTAKE_COUNT);
  return {
    loss: lossSum / count,
    accuracy: correct / count,
    count,
    confusion,
    perClass: perClassMetrics(confusion),
    predictions,
    sampleIndices: Int32Array.from(sampleIndices),
    sampleProbabilities: pick(probs, sampleIndices, classCount),
    mistakeIndices: Int32Array.from(mistakeIndices),
    mistakeProbabilities: pick(probs, mistakeIndices, classCount),
  };
}

/** Class probabilities for one image (`pixels` in [0, 1], height × width). */
export async function predictOne(model: tf.LayersModel, pixels: Float32Array, height: number, width: number, compile: Pick<CompileSpec, 'loss' | 'fromLogits'>): Promise<Float32Array> {
  const p = tf.tidy(() => {
    const x = tf.tensor4d(pixels, [1, height, width, 1]);
    return probabilities(modelScores(model, toModelInput(model, x), compile.fromLogits), compile.loss);
  });
  const values = await p.data<'float32'>();
  p.dispose();
  return values;
}

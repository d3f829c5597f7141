/**
 * A tiny synthetic image dataset for the training tests: class c is a bright square in the
 * c-th region of an 8×8 image, with noise. Separable, fast on the cpu backend. Also a
 * one-layer model with chosen weights, and a comparison of number lists. Test-only.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset, ImageSet } from '../data/dataset';
import { mulberry32 } from './batches';

function makeSet(count: number, classes: number, seed: number): ImageSet {
  const random = mulberry32(seed);
  const size = 8;
  const images = new Uint8Array(count * size * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    for (let p = 0; p < size * size; p++) {
      const x = p % size;
      const y = Math.floor(p / size);
      const inSquare = Math.floor(x / (size / classes)) === label && y >= 2 && y < 6;
      images[i * size * size + p] = Math.min(255, (inSquare ? 180 : 0) + Math.floor(random() * 60));
    }
  }
  return { images, labels, count, height: size, width: size };
}

/** A 3-class (default) dataset of 8×8 images. */
export function syntheticDataset(trainCount = 240, testCount = 60, classes = 3): Dataset {
  return {
    id: 'synthetic',
    name: 'Synthetic squares',
    classNames: Array.from({ length: classes }, (_, i) => `square ${i}`),
    train: makeSet(trainCount, classes, 1),
    test: makeSet(testCount, classes, 2),
  };
}

/** The largest absolute difference between two equally long lists of numbers (Infinity if their lengths differ). */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  return Array.from(a).reduce((max, value, i) => Math.max(max, Math.abs(value - (b[i] ?? NaN))), 0);
}

/**
 * Flatten → Dense on height × width images, its kernel given (one row per pixel, one column
 * per class) and its bias zero or absent: a model whose every output can be worked out by hand.
 */
export function denseModel(height: number, width: number, kernel: number[][], activation: 'softmax' | 'linear', useBias = true): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [height, width, 1] }));
  const units = kernel[0]?.length ?? 0;
  model.add(tf.layers.dense({ units, activation, useBias }));
  model.setWeights(useBias ? [tf.tensor2d(kernel), tf.zeros([units])] : [tf.tensor2d(kernel)]);
  return model;
}

/**
 * Test support for the gradient kernels this app registers (wasmKernels.ts, webglKernels.ts):
 * convolution shapes to check, seeded random values, tfjs's reference gradients and the error
 * measure the tests compare them with.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { mulberry32 } from './batches';

export interface ConvCase {
  readonly batch: number;
  readonly size: readonly [number, number];
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: 'valid' | 'same';
}

export const random = mulberry32(7);
export const values = (count: number): Float32Array => Float32Array.from({ length: count }, () => random() * 2 - 1);

/** Runs `compute` on a backend and returns its tensors' values. */
export async function on(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const data = outputs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outputs);
  return data;
}

/** Largest absolute difference, relative to the reference's largest magnitude. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(expected[i] ?? 0));
  }
  return diff / scale;
}

/** The shape of conv2d's output (and of its upstream gradient dy) for a case. */
export const convOutShape = (c: ConvCase): [number, number, number, number] =>
  tf.tidy(() => tf.conv2d(tf.zeros<tf.Rank.R4>([c.batch, c.size[0], c.size[1], c.inChannels]), tf.zeros<tf.Rank.R4>([c.kernel, c.kernel, c.inChannels, c.outChannels]), c.stride, c.padding).shape);

/** dL/dx and dL/dW of conv2d for an upstream gradient dy, through tf.grads. */
export function convGrads(c: ConvCase, x: Float32Array, w: Float32Array, dy: Float32Array, dyShape: number[]): tf.Tensor[] {
  const xs = tf.tensor4d(x, [c.batch, c.size[0], c.size[1], c.inChannels]);
  const ws = tf.tensor4d(w, [c.kernel, c.kernel, c.inChannels, c.outChannels]);
  const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.padding);
  return tf.grads(f)([xs, ws], tf.tensor(dy, dyShape));
}

export const CONV_CASES: ConvCase[] = [];
for (const padding of ['valid', 'same'] as const) {
  for (const stride of [1, 2]) {
    for (const kernel of [2, 3, 5]) {
      // On wasm, filters in eights take the filter gradient's SIMD path; of the others, one
      // input channel takes the patch-matrix path, two the convolution path.
      for (const inChannels of [1, 2]) {
        for (const outChannels of [4, 16]) CONV_CASES.push({ batch: 3, size: [11, 9], inChannels, outChannels, kernel, stride, padding });
      }
    }
  }
}
// Fewer taps than filters: wasm's single-channel filter gradient takes its (dyᵀ · Pᵀ)ᵀ form (12 and 5
// filters; 16, in eights, take the SIMD loops instead).
CONV_CASES.push({ batch: 2, size: [28, 28], inChannels: 1, outChannels: 12, kernel: 2, stride: 1, padding: 'valid' });
CONV_CASES.push({ batch: 2, size: [9, 8], inChannels: 1, outChannels: 16, kernel: 3, stride: 2, padding: 'same' });
CONV_CASES.push({ batch: 1, size: [6, 7], inChannels: 1, outChannels: 5, kernel: 2, stride: 2, padding: 'valid' });
CONV_CASES.push({ batch: 2, size: [8, 8], inChannels: 5, outChannels: 3, kernel: 3, stride: 3, padding: 'same' });
CONV_CASES.push({ batch: 1, size: [7, 10], inChannels: 3, outChannels: 2, kernel: 4, stride: 2, padding: 'same' });
// The SIMD filter gradient with one block of 8 filters and several, and rows (taps × channels) in fours and not.
CONV_CASES.push({ batch: 2, size: [13, 13], inChannels: 32, outChannels: 32, kernel: 2, stride: 1, padding: 'valid' });
CONV_CASES.push({ batch: 2, size: [10, 7], inChannels: 3, outChannels: 48, kernel: 3, stride: 2, padding: 'same' });
CONV_CASES.push({ batch: 2, size: [9, 9], inChannels: 5, outChannels: 8, kernel: 3, stride: 1, padding: 'same' });
CONV_CASES.push({ batch: 3, size: [8, 11], inChannels: 2, outChannels: 24, kernel: 2, stride: 2, padding: 'valid' });
// One tap (1×1): WebGL's filter gradient is a single batched product, nothing to concatenate.
CONV_CASES.push({ batch: 2, size: [5, 6], inChannels: 3, outChannels: 4, kernel: 1, stride: 1, padding: 'valid' });
CONV_CASES.push({ batch: 2, size: [5, 6], inChannels: 3, outChannels: 4, kernel: 1, stride: 2, padding: 'same' });


/**
 * The wasm backend where the module's memory runs out. In its own file: the 4 GB it takes stay
 * taken for the rest of the file (WebAssembly memory never shrinks), and pages never written
 * cost the machine nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { useBackend } from './backend';

it('fails with an out-of-memory error, not a write over the module\'s own memory, when a tensor does not fit, in our kernels and in tfjs\'s own', async () => {
  // As the worker starts it: tfjs's wasm backend with our kernels and its allocations checked.
  expect((await useBackend('wasm')).name).toBe('wasm');
  const wasm = tf.backend() as unknown as { makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo };
  // 2 GB held, then a 1.2 GB input: a 1.2 GB output cannot fit in the 4 GB the module may hold.
  const held = wasm.makeOutput([500_000_000], 'float32');
  const x = tf.engine().makeTensorFromTensorInfo(wasm.makeOutput([75_000_000, 4], 'float32'));
  const bias = tf.tensor1d([1, 2, 3, 4]);
  const twos = tf.fill([1, 4], 2);
  // Multiply is tfjs's own kernel (first, before any of ours has run); a bias's Add is ours.
  expect(() => tf.mul(x, twos)).toThrow(/ran out of memory: no room for 1144\.4 MB more/);
  expect(() => tf.add(x, bias)).toThrow(/ran out of memory: no room for 1144\.4 MB more/);
  // The module still works: small sums and products through the same kernels, right.
  expect(Array.from(await tf.add(tf.tensor2d([1, 1, 1, 1], [1, 4]), bias).data())).toEqual([2, 3, 4, 5]);
  expect(Array.from(await tf.mul(tf.tensor2d([1, 2, 3, 4], [1, 4]), twos).data())).toEqual([2, 4, 6, 8]);
  tf.dispose([x, bias, twos]);
  tf.engine().disposeTensor(tf.engine().makeTensorFromTensorInfo(held));
});

it('refuses a tensor of 4 GB or more, which the module\'s 32-bit malloc would take for a smaller one', async () => {
  expect((await useBackend('wasm')).name).toBe('wasm');
  const wasm = tf.backend() as unknown as { makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo; numDataIds(): number };
  const ids = wasm.numDataIds();
  // 4.8 GB, which as 32 bits is 0.5 GB: without the check, a tensor that size would come back.
  expect(() => wasm.makeOutput([1_200_000_000], 'float32')).toThrow(/ran out of memory: no room for 4577\.6 MB more/);
  expect(wasm.numDataIds()).toBe(ids);
});

it('frees what a kernel allocated before running out of memory halfway through it', async () => {
  expect((await useBackend('wasm')).name).toBe('wasm');
  const wasm = tf.backend() as unknown as { makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo; numDataIds(): number };
  // A 2 GB [2, C] input: the sum over its rows makes its 1 GB output, then runs out at its 2 GB of float64 accumulators.
  const x = tf.engine().makeTensorFromTensorInfo(wasm.makeOutput([2, 250_000_000], 'float32'));
  const ids = wasm.numDataIds();
  expect(() => tf.sum(x, 0)).toThrow(/ran out of memory/);
  expect(wasm.numDataIds()).toBe(ids);
  x.dispose();
});

/**
 * Our wasm kernels where the module's memory runs out. In its own file: the 4 GB it takes stay
 * taken for the rest of the file (WebAssembly memory never shrinks), and pages never written
 * cost the machine nothing.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expect, it } from 'vitest';
import { registerWasmKernels } from './wasmKernels';

it('fails with an out-of-memory error, not a write over the module\'s own memory, when an output does not fit', async () => {
  registerWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  const wasm = tf.backend() as unknown as { makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo };
  // 2 GB held, then a 1.2 GB input: its 1.2 GB output cannot fit in the 4 GB the module may hold.
  const held = wasm.makeOutput([500_000_000], 'float32');
  const x = tf.engine().makeTensorFromTensorInfo(wasm.makeOutput([75_000_000, 4], 'float32'));
  const bias = tf.tensor1d([1, 2, 3, 4]);
  expect(() => tf.add(x, bias)).toThrow(/ran out of memory: no room for a 75000000×4 float32 tensor/);
  // The module still works: a small sum through the same kernel, right.
  expect(Array.from(await tf.add(tf.tensor2d([1, 1, 1, 1], [1, 4]), bias).data())).toEqual([2, 3, 4, 5]);
  tf.dispose([x, bias]);
  tf.engine().disposeTensor(tf.engine().makeTensorFromTensorInfo(held));
});

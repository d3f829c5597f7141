import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DROPOUT_MASK, dropoutMask, maskKeys, maskValues, mixBits, registerDropoutMask } from './dropoutMask';
import { findKernel } from './kernelComposite';
import { mulberry32 } from './batches';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/** The hash again, in exact integer arithmetic (BigInt, mod 2³²): what GLSL's `uint` computes. */
function mixBitsExact(value: number): number {
  const M = 2n ** 32n;
  let x = BigInt(value >>> 0);
  x ^= x >> 16n;
  x = (x * 0x7feb352dn) % M;
  x ^= x >> 15n;
  x = (x * 0x846ca68bn) % M;
  x ^= x >> 16n;
  return Number(x);
}

const SIZE = 1 << 20;
const kept = (mask: Float32Array): number => mask.reduce((sum, v) => sum + (v > 0 ? 1 : 0), 0) / mask.length;

describe('dropout mask', () => {
  it('hashes with 32-bit unsigned wrapping, as a shader does', () => {
    const random = mulberry32(7);
    const inputs = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, ...Array.from({ length: 1000 }, () => Math.floor(random() * 2 ** 32))];
    for (const input of inputs) expect(mixBits(input)).toBe(mixBitsExact(input));
    // Pinned, so that a change to the hash (which the WebGL shader repeats) is a deliberate one.
    expect([1, 2, 3, 42].map(mixBits)).toEqual([0x688990c0, 0xd1132181, 0x53f1e9dd, 0x172733c2]);
  });

  it.each([0.2, 0.25, 0.4, 0.5])('keeps 1 − rate of the values at rate %s', (rate) => {
    const mask = maskValues({ shape: [SIZE], ...maskKeys(42, 0, rate) });
    // Kept values are scaled by 1 / (1 − rate), as float32 has it (the shader's float is float32 too).
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / (1 - rate))]));
    // Binomial: one standard deviation is under 0.0005 here.
    expect(Math.abs(kept(mask) - (1 - rate))).toBeLessThan(0.003);
  });

  it('draws unrelated masks for other calls and other seeds, the same one for the same (seed, call)', () => {
    const rate = 0.4;
    const mask = (seed: number, call: number): Float32Array => maskValues({ shape: [SIZE], ...maskKeys(seed, call, rate) });
    const first = mask(42, 0);
    expect(mask(42, 0)).toEqual(first);
    // Two independent masks agree where both keep or both drop: p² + (1 − p)² of the values.
    const independent = (1 - rate) ** 2 + rate ** 2;
    for (const other of [mask(42, 1), mask(42, 2), mask(43, 0), mask(41, 1)]) {
      const agree = first.reduce((sum, v, i) => sum + (v === other[i] ? 1 : 0), 0) / SIZE;
      expect(Math.abs(agree - independent)).toBeLessThan(0.003);
    }
    // Neighbouring values are unrelated too: a mask against itself shifted by one.
    const shifted = first.subarray(1).reduce((sum, v, i) => sum + (v === first[i] ? 1 : 0), 0) / (SIZE - 1);
    expect(Math.abs(shifted - independent)).toBeLessThan(0.003);
  });

  it('keeps everything at rate 0 and refuses rates outside [0, 1)', () => {
    expect(kept(maskValues({ shape: [4096], ...maskKeys(1, 0, 0) }))).toBe(1);
    expect(() => maskKeys(1, 0, 1)).toThrow(/below 1/);
    expect(() => maskKeys(1, 0, -0.1)).toThrow(/at least 0/);
  });

  it.each(['cpu', 'wasm'])('gives the same mask as a %s kernel, in the shape asked for', async (backend) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const before = tf.memory().numTensors;
    const mask = dropoutMask([3, 5, 7, 2], 0.25, 9, 4);
    expect(mask.shape).toEqual([3, 5, 7, 2]);
    expect(mask.dtype).toBe('float32');
    expect(await mask.data()).toEqual(maskValues({ shape: [3, 5, 7, 2], ...maskKeys(9, 4, 0.25) }));
    mask.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
  });

  it('is registered for webgl too, once', () => {
    registerDropoutMask();
    const webgl = findKernel(DROPOUT_MASK, 'webgl')?.kernelFunc;
    expect(webgl).toBeDefined();
    expect(webgl).not.toBe(findKernel(DROPOUT_MASK, 'cpu')?.kernelFunc);
    registerDropoutMask();
    expect(findKernel(DROPOUT_MASK, 'webgl')?.kernelFunc).toBe(webgl);
  });
});

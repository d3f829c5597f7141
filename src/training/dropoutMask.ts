/**
 * Dropout's keep-mask as a tfjs kernel, drawn where the tensors live. tfjs's `tf.dropout`
 * draws its uniform numbers in JavaScript and uploads them: on an H100 that was a fifth of a
 * training step of our strongest preset (225 ms a step, 181 ms with its three Dropout layers
 * removed; 1.2 million numbers a step at batch 128). Here every value of the mask is a hash of
 * its index and of (seed, call), so a WebGL shader computes it on the GPU and every other
 * backend computes the very same bits in JavaScript: a run's masks are the same on each
 * backend and repeat run to run. Pure tfjs: no DOM, no `self`.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { findKernel } from './kernelComposite';

/** The kernel's name in tfjs's registry (ours, so it cannot meet one of tfjs's). */
export const DROPOUT_MASK = 'PlaygroundDropoutMask';

/** What the kernel is asked for: the mask's shape, and the keys, threshold and scale `maskKeys` gives. */
export interface DropoutMaskAttrs {
  readonly shape: readonly number[];
  /** The two 32-bit keys, each as [high 16 bits, low 16 bits]: a WebGL int uniform holds either half exactly. */
  readonly keys: readonly [number, number, number, number];
  /** A value is kept when its 24-bit hash is at least this. */
  readonly threshold: number;
  /** What a kept value is multiplied by, 1 / (1 − rate), so that the expected sum is unchanged (Keras's inverted dropout). */
  readonly scale: number;
}

/**
 * Chris Wellons's "lowbias32" integer hash: every input bit flips each output bit with
 * probability close to ½. 32-bit unsigned arithmetic, wrapping, as GLSL's `uint` has it.
 */
export function mixBits(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The keys, threshold and scale of the mask for call `call` of a layer seeded `seed`, at `rate`.
 * A value is dropped with probability threshold / 2²⁴ = ⌈rate·2²⁴⌉ / 2²⁴ (rate to within 6e-8).
 */
export function maskKeys(seed: number, call: number, rate: number): Omit<DropoutMaskAttrs, 'shape'> {
  if (!(rate >= 0 && rate < 1)) throw new Error(`A dropout rate is at least 0 and below 1, not ${rate}.`);
  const first = mixBits((seed >>> 0) + mixBits(call));
  const second = mixBits(first ^ 0x9e3779b9);
  return { keys: [first >>> 16, first & 0xffff, second >>> 16, second & 0xffff], threshold: Math.ceil(rate * 2 ** 24), scale: 1 / (1 - rate) };
}

/** Value `index` of a mask: two rounds of the hash, each keyed, so masks of different calls are unrelated. */
function keeps(index: number, first: number, second: number, threshold: number): boolean {
  return mixBits(mixBits(index ^ first) ^ second) >>> 8 >= threshold;
}

/** The mask in JavaScript: `scale` where a value is kept, 0 where it is dropped. */
export function maskValues({ shape, keys, threshold, scale }: DropoutMaskAttrs): Float32Array {
  const first = ((keys[0] << 16) | keys[1]) >>> 0;
  const second = ((keys[2] << 16) | keys[3]) >>> 0;
  const values = new Float32Array(tf.util.sizeFromShape([...shape]));
  for (let i = 0; i < values.length; i++) values[i] = keeps(i, first, second, threshold) ? scale : 0;
  return values;
}

/** What the kernels need of any backend: storing values it is handed (every tfjs backend has `write`). */
interface Writer {
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
}

/** The kernel on any backend: the mask computed here and written to the backend. */
const maskOnAnyBackend: KernelFunc = ({ attrs, backend }) => {
  const mask = attrs as unknown as DropoutMaskAttrs;
  const shape = [...mask.shape];
  return { dataId: (backend as Writer).write(maskValues(mask), shape, 'float32'), shape, dtype: 'float32' };
};

/** What the webgl kernel needs of tfjs's WebGL backend (its `runWebGLProgram`, as Fill uses it). */
interface WebglRunner {
  runWebGLProgram(program: object, inputs: TensorInfo[], outputDtype: 'float32', customUniformValues: number[][]): TensorInfo;
}

/**
 * The same hash in GLSL ES 3.00 (WebGL 2): one invocation per value of the mask, laid out flat,
 * reshaped afterwards. `uint` arithmetic wraps at 2³² as JavaScript's `>>> 0` and `Math.imul` do.
 */
const MASK_SHADER = `
  uint mixBits(uint x) {
    x ^= x >> 16u;
    x *= 0x7feb352du;
    x ^= x >> 15u;
    x *= 0x846ca68bu;
    x ^= x >> 16u;
    return x;
  }
  void main() {
    uint first = (uint(keys.x) << 16u) | uint(keys.y);
    uint second = (uint(keys.z) << 16u) | uint(keys.w);
    uint hashed = mixBits(mixBits(uint(getOutputCoords()) ^ first) ^ second);
    setOutput((hashed >> 8u) >= uint(threshold) ? scale : 0.0);
  }
`;

/** The kernel on webgl: the mask computed on the GPU (WebGL 2), or here where the context is WebGL 1 (no `uint`). */
const maskOnWebgl: KernelFunc = (args) => {
  if (tf.env().getNumber('WEBGL_VERSION') !== 2) return maskOnAnyBackend(args);
  const mask = args.attrs as unknown as DropoutMaskAttrs;
  const size = tf.util.sizeFromShape([...mask.shape]);
  const program = {
    variableNames: [],
    outputShape: [size],
    customUniforms: [
      { name: 'keys', type: 'ivec4' },
      { name: 'threshold', type: 'int' },
      { name: 'scale', type: 'float' },
    ],
    userCode: MASK_SHADER,
  };
  const flat = (args.backend as unknown as WebglRunner).runWebGLProgram(program, [], 'float32', [[...mask.keys], [mask.threshold], [mask.scale]]);
  return { ...flat, shape: [...mask.shape] };
};

/** Registers the kernel for the cpu, wasm and webgl backends; later calls do nothing. */
export function registerDropoutMask(): void {
  for (const backendName of ['cpu', 'wasm', 'webgl']) {
    if (findKernel(DROPOUT_MASK, backendName)) continue;
    tf.registerKernel({ kernelName: DROPOUT_MASK, backendName, kernelFunc: backendName === 'webgl' ? maskOnWebgl : maskOnAnyBackend });
  }
}

/** The mask (1 / (1 − rate) kept, 0 dropped) for call `call` of a dropout layer seeded `seed`, on the active backend: dropout is x · mask. */
export function dropoutMask(shape: readonly number[], rate: number, seed: number, call: number): tf.Tensor {
  registerDropoutMask();
  const attrs: DropoutMaskAttrs = { shape, ...maskKeys(seed, call, rate) };
  return tf.engine().runKernel<tf.Tensor>(DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap);
}

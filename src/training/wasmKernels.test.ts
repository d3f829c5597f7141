import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONV_CASES, convGrads, convOutShape, on, random, relativeError, values, type ConvCase } from './gradientCases';
import type { WorkerEvent } from './protocol';
import { DEFAULT_COMPILE, DEFAULT_FIT, type ModelSpec } from './spec';
import { maxDifference, syntheticDataset } from './testData';
import { Trainer } from './trainer';
import { ADAM_STEP, FusedRMSProp, RMSPROP_STEP } from './fusedOptimizers';
import { CORRECT_COUNT, SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from './fusedLoss';
import { correctCount, crossEntropyPerExample } from './losses';
import { KerasAdam } from './kerasAdam';
import { registerWasmKernels } from './wasmKernels';
import { pointer, SIMD_FLAG, simdLoops, type SimdLoops, type WasmMemoryBackend } from './wasmSimd';

beforeAll(async () => {
  registerWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

// Every kernel both ways: on our SIMD loops, and on the JavaScript loops an engine without
// WebAssembly SIMD takes.
describe.each([{ simd: true }, { simd: false }])('wasm gradient kernels, SIMD loops: $simd', ({ simd }) => {
  beforeEach(() => tf.env().set(SIMD_FLAG, simd));
  afterAll(() => tf.env().set(SIMD_FLAG, true));

  it('registers Conv2DBackpropFilter for wasm, and replaces the slow kernels once', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const replaced = tf.getKernel('MaxPoolGrad', 'wasm').kernelFunc;
    registerWasmKernels();
    expect(tf.getKernel('MaxPoolGrad', 'wasm').kernelFunc).toBe(replaced);
  });

  it('clones a tensor without copying it, and the clone outlives the original', async () => {
    await tf.setBackend('wasm');
    const buffers = tf.memory().numDataBuffers;
    const original = tf.tensor2d([1.5, -2, 3, 4], [2, 2]);
    const copy = original.clone();
    expect(tf.memory().numDataBuffers).toBe(buffers + 1);
    original.dispose();
    expect(copy.dataSync()).toEqual(new Float32Array([1.5, -2, 3, 4]));
    copy.dispose();
    expect(tf.memory().numDataBuffers).toBe(buffers);
    const words = tf.tensor1d(['a', 'b']);
    const wordsCopy = words.clone();
    expect(wordsCopy.dataSync()).toEqual(['a', 'b']);
    tf.dispose([words, wordsCopy]);
  });

  it('runs our SIMD loops on the backend\'s own memory, so the kernels below take them where they can', async () => {
    await tf.setBackend('wasm');
    expect(simdLoops(tf.backend()) !== null).toBe(simd);
    // A backend without a wasm memory (cpu) has none: its callers keep their JavaScript loops.
    expect(simdLoops(tf.findBackend('cpu') as object)).toBeNull();
  });

  it.each([
    // Channels in fours take the SIMD loop, others the JavaScript one (both 2×2 at stride 2).
    { size: 27, pool: 2, stride: 2, padding: 'valid', ties: true, channels: 4 },
    { size: 27, pool: 2, stride: 2, padding: 'valid', ties: false, channels: 4 },
    { size: 9, pool: 2, stride: 2, padding: 'valid', ties: true, channels: 3 },
    { size: 8, pool: 2, stride: 2, padding: 'valid', ties: false, channels: 12 },
    { size: 8, pool: 2, stride: 2, padding: 'same', ties: true, channels: 4 },
    { size: 7, pool: 2, stride: 2, padding: 'same', ties: true, channels: 4 },
    { size: 12, pool: 3, stride: 3, padding: 'same', ties: true, channels: 4 },
    { size: 9, pool: 3, stride: 2, padding: 'same', ties: true, channels: 4 },
    { size: 9, pool: 3, stride: 2, padding: 'valid', ties: false, channels: 4 },
    { size: 8, pool: 3, stride: 1, padding: 'same', ties: true, channels: 4 },
    { size: 7, pool: 2, stride: 1, padding: 'valid', ties: false, channels: 4 },
    { size: 6, pool: 2, stride: 3, padding: 'valid', ties: true, channels: 4 },
  ] as const)('max-pool gradients match the cpu backend: $pool×$pool, stride $stride, $padding, ties: $ties, $channels channels', async ({ size, pool, stride, padding, ties, channels }) => {
    // Small integers make many ties, which must go to the first maximum of each window.
    const x = Float32Array.from({ length: 3 * size * size * channels }, () => (ties ? Math.floor(random() * 3) : random()));
    const pooled = (t: tf.Tensor): tf.Tensor4D => tf.maxPool(t as tf.Tensor4D, pool, stride, padding);
    await tf.setBackend('cpu');
    const outShape = tf.tidy(() => pooled(tf.zeros<tf.Rank.R4>([3, size, size, channels])).shape);
    const dy = values(tf.util.sizeFromShape([...outShape]));
    const grads = (): tf.Tensor[] => [tf.grad(pooled)(tf.tensor4d(x, [3, size, size, channels]), tf.tensor(dy, outShape))];
    const [expected] = await on('cpu', grads);
    const [actual] = await on('wasm', grads);
    expect(relativeError(actual as Float32Array, expected as Float32Array)).toBeLessThan(1e-6);
  });

  it.each([
    { shape: [1, 1, 1, 5], reps: [4, 3, 2, 1], dtype: 'float32' },
    { shape: [2, 3], reps: [3, 2], dtype: 'float32' },
    { shape: [3, 1, 2], reps: [1, 4, 1], dtype: 'int32' },
    { shape: [2, 2], reps: [1, 1], dtype: 'int32' },
    { shape: [4], reps: [3], dtype: 'bool' },
    { shape: [2, 1, 3, 1], reps: [2, 3, 1, 2], dtype: 'float32' },
  ] as const)('tiles like the cpu backend: $shape × $reps, $dtype', async ({ shape, reps, dtype }) => {
    // Bools as 0/1: tf.tensor casts them to the dtype asked for.
    const data = Array.from({ length: tf.util.sizeFromShape([...shape]) }, (_, i) => (dtype === 'bool' ? Number(i % 3 === 0) : dtype === 'int32' ? i * 7 - 3 : random()));
    const tiled = (): tf.Tensor[] => [tf.tile(tf.tensor(data, [...shape], dtype), [...reps])];
    const [expected] = await on('cpu', tiled);
    const [actual] = await on('wasm', tiled);
    expect(Array.from(actual ?? [])).toEqual(Array.from(expected ?? []));
  });

  it.each([
    { shape: [9, 5, 3, 4], axis: [0, 1, 2], keepDims: false, dtype: 'float32' },
    { shape: [9, 5, 3, 4], axis: [2, 0, 1], keepDims: true, dtype: 'float32' },
    { shape: [7, 6], axis: [0], keepDims: false, dtype: 'float32' },
    { shape: [3, 1], axis: [0], keepDims: true, dtype: 'float32' },
    { shape: [6, 5, 4], axis: [-3, -2], keepDims: false, dtype: 'float32' },
    { shape: [6, 5, 4], axis: [1, 2], keepDims: false, dtype: 'float32' },
    { shape: [6, 5, 4], axis: [0, 2], keepDims: true, dtype: 'float32' },
    { shape: [6, 5], axis: [0, 1], keepDims: false, dtype: 'float32' },
    { shape: [5, 3], axis: [0], keepDims: false, dtype: 'int32' },
    { shape: [0, 3], axis: [0], keepDims: false, dtype: 'float32' },
    // A first layer's bias gradient: 46,656 rows, eight at a time in SIMD, then the rest.
    { shape: [64, 27, 27, 8], axis: [0, 1, 2], keepDims: false, dtype: 'float32' },
    { shape: [13, 12], axis: [0], keepDims: true, dtype: 'float32' },
  ] as const)('sums and means like the cpu backend: $shape over $axis, keepDims $keepDims, $dtype', async ({ shape, axis, keepDims, dtype }) => {
    // Leading axes (in any order and sign) take the row loop; the rest go to tfjs's kernels.
    const data = Array.from({ length: tf.util.sizeFromShape([...shape]) }, (_, i) => (dtype === 'int32' ? i * 7 - 3 : random() * 10 - 5));
    const shapes = new Map<string, number[][]>();
    const reduce = (): tf.Tensor[] => {
      const x = tf.tensor(data, [...shape], dtype);
      const results = [tf.sum(x, [...axis], keepDims), tf.mean(x, [...axis], keepDims)];
      shapes.set(tf.getBackend(), results.map((r) => r.shape));
      return results;
    };
    const expected = await on('cpu', reduce);
    const actual = await on('wasm', reduce);
    expect(shapes.get('wasm')).toEqual(shapes.get('cpu'));
    // Both round (the cpu backend to float32 as it goes, ours in float64), so where a sum's
    // terms cancel, the two differ by more than the small sum's own float32 precision: the
    // bound is relative to the terms' size instead, (rows reduced) × largest |x|.
    const rows = tf.util.sizeFromShape(tf.util.parseAxisParam([...axis], [...shape]).map((a) => shape[a] ?? 1));
    const largest = data.reduce((most, value) => Math.max(most, Math.abs(value)), 0);
    for (const [i, bound] of [rows * largest, largest].entries()) {
      expect(maxDifference(actual[i] ?? [], expected[i] ?? [])).toBeLessThanOrEqual(1e-6 * bound);
    }
  });

  it.each([
    // A bias on the last axis, either operand, in fours (SIMD) or not; and other Adds.
    { a: [3, 5, 5, 8], b: [8] },
    { a: [16], b: [7, 16] },
    { a: [6, 12], b: [12] },
    { a: [4, 6], b: [6] },
    { a: [4, 8], b: [1, 8] },
    { a: [5, 4], b: [5, 4] },
    { a: [4], b: [4] },
  ])('adds like the cpu backend: $a + $b', async ({ a, b }) => {
    const av = values(tf.util.sizeFromShape(a));
    const bv = values(tf.util.sizeFromShape(b));
    const sum = (): tf.Tensor[] => [tf.add(tf.tensor(av, a), tf.tensor(bv, b))];
    const [expected] = await on('cpu', sum);
    const [actual] = await on('wasm', sum);
    expect(Array.from(actual ?? [])).toEqual(Array.from(expected ?? []));
  });

  it.each([
    { shape: [5, 3, 4], indices: [4, 0, 0, 2], axis: 0, dtype: 'float32' },
    { shape: [5, 3, 4], indices: [2, 0], axis: 1, dtype: 'float32' },
    { shape: [5, 3, 4], indices: [3, 1, 3], axis: -1, dtype: 'int32' },
    { shape: [6], indices: [5, 0, 1], axis: 0, dtype: 'bool' },
    { shape: [4, 2], indices: [], axis: 0, dtype: 'float32' },
  ] as const)('gathers like the cpu backend: $shape at $indices along $axis, $dtype', async ({ shape, indices, axis, dtype }) => {
    const data = Array.from({ length: tf.util.sizeFromShape([...shape]) }, (_, i) => (dtype === 'bool' ? i % 2 : dtype === 'int32' ? i * 7 - 3 : random()));
    const shapes = new Map<string, number[]>();
    const gathered = (): tf.Tensor[] => {
      const result = tf.gather(tf.tensor(data, [...shape], dtype), tf.tensor1d([...indices], 'int32'), axis);
      shapes.set(tf.getBackend(), result.shape);
      return [result];
    };
    const [expected] = await on('cpu', gathered);
    const [actual] = await on('wasm', gathered);
    expect(shapes.get('wasm')).toEqual(shapes.get('cpu'));
    expect(Array.from(actual ?? [])).toEqual(Array.from(expected ?? []));
  });

  it('gathers with indices of any shape, and names an index outside the axis as tfjs does', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const rows = tf.gather(x, tf.tensor2d([2, 0, 1, 2], [2, 2], 'int32'));
    expect(rows.shape).toEqual([2, 2, 2]);
    expect(Array.from(await rows.data())).toEqual([5, 6, 1, 2, 3, 4, 5, 6]);
    expect(() => tf.gather(x, tf.tensor1d([0, 3], 'int32'))).toThrow('GatherV2: the index value 3 is not in [0, 2]');
    tf.dispose([x, rows]);
  });

  it.each([
    // A batch cut from a dataset along its first axis (contiguous), the whole tensor, none of it.
    { shape: [5, 4, 3, 2], begin: [1, 0, 0, 0], size: [3, -1, -1, -1], dtype: 'float32' },
    { shape: [5, 4, 3, 2], begin: [0, 0, 0, 0], size: [-1, -1, -1, -1], dtype: 'float32' },
    { shape: [3, 4], begin: [1, 0], size: [0, 4], dtype: 'float32' },
    // Runs along the last axis, at every rank up to 5, and other dtypes.
    { shape: [5, 4, 3, 2], begin: [1, 1, 0, 1], size: [2, 2, 3, 1], dtype: 'float32' },
    { shape: [6, 7], begin: [2, 3], size: [3, 4], dtype: 'int32' },
    { shape: [3, 5, 2], begin: [0, 2, 1], size: [-1, -1, 1], dtype: 'float32' },
    { shape: [2, 3, 4, 5, 2], begin: [0, 1, 1, 2, 0], size: [2, 2, 2, 2, 2], dtype: 'float32' },
    { shape: [4], begin: [1], size: [2], dtype: 'bool' },
  ] as const)('slices as the cpu backend does: $shape from $begin, size $size, $dtype', async ({ shape, begin, size, dtype }) => {
    const count = tf.util.sizeFromShape([...shape]);
    const data = dtype === 'float32' ? values(count) : Int32Array.from({ length: count }, (_, i) => (dtype === 'bool' ? i % 2 : i * 7 - 20));
    const cut = (): tf.Tensor[] => [tf.slice(tf.tensor(data, [...shape], dtype), [...begin], [...size])];
    const shapes: number[][] = [];
    const sliced = async (backend: string): Promise<number[]> => {
      await tf.setBackend(backend);
      const [result] = tf.tidy(cut);
      shapes.push(result?.shape ?? []);
      const read = Array.from(await (result?.data() ?? Promise.resolve([])));
      result?.dispose();
      return read;
    };
    expect(await sliced('wasm')).toEqual(await sliced('cpu'));
    expect(shapes[0]).toEqual(shapes[1]);
  });

  it('adds an int32 bias as tfjs does', async () => {
    const sum = (): tf.Tensor[] => [tf.add(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32'), tf.tensor1d([10, 20, 30, 40], 'int32'))];
    const [actual] = await on('wasm', sum);
    expect(Array.from(actual ?? [])).toEqual([11, 22, 33, 44, 15, 26, 37, 48]);
  });

  it('counts a batch\'s right answers in one kernel, as argMax and equal do: the first of equal scores, and a row starting with NaN answering 0', async () => {
    const [rows, classes] = [41, 10];
    const z = values(rows * classes).map((v, i) => (i % 13 === 0 ? 0.5 : v));
    // Ties (0.5 twice in row 0), a NaN first and a NaN later, a row of −∞, and scores that are all equal.
    z.set([0.5, 0.1, 0.5], 0);
    z.set([Number.NaN, 3, 1], classes);
    z.set([1, Number.NaN, 3], 2 * classes);
    z.fill(Number.NEGATIVE_INFINITY, 3 * classes, 4 * classes);
    z.fill(0.25, 4 * classes, 5 * classes);
    const labels = Int32Array.from({ length: rows }, (_, i) => (i < 5 ? [0, 0, 2, 0, 0][i] ?? 0 : (i * 3) % classes));
    const composed = (): tf.Tensor[] => [tf.tidy(() => tf.tensor2d(z, [rows, classes]).argMax(-1).equal(tf.tensor1d(labels, 'int32')).sum())];
    const fused = (): tf.Tensor[] => [correctCount(tf.tensor1d(labels, 'int32'), { kind: 'logits', values: tf.tensor2d(z, [rows, classes]) })];
    const [expected] = await on('cpu', composed);
    const [onWasm] = await on('wasm', composed);
    const [actual] = await on('wasm', fused);
    expect(expected?.[0]).toBeGreaterThan(5);
    expect(actual).toEqual(expected);
    expect(onWasm).toEqual(expected);
    const names = (await tf.profile(() => tf.dispose(fused()))).kernels.map((k) => k.name);
    expect(names).toEqual([CORRECT_COUNT]);
    // An int32 scalar, as the composition's sum is.
    const [count] = fused();
    expect(count?.dtype).toBe('int32');
    expect(count?.shape).toEqual([]);
    tf.dispose(count);
  });

  it('takes cross-entropy from logits against class indices, and its gradient, in one kernel each, as the cpu backend\'s composition computes them', async () => {
    const [rows, classes] = [37, 10];
    // Large logits too: the row's max is taken off before exp, as log-softmax does.
    const z = values(rows * classes).map((v, i) => (i % 7 === 0 ? v * 60 : v * 4));
    const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7) % classes);
    const weights = values(rows).map((v) => v + 2);
    const lossAndGradient = (): tf.Tensor[] => {
      const logits = tf.tensor2d(z, [rows, classes]);
      const y = tf.tensor1d(labels, 'int32');
      const loss = (t: tf.Tensor): tf.Tensor => crossEntropyPerExample({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, y, { kind: 'logits', values: t }).mul(tf.tensor1d(weights)).mean();
      return [crossEntropyPerExample({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, y, { kind: 'logits', values: logits }), tf.grad(loss)(logits)];
    };
    const [expectedLoss, expectedGradient] = await on('cpu', lossAndGradient);
    const [actualLoss, actualGradient] = await on('wasm', lossAndGradient);
    expect(maxDifference(actualLoss ?? [], expectedLoss ?? [])).toBeLessThan(2e-6);
    expect(maxDifference(actualGradient ?? [], expectedGradient ?? [])).toBeLessThan(1e-7);
    // One kernel forwards (here twice: the loss returned, and the one differentiated) and one backwards on wasm, where tfjs composes about 25.
    const names = (await tf.profile(() => tf.dispose(lossAndGradient()))).kernels.map((k) => k.name);
    expect(names.filter((name) => name.startsWith('PlaygroundSoftmaxCrossEntropy'))).toEqual([SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD]);
    expect(names).not.toContain('OneHot');
    // Labels that are not one per row are not read past their end: tfjs's ops refuse them.
    await tf.setBackend('wasm');
    const [twoRows, threeLabels] = [tf.zeros([2, 10]), tf.tensor1d([1, 2, 3], 'int32')];
    expect(() => crossEntropyPerExample({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, threeLabels, { kind: 'logits', values: twoRows })).toThrow(/shape/i);
    expect(() => correctCount(threeLabels, { kind: 'logits', values: twoRows })).toThrow(/shape/i);
    tf.dispose([twoRows, threeLabels]);
    // A NaN logit gives a NaN loss, which the divergence check catches.
    const [nan] = await on('wasm', () => [crossEntropyPerExample({ loss: 'sparseCategoricalCrossentropy', fromLogits: true }, tf.tensor1d([1], 'int32'), { kind: 'logits', values: tf.tensor2d([0, Number.NaN], [1, 2]) })]);
    expect(Number.isNaN(nan?.[0])).toBe(true);
  });

  it.each([{ shape: [2, 5, 5, 8] }, { shape: [7] }, { shape: [3, 6] }])('gives ReLU the cpu backend\'s gradient: $shape', async ({ shape }) => {
    // Zeros among the inputs: ReLU's gradient there is 0, as in tfjs.
    const x = values(tf.util.sizeFromShape(shape)).map((v, i) => (i % 5 === 0 ? 0 : v));
    const dy = values(x.length);
    const grads = (): tf.Tensor[] => [tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x, shape), tf.tensor(dy, shape))];
    const [expected] = await on('cpu', grads);
    const [actual] = await on('wasm', grads);
    // The same values; tfjs's dy · 0 is −0 where dy < 0, ours +0.
    const unsigned = (v: Float32Array | undefined): number[] => Array.from(v ?? [], (value) => value + 0);
    expect(unsigned(actual)).toEqual(unsigned(expected));
  });

  it.each([
    { name: 'Adam', kernel: ADAM_STEP, make: () => new KerasAdam(0.01), slot: 'm', steps: 3 },
    // From step 166 on, 1 − β₁ᵗ is 1 in float32, and the loop skips that division.
    { name: 'Adam for 170 steps', kernel: ADAM_STEP, make: () => new KerasAdam(0.01), slot: 'm', steps: 170 },
    { name: 'RMSprop', kernel: RMSPROP_STEP, make: () => new FusedRMSProp(0.01, 0.9, 0, 1e-7), slot: 'rms', steps: 3 },
    { name: 'RMSprop with momentum', kernel: RMSPROP_STEP, make: () => new FusedRMSProp(0.01, 0.9, 0.5, 1e-7), slot: 'momentum', steps: 3 },
  ])('steps $name in one kernel to the same bits as tfjs\'s own, and keeps its state where tfjs keeps it', async ({ kernel, make, slot, steps }) => {
    // Weights in fours and not (the SIMD loop's tail), a rate that moves them.
    const shapes = [[7, 5], [8], [3]];
    const initial = shapes.map((shape) => values(tf.util.sizeFromShape(shape)));
    const gradients = Array.from({ length: steps }, () => shapes.map((shape) => values(tf.util.sizeFromShape(shape))));
    const train = async (backend: string): Promise<{ weights: Float32Array[]; moments: string[] }> => {
      await tf.setBackend(backend);
      const variables = tf.tidy(() => shapes.map((shape, i) => tf.variable(tf.tensor(initial[i] ?? [], shape), true, `adam-${backend}-${i}`)));
      const optimizer = make();
      for (const step of gradients) {
        tf.tidy(() => optimizer.applyGradients(variables.map((variable, i) => ({ name: variable.name, tensor: tf.tensor(step[i] ?? [], variable.shape) }))));
      }
      const weights = variables.map((variable) => variable.dataSync() as Float32Array);
      const saved = await optimizer.getWeights();
      const moments = saved.map(({ name }) => name.replace(backend, '·'));
      // The first is the step count, made for getWeights; the others are the moments themselves.
      saved[0]?.tensor.dispose();
      optimizer.dispose();
      tf.dispose(variables);
      return { weights, moments };
    };
    expect(tf.getKernel(kernel, 'wasm')).toBeDefined();
    const expected = await train('cpu');
    const numTensors = tf.memory().numTensors;
    const actual = await train('wasm');
    expect(tf.memory().numTensors).toBe(numTensors);
    expect(actual.moments).toEqual(expected.moments);
    expect(actual.moments).toContain(`adam-·-1/${slot}`);
    for (const [i, weights] of actual.weights.entries()) expect(Array.from(weights)).toEqual(Array.from(expected.weights[i] ?? []));
    // The step moved the weights: a kernel that did nothing would not pass the line above either.
    expect(actual.weights[0]?.[0]).not.toBe(initial[0]?.[0]);
  });

  it.each([
    { a: [5, 7], b: [5, 3], transposeA: true, transposeB: false },
    { a: [4, 6], b: [9, 6], transposeA: false, transposeB: true },
    { a: [6, 4], b: [9, 6], transposeA: true, transposeB: true },
    { a: [2, 6, 4], b: [2, 6, 3], transposeA: true, transposeB: false },
    { a: [2, 4, 6], b: [1, 3, 6], transposeA: false, transposeB: true },
    // Products that tfjs's kernel (no SIMD) takes as (Bᵀ·Aᵀ)ᵀ: a Dense layer's input gradient, and its kin.
    { a: [3, 2], b: [3, 20], transposeA: true, transposeB: false },
    { a: [1, 4, 6], b: [9, 6], transposeA: false, transposeB: true },
  ])('matrix products with transposed operands match the cpu backend: $a × $b', async ({ a, b, transposeA, transposeB }) => {
    const av = values(tf.util.sizeFromShape([...a]));
    const bv = values(tf.util.sizeFromShape([...b]));
    const product = (): tf.Tensor[] => [tf.matMul(tf.tensor(av, a), tf.tensor(bv, b), transposeA, transposeB)];
    const [expected] = await on('cpu', product);
    const [actual] = await on('wasm', product);
    expect(relativeError(actual as Float32Array, expected as Float32Array)).toBeLessThan(1e-5);
  });

  it.each([
    // Tiles of 4 × 8, then the last rows one at a time and the last columns four at a time and one by one.
    { a: [1, 1], b: [1, 1], transposeA: false, transposeB: false },
    { a: [9, 17], b: [17, 13], transposeA: false, transposeB: false },
    { a: [3, 7], b: [3, 12], transposeA: true, transposeB: false },
    { a: [1, 6, 5], b: [5, 20], transposeA: false, transposeB: false },
    // B transposed: B is transposed first (9×3 by 5×3), or Cᵀ = B·Aᵀ is taken and transposed back (3×20 by 30×20).
    { a: [9, 3], b: [5, 3], transposeA: false, transposeB: true },
    { a: [3, 20], b: [30, 20], transposeA: false, transposeB: true },
    { a: [20, 3], b: [30, 20], transposeA: true, transposeB: true },
    // A Dense layer's forward pass and weight gradient at the quickstart's sizes.
    { a: [64, 784], b: [784, 128], transposeA: false, transposeB: false },
    { a: [64, 784], b: [64, 128], transposeA: true, transposeB: false },
  ])('a single float32 product is the plain float32 sum of its terms, to the bit on the SIMD loop: $a × $b', async ({ a, b, transposeA, transposeB }) => {
    const av = values(tf.util.sizeFromShape(a));
    const bv = values(tf.util.sizeFromShape(b));
    const [m, k] = transposeA ? [a.at(-1) ?? 0, a.at(-2) ?? 0] : [a.at(-2) ?? 0, a.at(-1) ?? 0];
    const n = (transposeB ? b.at(-2) : b.at(-1)) ?? 0;
    await tf.setBackend('wasm');
    const buffers = tf.memory().numDataBuffers;
    const [operandA, operandB] = [tf.tensor(av, a), tf.tensor(bv, b)];
    const result = tf.matMul(operandA, operandB, transposeA, transposeB);
    expect(result.shape).toEqual([...(a.length > b.length ? a : b).slice(0, -2), m, n]);
    const actual = result.dataSync();
    tf.dispose([operandA, operandB, result]);
    expect(tf.memory().numDataBuffers).toBe(buffers);
    const expected = plainProduct(av, bv, [m, k, n], transposeA, transposeB);
    if (simd) expect(actual).toEqual(expected);
    else expect(relativeError(actual as Float32Array, expected)).toBeLessThan(1e-5);
  });

  it.each([
    // Rows one at a time; a transposed A four rows at a time, then one (9 = 4 + 4 + 1); columns 32, then 4, then 1 at a time (45 = 32 + 4·3 + 1).
    { a: [9, 37], b: [37, 45], transposeA: false },
    { a: [37, 9], b: [37, 45], transposeA: true },
    // A Dense layer's forward pass and weight gradient on a batch of 64 images.
    { a: [64, 784], b: [784, 128], transposeA: false },
    { a: [64, 784], b: [64, 128], transposeA: true },
  ])('a product whose left operand is mostly zeros is still the plain float32 sum, to the bit: $a × $b, A transposed: $transposeA', async ({ a, b, transposeA }) => {
    const [m, k] = transposeA ? [a[1] ?? 0, a[0] ?? 0] : [a[0] ?? 0, a[1] ?? 0];
    const n = b[1] ?? 0;
    // Four values in five are zero, as in an MNIST image; one row has none but a −0, and the others a NaN and a −0 each.
    const av = values(m * k).map((v) => (random() < 0.8 ? 0 : v));
    const at = (i: number, p: number): number => (transposeA ? p * m + i : i * k + p);
    for (let p = 0; p < k; p++) av[at(0, p)] = 0;
    av[at(0, 1)] = -0;
    av[at(1, 2)] = NaN;
    av[at(m - 1, k - 1)] = -0;
    const bv = values(k * n);
    const expected = plainProduct(av, bv, [m, k, n], transposeA, false);
    const actual = await on('wasm', () => [tf.matMul(tf.tensor(av, a), tf.tensor(bv, b), transposeA, false)]);
    if (simd) expect(actual[0]).toEqual(expected);
    else expect(relativeError((actual[0] ?? new Float32Array()).map((v) => (Number.isNaN(v) ? 0 : v)), expected.map((v) => (Number.isNaN(v) ? 0 : v)))).toBeLessThan(1e-5);
    expect(Number.isNaN(actual[0]?.[n] ?? 0)).toBe(true);
    // An infinity in B: 0·∞ is NaN, so skipping A's zeros would hide it. The product still has it.
    bv[n + 1] = Infinity;
    const withInfinity = await on('wasm', () => [tf.matMul(tf.tensor(av, a), tf.tensor(bv, b), transposeA, false)]);
    expect(Array.from(withInfinity[0] ?? [], Number.isNaN)).toEqual(Array.from(plainProduct(av, bv, [m, k, n], transposeA, false), Number.isNaN));
  });

  it('refuses a product whose inner sizes differ, with tfjs\'s message, instead of reading past an operand', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([2, 5]))).toThrow(/inner shapes/i);
    expect(() => tf.matMul(tf.ones([4, 3]), tf.ones([5, 2]), false, true)).toThrow(/inner shapes/i);
  });

  /** Checks a case's dL/dx and dL/dW on wasm against the cpu backend's, for random x and filter and a dy made by `upstream`. */
  async function expectConvGradsOfCpu(c: ConvCase, upstream: (count: number) => Float32Array): Promise<void> {
    const outShape = convOutShape(c);
    const x = values(c.batch * c.size[0] * c.size[1] * c.inChannels);
    const w = values(c.kernel * c.kernel * c.inChannels * c.outChannels);
    const dy = upstream(tf.util.sizeFromShape([...outShape]));
    const [expectedDx, expectedDw] = await on('cpu', () => convGrads(c, x, w, dy, outShape));
    const [dx, dw] = await on('wasm', () => convGrads(c, x, w, dy, outShape));
    expect(relativeError(dw as Float32Array, expectedDw as Float32Array)).toBeLessThan(1e-5);
    expect(relativeError(dx as Float32Array, expectedDx as Float32Array)).toBeLessThan(1e-5);
  }

  it.each(CONV_CASES)('conv2d gradients match the cpu backend: $kernel×$kernel, stride $stride, $padding, $size.0×$size.1×$inChannels → $outChannels', async (c) => {
    await tf.setBackend('cpu');
    await expectConvGradsOfCpu(c, values);
  });

  // Behind a 2×2 max pooling at most a quarter of dy is not zero: the sparse gradients take it
  // where tap rows hold 32 values or more (kw·C). Fashion CNN's second convolution; 3×3 taps
  // over 16 channels at stride 2 with 'same' padding (filters in fours, not eights); rows of 33
  // (32 + 1) with padding on every side; filters not in fours (the input gradient only) at a
  // stride that leaves the last rows and columns of x untouched.
  const FASHION_SECOND: ConvCase = { batch: 2, size: [13, 13], inChannels: 32, outChannels: 32, kernel: 2, stride: 1, padding: 'valid' };
  const SPARSE_CASES: ConvCase[] = [
    FASHION_SECOND,
    { batch: 2, size: [11, 9], inChannels: 16, outChannels: 12, kernel: 3, stride: 2, padding: 'same' },
    { batch: 1, size: [7, 10], inChannels: 11, outChannels: 8, kernel: 3, stride: 1, padding: 'same' },
    { batch: 2, size: [9, 9], inChannels: 8, outChannels: 6, kernel: 4, stride: 3, padding: 'valid' },
  ];

  /** Values four in five of which are zero, the others as `values` gives them. */
  const mostlyZeros = (count: number): Float32Array => values(count).map((v) => (random() < 0.8 ? 0 : v));

  it.each(SPARSE_CASES)('conv2d gradients through a dy mostly zeros match the cpu backend: $kernel×$kernel, stride $stride, $padding, $size.0×$size.1×$inChannels → $outChannels', async (c) => {
    await expectConvGradsOfCpu(c, mostlyZeros);
  });

  it('refuses a dy mostly zeros whose shape is not the convolution\'s output (conv2dTranspose given the wrong output shape), instead of reading past it', async () => {
    await tf.setBackend('wasm');
    // For a 9×9 output at stride 2, 'same', the convolution's dy is 5×5; this one is 4×4, a fifth of it not zero.
    const x = tf.tensor4d(Float32Array.from({ length: 4 * 4 * 8 }, (_, i) => (i % 5 === 0 ? 1 : 0)), [1, 4, 4, 8]);
    const filter = tf.ones<tf.Rank.R4>([3, 3, 40, 8]);
    expect(() => tf.conv2dTranspose(x, filter, [1, 9, 9, 40], 2, 'same')).toThrow(/must match the product of shape/);
    tf.dispose([x, filter]);
  });

  it('keeps a NaN in dy, and the NaNs an infinity in x or in the filter makes, though dy is mostly zeros', async () => {
    const c = FASHION_SECOND;
    const outShape = convOutShape(c);
    /** Where each gradient is NaN, on the cpu backend and on wasm. */
    const nanPlaces = async (x: Float32Array, w: Float32Array, dy: Float32Array): Promise<boolean[][][]> =>
      Promise.all(['cpu', 'wasm'].map(async (backend) => (await on(backend, () => convGrads(c, x, w, dy, outShape))).map((g) => Array.from(g, Number.isNaN))));
    const x = values(c.batch * c.size[0] * c.size[1] * c.inChannels);
    const w = values(c.kernel * c.kernel * c.inChannels * c.outChannels);
    const dy = mostlyZeros(tf.util.sizeFromShape([...outShape]));
    const [cpu, wasm] = await nanPlaces(x, w, dy.map((v, i) => (i === dy.findIndex((u) => u !== 0) ? NaN : v)));
    expect(wasm).toEqual(cpu);
    expect(wasm?.every((places) => places.some(Boolean))).toBe(true);
    // 0·∞ is NaN: skipping dy's zeros would leave out the NaNs an infinity makes.
    const [cpuDw, wasmDw] = await nanPlaces(x.map((v, i) => (i === 5 ? Infinity : v)), w, dy);
    expect(wasmDw?.[1]).toEqual(cpuDw?.[1]);
    expect(wasmDw?.[1]?.some(Boolean)).toBe(true);
    // dx where the filter has one: at every place the cpu backend's is NaN, and at more near the
    // edges (the transposed convolution also multiplies the zeros it pads dy with).
    const [cpuDx, wasmDx] = await nanPlaces(x, w.map((v, i) => (i === 5 ? -Infinity : v)), dy);
    expect(cpuDx?.[0]?.some(Boolean)).toBe(true);
    expect(cpuDx?.[0]?.every((nan, i) => !nan || wasmDx?.[0]?.[i])).toBe(true);
  });

  it.each([
    { pool: 'MaxPool', activation: 'relu' },
    { pool: 'AveragePool', activation: 'sigmoid' },
  ] as const)('gives a Conv2D → $activation → BatchNormalization → $pool → Dense model the cpu backend\'s gradients', async ({ pool, activation }) => {
    const x = values(4 * 12 * 12);
    const labels = [0, 1, 2, 1];
    const build = (): tf.LayersModel => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 6, kernelSize: 3, padding: 'same', activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
          tf.layers.batchNormalization(),
          pool === 'MaxPool' ? tf.layers.maxPooling2d({ poolSize: 2 }) : tf.layers.averagePooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        ],
      });
      return model;
    };
    const gradients = (): tf.Tensor[] => {
      const model = build();
      const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(tf.oneHot(labels, 3), model.apply(tf.tensor4d(x, [4, 12, 12, 1]), { training: true }) as tf.Tensor));
      const list = model.trainableWeights.map((weight) => grads[weight.name] as tf.Tensor);
      model.dispose();
      return list;
    };
    const expected = await on('cpu', gradients);
    const actual = await on('wasm', gradients);
    expect(actual).toHaveLength(expected.length);
    for (let i = 0; i < expected.length; i++) expect(relativeError(actual[i] as Float32Array, expected[i] as Float32Array)).toBeLessThan(1e-4);
  });
});

describe('the sparse loops, called directly', () => {
  /** Runs `body` with these arrays on the wasm backend's memory, given their byte offsets, and returns them as it left them. */
  async function onMemory(arrays: Float32Array[], body: (loops: SimdLoops, at: number[]) => void): Promise<Float32Array[]> {
    await tf.setBackend('wasm');
    const loops = simdLoops(tf.backend());
    if (!loops) throw new Error('this engine runs WebAssembly SIMD: Node 20 does');
    const tensors = arrays.map((values) => tf.tensor1d(values.length > 0 ? values : [0]));
    try {
      body(loops, tensors.map((t) => pointer(tf.backend() as unknown as WasmMemoryBackend, t)));
      return tensors.map((t) => t.dataSync() as Float32Array);
    } finally {
      tf.dispose(tensors);
    }
  }

  it('counts the values that are not zero (a NaN is not zero, a −0 is), and tells a finite operand from one with an infinity or NaN', async () => {
    for (const count of [1, 3, 4, 9]) {
      const x = Float32Array.from({ length: count }, (_, i) => [0, 1.5, -0, NaN, 1e-45, 0, -2, 0, Infinity][i] ?? 0);
      const nonzero = Array.from(x).filter((v) => v !== 0).length;
      await onMemory([x], (loops, [at = 0]) => {
        expect(loops.nonzeroCount(at, count)).toBe(nonzero);
        expect(loops.allFinite(at, count)).toBe(Array.from(x).every(Number.isFinite) ? 1 : 0);
      });
    }
  });

  it('finds an infinity or a NaN wherever it is, in either vector of a step or after them, and nothing in the largest finite values', async () => {
    const finite = Float32Array.from({ length: 19 }, (_, i) => [3.4028234663852886e38, -3.4028234663852886e38, 1e-45, -0, 0, 1][i % 6] ?? 0);
    await onMemory([finite], (loops, [at = 0]) => expect(loops.allFinite(at, finite.length)).toBe(1));
    for (const special of [Infinity, -Infinity, NaN]) {
      for (let place = 0; place < finite.length; place++) {
        const x = finite.map((v, i) => (i === place ? special : v));
        await onMemory([x], (loops, [at = 0]) => {
          expect(loops.allFinite(at, x.length), `${special} at ${place}`).toBe(0);
          // Only the first `place` values: all finite.
          expect(loops.allFinite(at, place)).toBe(1);
        });
      }
    }
  });

  it.each([
    // k = 1 in order; a transposed A of 2, 3, 6 and 7 rows (four at a time, then one by one); subnormals among A's values.
    { m: 5, k: 1, n: 9, transposed: false },
    { m: 2, k: 11, n: 36, transposed: true },
    { m: 3, k: 11, n: 5, transposed: true },
    { m: 6, k: 11, n: 33, transposed: true },
    { m: 7, k: 1, n: 40, transposed: true },
    { m: 4, k: 30, n: 64, transposed: false },
  ])('matMulSparse gives the plain float32 sums to the bit: $m×$k by $k×$n, A transposed: $transposed', async ({ m, k, n, transposed }) => {
    const av = values(m * k).map((v, i) => (random() < 0.7 ? 0 : i % 5 === 0 ? v * 1e-40 : v));
    const bv = values(k * n);
    const [rowStep, columnStep] = transposed ? [4, 4 * m] : [4 * k, 4];
    const [, , c] = await onMemory([av, bv, new Float32Array(m * n), new Float32Array(8 * k)], (loops, [a = 0, b = 0, out = 0, list = 0]) =>
      loops.matMulSparse(a, b, out, m, k, n, rowStep, columnStep, list),
    );
    expect(c).toEqual(plainProduct(av, bv, [m, k, n], transposed, false));
  });

  it.each([
    { c1: 0.19, c2: 0.0003 },
    { c1: 1, c2: 0.17 },
    { c1: 1, c2: 1 },
  ])('adamStep divides by c₁ = $c1 and c₂ = $c2 as a plain float32 loop does, where the vector loop skips a division by 1', async ({ c1, c2 }) => {
    const count = 11;
    const [w, g, m] = [values(count), values(count), values(count)];
    const v = values(count).map(Math.abs);
    const [beta1, beta2, epsilon, rate] = [0.9, 0.999, 1e-7, 0.01].map(Math.fround) as [number, number, number, number];
    const f = Math.fround;
    const [rest1, rest2] = [f(1 - beta1), f(1 - beta2)];
    const [wExpected, mExpected, vExpected] = [new Float32Array(count), new Float32Array(count), new Float32Array(count)];
    for (let i = 0; i < count; i++) {
      const [gi, mi, vi, wi] = [g[i] ?? NaN, m[i] ?? NaN, v[i] ?? NaN, w[i] ?? NaN];
      const mNext = f(f(mi * beta1) + f(gi * rest1));
      const vNext = f(f(vi * beta2) + f(f(gi * gi) * rest2));
      wExpected[i] = f(f(f(f(mNext / f(c1)) / f(f(Math.sqrt(f(vNext / f(c2)))) + epsilon)) * -rate) + wi);
      mExpected[i] = mNext;
      vExpected[i] = vNext;
    }
    const out = await onMemory([w, g, m, v, new Float32Array(count), new Float32Array(count), new Float32Array(count)], (loops, [wAt = 0, gAt = 0, mAt = 0, vAt = 0, newW = 0, newM = 0, newV = 0]) =>
      loops.adamStep(wAt, gAt, mAt, vAt, newW, newM, newV, count, beta1, rest1, beta2, rest2, f(c1), f(c2), epsilon, -rate),
    );
    expect(out.slice(4)).toEqual([wExpected, mExpected, vExpected]);
  });

  it.each([
    // Two images, 2×2 taps over 8 channels (rows in fours), 8 filters; 3×3 taps at stride 2 over 4 channels, 16 filters.
    { batch: 2, height: 5, width: 6, channels: 8, filters: 8, kernel: 2, stride: 1 },
    { batch: 1, height: 9, width: 7, channels: 4, filters: 16, kernel: 3, stride: 2 },
  ])('filterGradientSparse adds the sums filterGradientRows adds, to the bit: $batch×$height×$width×$channels → $filters, $kernel×$kernel, stride $stride', async (c) => {
    const { batch, height, width, channels, filters, kernel, stride } = c;
    const [outHeight, outWidth] = [Math.floor((height - kernel) / stride) + 1, Math.floor((width - kernel) / stride) + 1];
    const rows = kernel * kernel * channels;
    const x = values(batch * height * width * channels);
    // dy with a NaN, a −0 and a subnormal among its zeros; both outputs start from the same sums.
    const dy = values(batch * outHeight * outWidth * filters).map((v, i) => (random() < 0.75 ? 0 : i % 7 === 0 ? v * 1e-40 : v));
    dy[3] = NaN;
    dy[4] = -0;
    const start = values(rows * filters);
    const startT = Float32Array.from({ length: rows * filters }, (_, i) => start[(i % rows) * filters + Math.floor(i / rows)] ?? NaN);
    const [pixel, imageBytes, dyBytes] = [4 * channels, 4 * height * width * channels, 4 * outHeight * outWidth * filters];
    const offset = (r: number): number => (Math.floor(r / (kernel * channels)) * width + (Math.floor(r / channels) % kernel)) * pixel + 4 * (r % channels);
    const scratch = new Float32Array(rows);
    const [, , dense, sparse] = await onMemory([x, dy, start, startT, new Float32Array(8 * outHeight * outWidth), scratch], (loops, [xAt = 0, dyAt = 0, rowsAt = 0, sparseAt = 0, list = 0, row = 0]) => {
      for (let r = 0; r < rows; r += 4) {
        const group = [r, r + 1, r + 2, r + 3] as const;
        for (let block = 0; block < filters; block += 8) {
          loops.filterGradientRows(
            xAt, dyAt + 4 * block, batch, outHeight, outWidth, 4 * filters, imageBytes, stride * width * pixel, stride * pixel,
            ...group.map(offset) as [number, number, number, number], ...group.map((row) => rowsAt + 4 * (row * filters + block)) as [number, number, number, number],
          );
        }
      }
      for (let n = 0; n < batch; n++) {
        loops.filterGradientSparse(xAt + n * imageBytes, dyAt + n * dyBytes, sparseAt, outHeight, outWidth, filters, stride * width * pixel, stride * pixel, kernel, width * pixel, kernel * channels, list, row);
      }
    });
    const sparseAsRows = Float32Array.from({ length: rows * filters }, (_, i) => sparse?.[(i % filters) * rows + Math.floor(i / filters)] ?? NaN);
    expect(sparseAsRows).toEqual(dense);
    expect(sparseAsRows.some(Number.isNaN) && sparseAsRows.some((v) => !Number.isNaN(v))).toBe(true);
  });
});

describe('training on wasm', () => {
  it('trains a small CNN through the Trainer on the wasm backend, the loss going down', async () => {
    const spec: ModelSpec = {
      layers: [
        { type: 'conv2d', filters: 6, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' },
        { type: 'maxPooling2d', poolSize: 2, strides: null, padding: 'valid' },
        { type: 'conv2d', filters: 8, kernelSize: 2, strides: 2, padding: 'valid', activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 3, activation: 'softmax', useBias: true },
      ],
      compile: { ...DEFAULT_COMPILE, learningRate: 0.01 },
      fit: { ...DEFAULT_FIT, epochs: 4, batchSize: 20, validationSplit: 0, trainLimit: 200 },
    };
    const events: WorkerEvent[] = [];
    const trainer = new Trainer((event) => events.push(event));
    trainer.addDataset(syntheticDataset());
    await trainer.train({ type: 'train', runId: 'wasm', datasetId: 'synthetic', spec, backend: 'wasm' });
    expect(events.find((e) => e.type === 'runFailed')).toBeUndefined();
    expect(events[0]).toMatchObject({ type: 'runStarted', backend: { name: 'wasm', fallbackReason: null } });
    const losses = events.flatMap((e) => (e.type === 'epoch' ? [e.record.loss] : []));
    expect(losses).toHaveLength(4);
    expect(losses[3]).toBeLessThan((losses[0] ?? 0) * 0.8);
    trainer.disposeRun('wasm');
  });
});

/** C = op(A)·op(B) as a plain loop computes it in float32: each product and each sum rounded, in order. */
function plainProduct(av: Float32Array, bv: Float32Array, [m, k, n]: readonly [number, number, number], transposeA: boolean, transposeB: boolean): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const left = av[transposeA ? p * m + i : i * k + p] ?? NaN;
        const right = bv[transposeB ? j * k + p : p * n + j] ?? NaN;
        sum = Math.fround(sum + Math.fround(left * right));
      }
      out[i * n + j] = sum;
    }
  }
  return out;
}

/**
 * Training kernels for tfjs's wasm backend: the gradient it lacks (Conv2DBackpropFilter) and
 * faster replacements for the slow ones it has (Conv2DBackpropInput, built from its own fast
 * kernels: XNNPACK convolutions, transposes, pads; both convolution gradients, where dy is
 * mostly zeros, as sums over its nonzero values only; single float32 matrix products (BatchMatMul),
 * MaxPoolGrad, Tile, GatherV2, Slice, a bias's Add, ReLU's gradient and leading-axes Sum and Mean,
 * written as loops on its memory, four values at a time where our SIMD module runs
 * (wasmSimd.ts); Identity, which shares memory instead of copying it), all checked against the
 * cpu backend by the tests. Pure tfjs: no DOM, no `self`.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { ADAM_STEP, RMSPROP_STEP, type AdamStepAttrs, type RmspropStepAttrs } from './fusedOptimizers';
import { CORRECT_COUNT, SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from './fusedLoss';
import { backendKernels, findKernel, type Run } from './kernelComposite';
import { pointer, simdLoops, type SimdLoops, type WasmMemoryBackend } from './wasmSimd';

const BACKEND = 'wasm';

type Shape4 = [number, number, number, number];
type KernelArgs = Parameters<KernelFunc>[0];

/**
 * What these kernels use of the wasm backend: one more reference to a tensor's memory,
 * allocating an output, and a typed-array view of a tensor in the module's memory. An allocation can grow
 * that memory and detach earlier views, so views are taken after every allocation.
 */
interface WasmBackend extends WasmMemoryBackend {
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(tensor: TensorInfo): tf.TypedArray;
}

const { original, composite, replace } = backendKernels(BACKEND);

/** The Emscripten module's allocator, which tfjs's wasm backend calls for every tensor it makes. */
interface WasmModule {
  _malloc(bytes: number): number;
  /** The module's whole memory, as a view Emscripten renews when the memory grows. */
  readonly HEAPU8: Uint8Array;
  readonly asm?: { readonly malloc?: (bytes: number) => number };
}

const guardedModules = new WeakSet<object>();

/**
 * Makes every allocation of the wasm backend fail with an out-of-memory error where the
 * module cannot grow. tfjs 4.22's does not fail then: malloc answers 0, or an offset past the
 * memory's end, and the kernel writes its output there, over the module's own memory from
 * address 0 or out of bounds (the next kernel then fails with "memory access out of bounds",
 * or worse, computes on it). Every tensor the backend makes, the outputs of its kernels and
 * ours and the values uploaded to it, is allocated through the module's `_malloc`, so the
 * check goes there, once per module. Its first call would replace `_malloc` with the raw
 * export, so the raw export is what is wrapped.
 */
export function guardWasmMemory(backend: object): void {
  const module = (backend as { readonly wasm?: WasmModule }).wasm;
  const malloc = module?.asm?.malloc;
  if (!module || !malloc || guardedModules.has(module)) return;
  guardedModules.add(module);
  module._malloc = (bytes: number): number => {
    // A request of 4 GB or more would wrap around to a smaller one (malloc takes 32 bits).
    const offset = bytes < 2 ** 32 ? malloc(bytes) >>> 0 : 0;
    // A request that cannot fit can also come back past the memory's end (measured: in 3.2 GB, 2 GB at 3.0 GB).
    if (bytes > 0 && (offset === 0 || offset + bytes > module.HEAPU8.length)) {
      throw new Error(`The WASM backend ran out of memory: no room for ${(bytes / 2 ** 20).toFixed(1)} MB more (WebAssembly holds 4 GB at most).`);
    }
    return offset;
  };
}

/** A new tensor on the module's memory, as `makeOutput` makes it, or an out-of-memory error (guardWasmMemory). */
function allocate(wasm: WasmBackend, shape: number[], dtype: tf.DataType): TensorInfo {
  guardWasmMemory(wasm);
  return wasm.makeOutput(shape, dtype);
}

/**
 * Runs `body`, which fills `outputs` (allocated for it, or added to the list as it allocates
 * them); if it throws, frees them first, so that a kernel which runs out of memory halfway
 * through leaves nothing behind.
 */
function freeOnThrow<T>(wasm: WasmBackend, outputs: readonly TensorInfo[], body: () => T): T {
  try {
    return body();
  } catch (error) {
    for (const t of outputs) wasm.disposeData(t.dataId);
    throw error;
  }
}

const crop = (run: Run, x: TensorInfo, height: number, width: number): TensorInfo =>
  x.shape[1] === height && x.shape[2] === width ? x : run('Slice', { x }, { begin: [0, 0, 0, 0], size: [-1, height, width, -1] });

/**
 * dL/dW of a 2-D convolution (NHWC). The forward pass computes y[n,i,j,o] = Σ x[n, i·s + a − top,
 * j·s + b − left, c] · w[a,b,c,o] over a, b, c, so dW[a,b,c,o] = Σ over n, i, j of
 * x[n, a + i·s − top, b + j·s − left, c] · dy[n,i,j,o]. Read c as a batch, n as the channel and
 * dy as a filter of size Ho × Wo whose taps lie s pixels apart: that is itself a convolution,
 * of x transposed to [C, H, W, N] with dy transposed to [Ho, Wo, N, O], at stride 1 and
 * dilation s, padded by the forward pass's top and left padding. Its [C, kh, kw, O] output
 * (cropped to kh × kw when the forward pass left rows unused) is transposed to [kh, kw, C, O].
 * Filters in eights take our SIMD loops instead (simdFilterGradient), and one input channel
 * its patch matrix, where those cannot run.
 */
function conv2DBackpropFilter({ inputs, attrs, backend }: KernelArgs): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') throw new Error(`The wasm backend's Conv2DBackpropFilter takes NHWC tensors, not ${dataFormat}.`);
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, format);
  const { filterHeight, filterWidth, strideHeight, strideWidth, inHeight, inWidth, outHeight, outWidth, padInfo } = info;
  // Padding below and to the right that makes the output exactly kh × kw, or less than none.
  const bottom = filterHeight + (outHeight - 1) * strideHeight - inHeight - padInfo.top;
  const right = filterWidth + (outWidth - 1) * strideWidth - inWidth - padInfo.left;
  const loops = info.outChannels % 4 === 0 ? simdLoops(backend) : null;
  if (loops && sparseGradient(backend as WasmBackend, loops, dy, x, info)) {
    return sparseFilterGradient(backend as WasmBackend, loops, x, dy, info);
  }
  if (loops && info.outChannels % 8 === 0) return simdFilterGradient(backend as WasmBackend, loops, x, dy, info);
  if (info.inChannels === 1 && filterHeight * filterWidth * info.batchSize * outHeight * outWidth <= MAX_PATCH_VALUES) {
    return singleChannelFilterGradient(backend as WasmBackend, x, dy, info);
  }
  return composite(backend, (run) => {
    const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const explicit = [[0, 0], [padInfo.top, Math.max(0, bottom)], [padInfo.left, Math.max(0, right)], [0, 0]];
    const dW = run('Conv2D', { x: xT, filter: dyT }, { strides: 1, pad: explicit, dataFormat: 'NHWC', dilations: [strideHeight, strideWidth] });
    return run('Transpose', { x: crop(run, dW, filterHeight, filterWidth) }, { perm: [1, 2, 0, 3] });
  });
}

/**
 * dL/dW of a convolution in SIMD (simdKernels.wat, filterGradientRows): dW's rows, one per tap
 * and input channel, four at a time against 8 filters at a time, straight from x (padded when
 * the forward pass padded it) and dy, with no transposed copy of either, for any stride and
 * padding. Node, one thread, in a training step, against the paths below (the patch matrix for
 * one channel, the transposes and dilated convolution for more): Fashion CNN's first layer
 * (64×28×28×1 → 32, 2×2) 0.5 ms against 2.6-4.1; the strongest preset's 3×3 layers at batch
 * 128, 28×28×32 → 32 60 ms against 115, 14×14×64 → 64 81 against 90-95; its one-channel first
 * layer 6 against 20. (Sixteen filters at a time took 69-78 ms on the first of those.)
 */
function simdFilterGradient(wasm: WasmBackend, loops: SimdLoops, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const out = allocate(wasm, [filterHeight, filterWidth, inChannels, outChannels], 'float32');
  wasm.typedArrayFromHeap(out).fill(0);
  return freeOnThrow(wasm, [out], () => composite(wasm, (run) => {
    const image = tapImage(run, x, info);
    const [height, width] = [image.shape[1] ?? 0, image.shape[2] ?? 0];
    // Sums of the rows a group of fewer than four leaves over.
    const spare = run('Fill', {}, { shape: [outChannels], value: 0, dtype: 'float32' });
    const [from, gradient, to, unused] = [pointer(wasm, image), pointer(wasm, dy), pointer(wasm, out), pointer(wasm, spare)];
    const pixelBytes = 4 * inChannels;
    const rows = filterHeight * filterWidth * inChannels;
    // Row r of dW is tap (a, b) = (⌊r / (kw·C)⌋, ⌊r / C⌋ mod kw) and channel c = r mod C: at ((a·W' + b)·C + c)·4 bytes in an image.
    const offset = (r: number): number => (Math.floor(r / (filterWidth * inChannels)) * width + (Math.floor(r / inChannels) % filterWidth)) * pixelBytes + 4 * (r % inChannels);
    const groups = Array.from({ length: Math.ceil(rows / 4) }, (_, g) => {
      const members = [0, 1, 2, 3].map((k) => (4 * g + k < rows ? 4 * g + k : -1));
      return { offsets: members.map((r) => offset(Math.max(r, 4 * g))) as Four, sums: members.map((r) => (r < 0 ? unused : to + 4 * r * outChannels)) };
    });
    const [imageBytes, dyBytes] = [height * width * pixelBytes, outHeight * outWidth * outChannels * 4];
    // Each call's own arguments, the same for every image: dy's block of 8 filters, then the four
    // rows' offsets in an image and where their sums go. Made once, not again for each image (the
    // strongest preset's 14×14×64 layer makes 147,456 calls a step at batch 128).
    const calls = groups.flatMap(({ offsets: [o0, o1, o2, o3], sums: [s0 = unused, s1 = unused, s2 = unused, s3 = unused] }) =>
      Array.from({ length: outChannels / 8 }, (_, b): Call => [32 * b, o0, o1, o2, o3, s0 + 32 * b, s1 + 32 * b, s2 + 32 * b, s3 + 32 * b]),
    );
    const [rowBytes, columnBytes] = [strideHeight * width * pixelBytes, strideWidth * pixelBytes];
    // Image by image: one image's x and dy stay in cache while every group and block passes over
    // them. Passing over the whole batch for each group instead streamed dy from memory up to a
    // hundred times (the strongest preset's 3×3 layers: twice as slow as the path below).
    for (let n = 0; n < batchSize; n++) {
      const [image, dyImage] = [from + n * imageBytes, gradient + n * dyBytes];
      for (const [block, o0, o1, o2, o3, s0, s1, s2, s3] of calls) {
        loops.filterGradientRows(image, dyImage + block, 1, outHeight, outWidth, 4 * outChannels, imageBytes, rowBytes, columnBytes, o0, o1, o2, o3, s0, s1, s2, s3);
      }
    }
    return out;
  }));
}

type Four = [number, number, number, number];

/** One filterGradientRows call's own arguments: dy's block, four rows' offsets, their sums' places. */
type Call = [number, number, number, number, number, number, number, number, number];

/**
 * The share of a convolution's dy, at most, that is not zero for the sparse gradients
 * (sparseFilterGradient, sparseInputGradient) to take it. Behind a 2×2 max pooling at most a
 * quarter of dy is not zero (a window's gradient goes to one pixel), and a ReLU before the
 * pooling zeroes more (Fashion CNN, a batch of 64 in training: 21% for its second convolution,
 * 14% for its first).
 */
const SPARSE_DY_SHARE = 0.35;

/**
 * Whether a convolution's gradient takes the sparse loops: at most SPARSE_DY_SHARE of `dy` not
 * zero, and tap rows of at least 32 values (kw·C), which the loops sum 32 at a time; `other`,
 * the operand the listed values multiply, finite (0·∞ is NaN, and skipping it would hide that);
 * both float32.
 * Node, one thread, at a fifth of dy not zero: 3×3 taps over 8 channels (24 values) and 2×2
 * over 8 (16) took the sparse input gradient 1.0-1.7 times as long as the dense one, and one
 * channel (the first layer's filter gradient) five times.
 */
function sparseGradient(wasm: WasmBackend, loops: SimdLoops, dy: TensorInfo, other: TensorInfo, info: tf.backend_util.Conv2DInfo): boolean {
  if (info.filterWidth * info.inChannels < 32 || dy.dtype !== 'float32' || other.dtype !== 'float32') return false;
  // The loops read dy as the [N, Ho, Wo, O] the convolution makes: a dy of another shape (a
  // conv2dTranspose given the wrong output shape) goes to tfjs's kernels, which say so.
  if (!tf.util.arraysEqual(dy.shape, [info.batchSize, info.outHeight, info.outWidth, info.outChannels])) return false;
  const size = tf.util.sizeFromShape(dy.shape);
  return loops.nonzeroCount(pointer(wasm, dy), size) <= SPARSE_DY_SHARE * size && loops.allFinite(pointer(wasm, other), tf.util.sizeFromShape(other.shape)) === 1;
}

/** Rows above and below, columns left and right, that a convolution's taps reach beyond its input: [top, bottom, left, right], none negative. */
function tapPadding(info: tf.backend_util.Conv2DInfo): Four {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const bottom = Math.max(0, (outHeight - 1) * strideHeight + filterHeight - padInfo.top - inHeight);
  const right = Math.max(0, (outWidth - 1) * strideWidth + filterWidth - padInfo.left - inWidth);
  return [padInfo.top, bottom, padInfo.left, right];
}

/** x padded by the rows and columns its convolution's taps reach beyond it (tapPadding), so that every tap lies inside. */
function tapImage(run: Run, x: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const [top, bottom, left, right] = tapPadding(info);
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
  return run('PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 });
}

/**
 * dL/dW of a convolution whose dy is mostly zeros (SPARSE_DY_SHARE), image by image in SIMD
 * (simdKernels.wat, filterGradientSparse): for each filter, the positions where dy is not zero
 * are listed, and dW's column for that filter sums x's patches at those positions only, one
 * tap row (kw·C values in a row of x) at a time, into dWᵀ [O, kh, kw, C], then transposed.
 * With x finite (checked), each sum is the one filterGradientRows computes, to the bit. Node,
 * one thread, in a training step on real images: Fashion CNN's second convolution (64×13×13×32
 * → 32, 2×2, dy 21% not zero) 1.25 ms against 3.5 for filterGradientRows; the Keras convnet's
 * (128×13×13×32 → 64, 3×3) 3.9 against 60.
 */
function sparseFilterGradient(wasm: WasmBackend, loops: SimdLoops, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  return composite(wasm, (run) => {
    const image = tapImage(run, x, info);
    const width = image.shape[2] ?? 0;
    const sums = run('Fill', {}, { shape: [outChannels, filterHeight, filterWidth, inChannels], value: 0, dtype: 'float32' });
    // Four filters' lists, one entry of 8 bytes per position at most; one filter's sums for an image.
    const list = run('Fill', {}, { shape: [8 * outHeight * outWidth], value: 0, dtype: 'float32' });
    const scratch = run('Fill', {}, { shape: [filterHeight * filterWidth * inChannels], value: 0, dtype: 'float32' });
    const [from, gradient, to, terms, row] = [pointer(wasm, image), pointer(wasm, dy), pointer(wasm, sums), pointer(wasm, list), pointer(wasm, scratch)];
    const pixelBytes = 4 * inChannels;
    const [imageBytes, dyBytes] = [(image.shape[1] ?? 0) * width * pixelBytes, outHeight * outWidth * outChannels * 4];
    for (let n = 0; n < batchSize; n++) {
      loops.filterGradientSparse(
        from + n * imageBytes, gradient + n * dyBytes, to, outHeight, outWidth, outChannels,
        strideHeight * width * pixelBytes, strideWidth * pixelBytes, filterHeight, width * pixelBytes, filterWidth * inChannels, terms, row,
      );
    }
    return run('Transpose', { x: sums }, { perm: [1, 2, 3, 0] });
  });
}

/**
 * dL/dx of a convolution whose dy is mostly zeros (SPARSE_DY_SHARE), image by image in SIMD
 * (simdKernels.wat, inputGradientSparse): each position's filters where dy is not zero are
 * listed, and their filter rows (turned to [O, kh, kw·C]), times dy there, are added to the kw·C
 * values of dx each tap row reaches, in a dx padded as the forward pass padded x, then cropped.
 * For any stride and padding. Node, one thread, in a training step, against the transposed
 * convolution (conv2DBackpropInput): Fashion CNN's second convolution 1.4 ms against 3.2; the
 * Keras convnet's 4.1 against 46.
 */
function sparseInputGradient(wasm: WasmBackend, loops: SimdLoops, dy: TensorInfo, filter: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const [top, bottom, left, right] = tapPadding(info);
  const [height, width] = [top + inHeight + bottom, left + inWidth + right];
  return composite(wasm, (run) => {
    const turned = run('Transpose', { x: filter }, { perm: [3, 0, 1, 2] });
    const sums = run('Fill', {}, { shape: [batchSize, height, width, inChannels], value: 0, dtype: 'float32' });
    const list = run('Fill', {}, { shape: [2 * outChannels], value: 0, dtype: 'float32' });
    const [gradient, w, to, terms] = [pointer(wasm, dy), pointer(wasm, turned), pointer(wasm, sums), pointer(wasm, list)];
    const pixelBytes = 4 * inChannels;
    const [imageBytes, dyBytes] = [height * width * pixelBytes, outHeight * outWidth * outChannels * 4];
    for (let n = 0; n < batchSize; n++) {
      loops.inputGradientSparse(
        gradient + n * dyBytes, w, to + n * imageBytes, outHeight, outWidth, outChannels,
        strideHeight * width * pixelBytes, strideWidth * pixelBytes, filterHeight, width * pixelBytes, filterWidth * inChannels, terms,
      );
    }
    if (height === inHeight && width === inWidth) return sums;
    return run('Slice', { x: sums }, { begin: [0, top, left, 0], size: [-1, inHeight, inWidth, -1] });
  });
}

/** The most values the single-channel filter gradient's patch matrix may hold (64 MB); larger ones take the general path. */
const MAX_PATCH_VALUES = 16 * 1024 * 1024;

/**
 * dL/dW of a convolution over one input channel (a grayscale network's first layer) where the
 * SIMD loops cannot take it (no SIMD, filters not in eights), as one matrix product:
 * dW[a,b,0,o] = Σ over n, i, j of x[n, i·s + a − top, j·s + b − left] · dy[n,i,j,o] is P · dy, where row a·kw + b of the patch matrix P holds that pixel for every
 * position (n, i, j), zero outside the image, and dy is read as [N·Ho·Wo, O]. P is written
 * here; the general path's transpose of x and its convolution with a Ho × Wo filter are not
 * needed. The wasm BatchMatMul repacks its right operand on every call (the dy or P of this
 * step), a few nanoseconds a value, so the product is taken the way that packs the smaller
 * one: P · dy when there are at least as many taps as filters, else (dyᵀ · Pᵀ)ᵀ, which costs
 * a transpose of dy but packs only kh·kw values per position instead of O (Fashion CNN's
 * first layer: 4 instead of 32, 6.3 → 3.1 ms a step).
 */
function singleChannelFilterGradient(wasm: WasmBackend, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo, outChannels } = info;
  const positions = batchSize * outHeight * outWidth;
  const taps = filterHeight * filterWidth;
  const tapsLast = taps < outChannels;
  // P as [taps, positions], or as Pᵀ: [positions, taps].
  const [tapStride, positionStride] = tapsLast ? [1, taps] : [positions, 1];
  const patches = allocate(wasm, tapsLast ? [1, positions, taps] : [1, taps, positions], 'float32');
  try {
    const image = wasm.typedArrayFromHeap(x);
    const p = wasm.typedArrayFromHeap(patches);
    for (let a = 0; a < filterHeight; a++) {
      for (let b = 0; b < filterWidth; b++) {
        const tap = (a * filterWidth + b) * tapStride;
        const left = b - padInfo.left;
        let position = 0;
        for (let n = 0; n < batchSize; n++) {
          for (let i = 0; i < outHeight; i++) {
            const y = i * strideHeight + a - padInfo.top;
            const row = (n * inHeight + y) * inWidth;
            const inside = y >= 0 && y < inHeight;
            for (let j = 0; j < outWidth; j++, position++) {
              const column = j * strideWidth + left;
              p[tap + position * positionStride] = inside && column >= 0 && column < inWidth ? (image[row + column] ?? 0) : 0;
            }
          }
        }
      }
    }
    return composite(wasm, (run) => {
      if (!tapsLast) {
        const product = run('BatchMatMul', { a: patches, b: run('Reshape', { x: dy }, { shape: [1, positions, outChannels] }) }, { transposeA: false, transposeB: false });
        return run('Reshape', { x: product }, { shape: [filterHeight, filterWidth, 1, outChannels] });
      }
      const rows = run('Reshape', { x: dy }, { shape: [positions, outChannels] });
      const columns = run('Reshape', { x: run('Transpose', { x: rows }, { perm: [1, 0] }) }, { shape: [1, outChannels, positions] });
      const product = run('BatchMatMul', { a: columns, b: patches }, { transposeA: false, transposeB: false });
      const perTap = run('Transpose', { x: run('Reshape', { x: product }, { shape: [outChannels, taps] }) }, { perm: [1, 0] });
      return run('Reshape', { x: perTap }, { shape: [filterHeight, filterWidth, 1, outChannels] });
    });
  } finally {
    wasm.disposeData(patches.dataId);
  }
}

/**
 * dL/dx of a 2-D convolution (NHWC), as a forward convolution: spread dy out by the stride
 * (s − 1 zeros between neighbours), pad it by kh − 1 − top above and kw − 1 − left on the
 * left, and correlate it with the filter turned 180° and with its in and out channels
 * swapped. tfjs's own wasm kernel for this is a plain loop, about ten times slower; it
 * still serves what this one does not (NCHW, padding wider than the filter).
 */
function conv2DBackpropInput(args: KernelArgs): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, false, format);
  const { batchSize, filterHeight, filterWidth, strideHeight, strideWidth, inHeight, inWidth, outHeight, outWidth, outChannels, padInfo } = info;
  const top = filterHeight - 1 - padInfo.top;
  const left = filterWidth - 1 - padInfo.left;
  const loops = format === 'channelsLast' ? simdLoops(backend) : null;
  if (loops && sparseGradient(backend as WasmBackend, loops, dy, filter, info)) {
    return sparseInputGradient(backend as WasmBackend, loops, dy, filter, info);
  }
  if (format !== 'channelsLast' || top < 0 || left < 0) return original('Conv2DBackpropInput').kernelFunc(args) as TensorInfo;
  return composite(backend, (run) => {
    let spread = dy;
    if (strideHeight > 1 || strideWidth > 1) {
      const grid = run('Reshape', { x: dy }, { shape: [batchSize, outHeight, 1, outWidth, 1, outChannels] });
      const padded = run('PadV2', { x: grid }, { paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]], constantValue: 0 });
      spread = run('Reshape', { x: padded }, { shape: [batchSize, outHeight * strideHeight, outWidth * strideWidth, outChannels] });
    }
    const turned = run('Transpose', { x: run('Reverse', { x: filter }, { dims: [0, 1] }) }, { perm: [0, 1, 3, 2] });
    const bottom = inHeight + filterHeight - 1 - top - (spread.shape[1] ?? 0);
    const right = inWidth + filterWidth - 1 - left - (spread.shape[2] ?? 0);
    const explicit = [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]];
    const dx = run('Conv2D', { x: spread, filter: turned }, { strides: 1, pad: explicit, dataFormat: 'NHWC', dilations: 1 });
    return crop(run, dx, inHeight, inWidth);
  });
}

/**
 * dL/dx of max pooling, for any window, stride and padding: each window's gradient goes to
 * the pixel that was its maximum, the first one in row-major order on a tie (as on the cpu
 * backend), and overlapping windows add up. One pass over the windows, straight on the
 * module's memory: tfjs's wasm MaxPoolGrad is a generic loop about ten times slower, which
 * made pooling's gradient a third of a Fashion CNN training step. The usual 2×2 windows at
 * stride 2 take a loop of their own, in SIMD where the channels come in fours (Fashion CNN's
 * first pool, Node, one thread: 3.5 ms a step in JavaScript, 1.1 ms in SIMD).
 */
function maxPoolGrad({ inputs, attrs, backend }: KernelArgs): TensorInfo {
  const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output?: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const wasm = backend as WasmBackend;
  const out = allocate(wasm, [...input.shape], 'float32');
  const x = wasm.typedArrayFromHeap(input);
  const gradient = wasm.typedArrayFromHeap(dy);
  const dx = wasm.typedArrayFromHeap(out);
  if (output && filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 && padInfo.top === 0 && padInfo.left === 0 && 2 * outHeight <= inHeight && 2 * outWidth <= inWidth) {
    // Rows and columns that no window reaches (an odd size) get no gradient.
    if (2 * outHeight < inHeight || 2 * outWidth < inWidth) dx.fill(0);
    const loops = inChannels % 4 === 0 ? simdLoops(wasm) : null;
    if (loops) {
      loops.maxPoolGrad2x2(pointer(wasm, input), pointer(wasm, output), pointer(wasm, dy), pointer(wasm, out), batchSize, inHeight, inWidth, inChannels, outHeight, outWidth);
      return out;
    }
    const bits = (values: tf.TypedArray): Int32Array => new Int32Array(values.buffer, values.byteOffset, values.length);
    maxPoolGrad2x2(bits(x), bits(wasm.typedArrayFromHeap(output)), bits(gradient), bits(dx), info);
    return out;
  }
  dx.fill(0);
  const best = new Float32Array(inChannels);
  const at = new Int32Array(inChannels);
  let g = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * strideHeight - padInfo.top;
      const yFrom = Math.max(0, top);
      const yTo = Math.min(inHeight, top + filterHeight);
      for (let ox = 0; ox < outWidth; ox++, g += inChannels) {
        const left = ox * strideWidth - padInfo.left;
        const xFrom = Math.max(0, left);
        const xTo = Math.min(inWidth, left + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let y = yFrom; y < yTo; y++) {
          for (let col = xFrom; col < xTo; col++) {
            const pixel = ((n * inHeight + y) * inWidth + col) * inChannels;
            for (let c = 0; c < inChannels; c++) {
              const value = x[pixel + c] ?? Number.NEGATIVE_INFINITY;
              if (value > (best[c] ?? 0)) {
                best[c] = value;
                at[c] = pixel + c;
              }
            }
          }
        }
        for (let c = 0; c < inChannels; c++) {
          const index = at[c] ?? -1;
          if (index >= 0) dx[index] = (dx[index] ?? 0) + (gradient[g + c] ?? 0);
        }
      }
    }
  }
  return out;
}

/** 1 when two 32-bit words differ, 0 when they are equal, without a branch. */
const differs = (a: number, b: number): number => {
  const d = a ^ b;
  return (d | -d) >>> 31;
};

/**
 * MaxPoolGrad for the 2×2 windows at stride 2 that lie inside the input (every preset's
 * pooling), in JavaScript: where the SIMD module cannot run, or for channels not in fours. The windows do not overlap, so each of a window's four pixels is written once:
 * its gradient goes to the first pixel equal to the window's maximum, the forward pass's
 * output, and the others get zero. All four arrays are read as raw 32-bit words: a pixel is
 * the maximum when its bits equal the output's (the wasm MaxPool copies the maximum, it does
 * not compute it), and masks made from that comparison pick the gradient's bits. Comparing
 * floats and branching on them cost a mispredicted branch per window on real activations
 * (Fashion CNN's first pool: 5.2 → 3.2 ms a step, Node, one thread). Exactly one pixel per
 * window gets the gradient, also where the cpu backend differs: a window of four −∞ gives it
 * to the first pixel (cpu: to none), and a window with a NaN, whose output is not one of its
 * pixels, to the last. A training step with such values has diverged already.
 */
function maxPoolGrad2x2(x: Int32Array, maximum: Int32Array, gradient: Int32Array, dx: Int32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const right = inChannels;
  const below = inWidth * inChannels;
  let g = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, g += inChannels) {
        const corner = ((n * inHeight + 2 * oy) * inWidth + 2 * ox) * inChannels;
        for (let k = 0; k < inChannels; k++) {
          const c = corner + k;
          const m = maximum[g + k] ?? 0;
          const value = gradient[g + k] ?? 0;
          // notA: the top-left pixel is not the maximum, and so on; all-ones masks (−1) pick the gradient.
          const notA = differs(x[c] ?? 0, m);
          const notB = differs(x[c + right] ?? 0, m);
          const notC = differs(x[c + below] ?? 0, m);
          dx[c] = value & (notA - 1);
          dx[c + right] = value & (notB - 1) & -notA;
          dx[c + below] = value & (notC - 1) & -(notA & notB);
          dx[c + below + right] = value & -(notA & notB & notC);
        }
      }
    }
  }
}

/**
 * x repeated `reps[i]` times along each axis i, by block copies on the module's memory. The
 * input is copied to the front of the output, then each axis, innermost first, is expanded in
 * place: every block (the axis and everything inside it) moves to its final offset, last block
 * first so nothing is overwritten before it is moved, and is copied rep − 1 times after itself.
 * tfjs's wasm Tile takes ~0.1 s per BatchNormalization gradient on a 128×28×28×32 batch (it
 * tiles the batch statistics to the input's shape), a third of a training step; this is a
 * few milliseconds.
 */
function tile({ inputs, attrs, backend }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { reps } = attrs as unknown as tf.TileAttrs;
  if (x.dtype === 'string' || x.dtype === 'complex64') return original('Tile').kernelFunc({ inputs, attrs, backend }) as TensorInfo;
  const wasm = backend as WasmBackend;
  const shape = [...x.shape];
  const out = allocate(
    wasm,
    shape.map((d, i) => d * (reps[i] ?? 1)),
    x.dtype,
  );
  const source = wasm.typedArrayFromHeap(x);
  const values = wasm.typedArrayFromHeap(out);
  values.set(source);
  // inner: size of one block of axis `axis`'s inner axes, those already expanded.
  let inner = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const dim = shape[axis] ?? 1;
    const rep = reps[axis] ?? 1;
    const block = dim * inner;
    if (rep > 1) {
      const outer = tf.util.sizeFromShape(shape.slice(0, axis));
      for (let o = outer - 1; o >= 0; o--) {
        const to = o * block * rep;
        if (o > 0) values.copyWithin(to, o * block, o * block + block);
        for (let r = 1; r < rep; r++) values.copyWithin(to + r * block, to, to + block);
      }
    }
    inner = block * rep;
  }
  return out;
}

/**
 * Gather of whole slices (batchDims 0), each index's slice along `axis` one block copy on the
 * module's memory: a training batch's images from the uploaded training set, its labels, a
 * validation pass's slices. tfjs's wasm GatherV2 works out every value's place anew: 3.8 ms
 * for a batch of 128 MNIST images, half of a quickstart training step (Node, one thread);
 * this is a few hundredths of that. An index outside the axis goes to tfjs's kernel, which
 * says which one; so do other dtypes and batch dimensions.
 */
function gatherV2(args: KernelArgs): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
  const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
  const wasm = backend as WasmBackend;
  const [along = 0] = tf.util.parseAxisParam(axis, x.shape);
  const dim = x.shape[along] ?? 0;
  const ours = batchDims === 0 && indices.dtype === 'int32' && x.dtype !== 'string' && x.dtype !== 'complex64';
  if (!ours || !wasm.typedArrayFromHeap(indices).every((i) => i >= 0 && i < dim)) return original('GatherV2').kernelFunc(args) as TensorInfo;
  const out = allocate(wasm, [...x.shape.slice(0, along), ...indices.shape, ...x.shape.slice(along + 1)], x.dtype);
  const source = wasm.typedArrayFromHeap(x);
  const positions = wasm.typedArrayFromHeap(indices);
  const target = wasm.typedArrayFromHeap(out);
  const bytes = new Uint8Array(target.buffer);
  const slice = source.BYTES_PER_ELEMENT * tf.util.sizeFromShape(x.shape.slice(along + 1));
  const outer = tf.util.sizeFromShape(x.shape.slice(0, along));
  let to = target.byteOffset;
  for (let o = 0; o < outer; o++) {
    const block = source.byteOffset + o * dim * slice;
    for (const i of positions) {
      bytes.copyWithin(to, block + i * slice, block + (i + 1) * slice);
      to += slice;
    }
  }
  return out;
}

/**
 * Slice, as block copies on the module's memory: one copy where the slice's values are
 * contiguous (a validation or test batch cut from a dataset along its first axis), else one per
 * run along the last axis. tfjs's wasm Slice first copies its whole input out of the module
 * (readSync) and then the slice from that copy: 188 MB for each validation batch of 500 cut
 * from MNIST's uploaded training set, which was a third of a WASM worker's time in a
 * quickstart run with a validation split (Chromium, V8's profiler). Strings go to tfjs's kernel.
 */
function slice({ inputs, attrs, backend }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { begin, size } = attrs as unknown as tf.SliceAttrs;
  if (x.dtype === 'string') return original('Slice').kernelFunc({ inputs, attrs, backend }) as TensorInfo;
  const wasm = backend as WasmBackend;
  const [start = [], extent = []] = tf.slice_util.parseSliceParams(x, begin, size);
  const out = allocate(wasm, extent, x.dtype);
  const [source, target] = [wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(out)];
  const bytes = new Uint8Array(target.buffer);
  const unit = source.BYTES_PER_ELEMENT;
  const strides = tf.util.computeStrides(x.shape);
  const copy = (from: number, to: number, count: number): void => {
    bytes.copyWithin(target.byteOffset + to * unit, source.byteOffset + from * unit, source.byteOffset + (from + count) * unit);
  };
  if (tf.slice_util.isSliceContinous(x.shape, start, extent)) {
    copy(tf.slice_util.computeFlatOffset(start, strides), 0, target.length);
    return out;
  }
  const last = extent.length - 1;
  const run = extent[last] ?? 0;
  // Each run's place in the input: the outer axes' indices, counted like an odometer.
  const at = extent.slice(0, last).map(() => 0);
  for (let to = 0; to < target.length; to += run) {
    copy(at.reduce((from, index, axis) => from + ((start[axis] ?? 0) + index) * (strides[axis] ?? 0), start[last] ?? 0), to, run);
    for (let axis = last - 1; axis >= 0; axis--) {
      const next = (at[axis] ?? 0) + 1;
      at[axis] = next < (extent[axis] ?? 0) ? next : 0;
      if (at[axis] !== 0) break;
    }
  }
  return out;
}

/** What packing one value of a product's right operand costs, in transposed values (measured: ~3 ns against ~1.5 ns). */
const PACK_COST = 2;

/** A tensor with its last two axes swapped (each of a batch of matrices transposed), by the backend's own Transpose. */
function transposeLast(run: Run, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const perm = t.shape.map((_, i) => i);
  perm.splice(-2, 2, rank - 1, rank - 2);
  return run('Transpose', { x: t }, { perm });
}

/**
 * Matrix products. A single float32 product (no batch) is our SIMD loop's (simdMatMul);
 * others go to tfjs's wasm BatchMatMul, which is five to ten times slower on transposed
 * operands than on plain ones, so those are taken as plain products of transposed copies.
 * XNNPACK packs the right operand anew whenever it is a new tensor, as every gradient is; C =
 * A·B can also be taken as (Bᵀ·Aᵀ)ᵀ, which packs A instead of B and transposes other
 * operands. The cheaper way is chosen by counting the values transposed and packed.
 */
function batchMatMul(args: KernelArgs): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const dim = (t: TensorInfo, fromEnd: 1 | 2): number => t.shape[t.shape.length - fromEnd] ?? 1;
  // op(A) is M × K, op(B) is K × N.
  const [m, k] = transposeA ? [dim(a, 1), dim(a, 2)] : [dim(a, 2), dim(a, 1)];
  const n = transposeB ? dim(b, 2) : dim(b, 1);
  const single = tf.util.sizeFromShape(a.shape.slice(0, -2)) === 1 && tf.util.sizeFromShape(b.shape.slice(0, -2)) === 1;
  // Operands that do not make a product (ranks below 2, inner sizes that differ) go to tfjs's kernel, which says why.
  const valid = a.shape.length >= 2 && b.shape.length >= 2 && (transposeB ? dim(b, 1) : dim(b, 2)) === k;
  const loops = valid && single && m * k * n > 0 && a.dtype === 'float32' && b.dtype === 'float32' ? simdLoops(backend) : null;
  if (loops) return simdMatMul(backend as WasmBackend, loops, { a, b, transposeA, transposeB }, [m, k, n]);
  if (!transposeA && !transposeB) return original('BatchMatMul').kernelFunc(args) as TensorInfo;
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + PACK_COST * k * n;
  const swapped = (transposeA ? 0 : m * k) + (transposeB ? 0 : k * n) + m * n + PACK_COST * k * m;
  return composite(backend, (run) => {
    const plain = (t: TensorInfo, transposed: boolean): TensorInfo => (transposed ? transposeLast(run, t) : t);
    if (!single || direct <= swapped) {
      return run('BatchMatMul', { a: plain(a, transposeA), b: plain(b, transposeB) }, { transposeA: false, transposeB: false });
    }
    const product = run('BatchMatMul', { a: plain(b, !transposeB), b: plain(a, !transposeA) }, { transposeA: false, transposeB: false });
    return transposeLast(run, product);
  });
}

/**
 * A single float32 product C = op(A)·op(B) [M × K by K × N] on our SIMD loop, which reads B
 * as stored ([K, N]) and A either way round, so a forward pass x·W (where tfjs does not fuse
 * it with the bias: a Dense layer with an activation, in training) and a weight gradient
 * xᵀ·dy need no copies; in a training step it is about 1.5 times as fast as XNNPACK packing
 * a new right operand (Node, 128×784 by 784×128: 0.80 against 1.27 ms). A transposed B (an
 * input gradient dy·Wᵀ) is transposed first, or the product is taken as Cᵀ = B·op(A)ᵀ and
 * transposed back, whichever moves fewer values. A left operand that is mostly zeros (a batch
 * of images, ReLU outputs) is summed over its terms that are not zero only (SPARSE_SHARE).
 * Every value is the float32 sum of its products in order, as a plain loop computes it.
 */
function simdMatMul(wasm: WasmBackend, loops: SimdLoops, operands: MatMulOperands, [m, k, n]: readonly [number, number, number]): TensorInfo {
  const { a, b, transposeA, transposeB } = operands;
  const lead = (a.shape.length >= b.shape.length ? a : b).shape.slice(0, -2);
  // left (rows × K, stored transposed or not) times right (K × columns, stored as that).
  const product = (left: TensorInfo, leftTransposed: boolean, right: TensorInfo, rows: number, columns: number): TensorInfo => {
    const out = allocate(wasm, [...lead, rows, columns], 'float32');
    const [rowStep, columnStep] = leftTransposed ? [4, 4 * rows] : [4 * k, 4];
    const [l, r, o] = [pointer(wasm, left), pointer(wasm, right), pointer(wasm, out)];
    return freeOnThrow(wasm, [out], () => {
      const share = leftTransposed ? SPARSE_SHARE.transposed : SPARSE_SHARE.inOrder;
      if (loops.nonzeroCount(l, rows * k) > share * rows * k || loops.allFinite(r, k * columns) === 0) {
        loops.matMul(l, r, o, rows, k, columns, rowStep, columnStep);
        return out;
      }
      // Four rows' lists of terms, K entries of 8 bytes each at most.
      const list = allocate(wasm, [8 * k], 'float32');
      try {
        loops.matMulSparse(l, r, o, rows, k, columns, rowStep, columnStep, pointer(wasm, list));
      } finally {
        wasm.disposeData(list.dataId);
      }
      return out;
    });
  };
  if (!transposeB) return product(a, transposeA, b, m, n);
  return composite(wasm, (run) => {
    if (k * n <= (transposeA ? 0 : m * k) + m * n) return product(a, transposeA, transposeLast(run, b), m, n);
    const cT = product(b, false, transposeA ? a : transposeLast(run, a), n, m);
    try {
      return transposeLast(run, cT);
    } finally {
      wasm.disposeData(cT.dataId);
    }
  });
}

/**
 * The share of a product's left operand, at most, that is not zero for matMulSparse to take
 * it (it lists each row's terms and sums over those only), for a left operand stored in order
 * (a forward pass x·W) and transposed (a weight gradient xᵀ·dy, read four rows at a time).
 * Measured in Node on 128×784 by 784×128: on a batch of MNIST images (a fifth not zero) each
 * takes a third of matMul's time; with half not zero at random places, the forward pass 1.05
 * of it and the gradient 0.65; seven tenths, 1.15 and 0.75 (Fashion-MNIST's images, half not
 * zero in one batch of 128 and a little more in the next, 0.9 and 0.65).
 */
const SPARSE_SHARE = { inOrder: 0.4, transposed: 0.6 } as const;

/** A BatchMatMul's operands, as its inputs and attrs give them. */
interface MatMulOperands {
  readonly a: TensorInfo;
  readonly b: TensorInfo;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/**
 * Sum or Mean over the leading axes — a BatchNormalization's batch statistics and their
 * gradients, the gradients of biases — read as [rows, C] and added up row by row on the
 * module's memory, four rows per step into float64 accumulators. tfjs's wasm Sum and Mean
 * first transpose the reduced axes to the end: about 12 ms for a 128×28×28×32 batch, 16 of
 * them per training step of our strongest preset (a fifth of the step); this is 2–3 ms, and
 * in SIMD, for columns in fours, eight rows at a time in float32 before float64 (Fashion CNN's
 * first bias gradient, 64×27×27×32, Node: 1.5 ms in JavaScript, 0.3 ms in SIMD).
 * Other reductions, and other dtypes, go to tfjs's own kernels.
 */
function leadingAxesReduction(name: 'Sum' | 'Mean'): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const columns = tf.util.sizeFromShape(x.shape.slice(axes.length));
    if (!leading || x.dtype !== 'float32' || columns === 0) return original(name).kernelFunc(args);
    const wasm = backend as WasmBackend;
    const out = allocate(wasm, keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length), 'float32');
    // The mean of no rows is 0, as on the cpu backend (tfjs's wasm Mean leaves its output unwritten).
    const scale = name === 'Mean' && rows > 0 ? 1 / rows : 1;
    const loops = columns % 4 === 0 ? simdLoops(wasm) : null;
    if (loops) {
      return freeOnThrow(wasm, [out], () => {
        // float64 accumulators: two float32 slots each.
        const scratch = allocate(wasm, [2 * columns], 'float32');
        try {
          loops.sumRows(pointer(wasm, x), pointer(wasm, out), pointer(wasm, scratch), rows, columns, scale);
        } finally {
          wasm.disposeData(scratch.dataId);
        }
        return out;
      });
    }
    const v = wasm.typedArrayFromHeap(x);
    const sums = new Float64Array(columns);
    const [c1, c2, c3, c4] = [columns, 2 * columns, 3 * columns, 4 * columns];
    let row = 0;
    let offset = 0;
    for (; row + 4 <= rows; row += 4, offset += c4) {
      for (let c = 0; c < columns; c++) {
        const i = offset + c;
        sums[c] = (sums[c] ?? 0) + ((v[i] ?? 0) + (v[i + c1] ?? 0)) + ((v[i + c2] ?? 0) + (v[i + c3] ?? 0));
      }
    }
    for (; row < rows; row++, offset += columns) {
      for (let c = 0; c < columns; c++) sums[c] = (sums[c] ?? 0) + (v[offset + c] ?? 0);
    }
    const result = wasm.typedArrayFromHeap(out);
    for (let c = 0; c < columns; c++) result[c] = (sums[c] ?? 0) * scale;
    return out;
  };
}

/**
 * Add, where one operand is a bias: a vector of the other's last axis (a Conv2D's bias added
 * at every pixel, a Dense layer's to every row), float32, in fours, in SIMD. tfjs's wasm Add
 * broadcasts value by value: 1.2 ms on a 64×27×27×32 batch (Fashion CNN's first layer), this
 * 0.45 ms. Every other Add goes to tfjs's kernel.
 */
function add(args: KernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const [x, bias] = a.shape.length >= b.shape.length ? [a, b] : [b, a];
  const columns = bias.shape[0] ?? 0;
  const isBias = bias.shape.length === 1 && x.shape.length > 1 && x.shape[x.shape.length - 1] === columns && columns % 4 === 0;
  const loops = isBias && a.dtype === 'float32' && b.dtype === 'float32' ? simdLoops(backend) : null;
  if (!loops) return original('Add').kernelFunc(args) as TensorInfo;
  const wasm = backend as WasmBackend;
  const out = allocate(wasm, [...x.shape], 'float32');
  loops.addBias(pointer(wasm, x), pointer(wasm, bias), pointer(wasm, out), tf.util.sizeFromShape(x.shape) / columns, columns);
  return out;
}

/** Our kernel for ReLU's gradient, which tfjs writes as three: dy · float(step(x)). */
const RELU_GRAD = 'PlaygroundReluGrad';

/**
 * dL/dx of ReLU, dy where x > 0 and 0 elsewhere, in one SIMD pass instead of tfjs's Step,
 * Cast and Multiply (three passes: 1.7 ms on Fashion CNN's first layer, this 0.6 ms). Where
 * the SIMD module cannot run, those three. Where x ≤ 0 this gives +0, and tfjs's product
 * −0 for a negative dy (equal values); a NaN in x gives 0 here, NaN in tfjs's: a step that
 * meets one has diverged already. (The exact form, dy times a step of 1, 0 or NaN, ran as fast
 * in Node 20 but trained the Fashion CNN 25% slower in Chromium 150, cause not found; taken out.)
 */
function reluGrad({ inputs, backend }: KernelArgs): TensorInfo {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const loops = dy.dtype === 'float32' && x.dtype === 'float32' ? simdLoops(backend) : null;
  if (!loops) {
    return composite(backend, (run) => run('Multiply', { a: dy, b: run('Cast', { x: run('Step', { x }, { alpha: 0 }) }, { dtype: 'float32' }) }));
  }
  const wasm = backend as WasmBackend;
  const out = allocate(wasm, [...dy.shape], 'float32');
  loops.reluGrad(pointer(wasm, dy), pointer(wasm, x), pointer(wasm, out), tf.util.sizeFromShape(dy.shape));
  return out;
}

/**
 * ReLU's gradient, as registered for every backend: our one kernel on wasm, tfjs's own
 * gradient (its three kernels) on the others.
 */
function reluGradient(reference: GradConfig): GradConfig {
  return {
    ...reference,
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() !== BACKEND) return reference.gradFunc(dy, saved, attrs);
      const [x] = saved;
      return { x: () => tf.engine().runKernel<tf.Tensor>(RELU_GRAD, { dy: dy as tf.Tensor, x: x as tf.Tensor }) };
    },
  };
}

/** A JavaScript number rounded to float32, as each float32 operation rounds its result. */
const float32 = Math.fround;

/**
 * One Adam step of one weight (fusedOptimizers.ts, ADAM_STEP): one SIMD pass where tfjs's
 * AdamOptimizer makes 13, with the same float32 operations in the same order. The attrs'
 * numbers are rounded to float32 as tfjs's scalar tensors hold them. Where the SIMD module
 * cannot run, the same operations one value at a time.
 */
function adamStep({ inputs, attrs, backend }: KernelArgs): TensorInfo[] {
  const { beta1, beta2, c1, c2, epsilon, learningRate } = attrs as unknown as AdamStepAttrs;
  const numbers = [float32(beta1), float32(1 - beta1), float32(beta2), float32(1 - beta2), float32(c1), float32(c2), float32(epsilon), float32(-learningRate)] as const;
  return optimizerStep(backend as WasmBackend, inputs, ['m', 'v'], (loops, p) => loops.adamStep(...p, ...numbers), (w, g, m, v, next) => {
    const [b1, rest1, b2, rest2, k1, k2, eps, negativeRate] = numbers;
    const m1 = float32(float32(m * b1) + float32(g * rest1));
    const v1 = float32(float32(v * b2) + float32(float32(g * g) * rest2));
    const step = float32(float32(m1 / k1) / float32(float32(Math.sqrt(float32(v1 / k2))) + eps));
    next[0] = float32(float32(step * negativeRate) + w);
    next[1] = m1;
    next[2] = v1;
  });
}

/** One RMSprop step of one weight (fusedOptimizers.ts, RMSPROP_STEP), as adamStep is Adam's: 9 of tfjs's passes in one. */
function rmspropStep({ inputs, attrs, backend }: KernelArgs): TensorInfo[] {
  const { decay, momentum, epsilon, learningRate } = attrs as unknown as RmspropStepAttrs;
  const numbers = [float32(decay), float32(1 - decay), float32(momentum), float32(epsilon), float32(learningRate)] as const;
  return optimizerStep(backend as WasmBackend, inputs, ['ms', 'mom'], (loops, p) => loops.rmspropStep(...p, ...numbers), (w, g, s, p, next) => {
    const [rho, rest, mu, eps, rate] = numbers;
    const s1 = float32(float32(s * rho) + float32(float32(g * g) * rest));
    const p1 = float32(float32(p * mu) + float32(float32(g * rate) / float32(Math.sqrt(float32(s1 + eps)))));
    next[0] = float32(w - p1);
    next[1] = s1;
    next[2] = p1;
  });
}

/** Byte offsets of an optimizer step's weight, gradient, two slots, and their three outputs, then the weight's size. */
type StepPointers = [number, number, number, number, number, number, number, number];
/** One value's step: the new weight and slots from the weight, gradient and slots, written into `next`. */
type StepEach = (w: number, g: number, a: number, b: number, next: Float64Array) => void;

/**
 * An optimizer step's outputs (the new weight and its two slots): `simd` on our loops, or
 * `each` value by value (float32 operations, as Math.fround rounds them) where they cannot run,
 * writing the new weight and slots into `next`, one array for the whole pass.
 */
function optimizerStep(
  wasm: WasmBackend,
  inputs: KernelArgs['inputs'],
  slotNames: readonly [string, string],
  simd: (loops: SimdLoops, pointers: StepPointers) => void,
  each: StepEach,
): TensorInfo[] {
  const ins = [inputs.value, inputs.gradient, inputs[slotNames[0]], inputs[slotNames[1]]] as TensorInfo[];
  const outputs: TensorInfo[] = [];
  return freeOnThrow(wasm, outputs, () => {
    for (const t of ins.filter((_, i) => i !== 1)) outputs.push(allocate(wasm, [...t.shape], 'float32'));
    const count = tf.util.sizeFromShape(ins[0]?.shape ?? []);
    const loops = simdLoops(wasm);
    if (loops) simd(loops, [...[...ins, ...outputs].map((t) => pointer(wasm, t)), count] as StepPointers);
    else stepEach(wasm, ins, outputs, count, each);
    return outputs;
  });
}

/** optimizerStep's loop where the SIMD module cannot run: the same operations, a value at a time. */
function stepEach(wasm: WasmBackend, ins: readonly TensorInfo[], outputs: readonly TensorInfo[], count: number, each: StepEach): void {
  const [w, g, a, b] = ins.map((t) => wasm.typedArrayFromHeap(t));
  const [w1, a1, b1] = outputs.map((t) => wasm.typedArrayFromHeap(t)) as [Float32Array, Float32Array, Float32Array];
  const next = new Float64Array(3);
  for (let i = 0; i < count; i++) {
    each(w?.[i] ?? 0, g?.[i] ?? 0, a?.[i] ?? 0, b?.[i] ?? 0, next);
    w1[i] = next[0] ?? 0;
    a1[i] = next[1] ?? 0;
    b1[i] = next[2] ?? 0;
  }
}

/**
 * Identity as the cpu and WebGL backends do it: the same memory, one more reference. tfjs
 * clones every tensor the gradient tape saves (each layer's inputs and outputs), and the wasm
 * Identity copied each one: 40 copies of 6–13 MB per training step of our strongest preset.
 * No kernel writes into its inputs, so sharing is safe, as it is for the wasm Reshape.
 */
function identity({ inputs, backend }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype === 'string') return original('Identity').kernelFunc({ inputs, attrs: {}, backend }) as TensorInfo;
  (backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Each row of `logits`' max, and the sum of exp(logit − max) in order: a log-softmax's parts, each value rounded to float32 as tfjs's kernels round it. */
/** A row's max, and Σ exp(z − max) in float32; each exp(z − max) is written to `exps` where given. */
function softmaxParts(z: Float32Array, row: number, classes: number, exps?: Float32Array): { readonly max: number; readonly sum: number } {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < classes; c++) max = Math.max(max, z[row + c] ?? 0);
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    const e = float32(Math.exp(float32((z[row + c] ?? 0) - max)));
    if (exps) exps[c] = e;
    sum = float32(sum + e);
  }
  return { max, sum };
}

/**
 * Cross-entropy from logits against class indices (fusedLoss.ts): −(z[label] − max − log Σ
 * exp(z − max)) for each row, the stable log-softmax tfjs composes, in one pass. A row of
 * [batch, classes] is a few values: JavaScript, not SIMD. A NaN logit gives a NaN loss, as
 * tfjs's does, for the divergence check.
 */
function softmaxCrossEntropy({ inputs, backend }: KernelArgs): TensorInfo {
  const { logits, labels } = inputs as { logits: TensorInfo; labels: TensorInfo };
  const wasm = backend as WasmBackend;
  const [rows = 0, classes = 0] = logits.shape;
  // Allocated first: growing the module's memory detaches the views taken before it.
  const out = allocate(wasm, [rows], 'float32');
  const z = wasm.typedArrayFromHeap(logits) as Float32Array;
  const y = wasm.typedArrayFromHeap(labels);
  const loss = wasm.typedArrayFromHeap(out) as Float32Array;
  for (let r = 0; r < rows; r++) {
    const row = r * classes;
    const { max, sum } = softmaxParts(z, row, classes);
    loss[r] = -float32(float32((z[row + (y[r] ?? 0)] ?? 0) - max) - float32(Math.log(sum)));
  }
  return out;
}

/** The gradient of softmaxCrossEntropy: dy[b] · (softmax(z)[b, c] − 1 for the label's class, 0 for the others). */
function softmaxCrossEntropyGrad({ inputs, backend }: KernelArgs): TensorInfo {
  const { dy, logits, labels } = inputs as { dy: TensorInfo; logits: TensorInfo; labels: TensorInfo };
  const wasm = backend as WasmBackend;
  const [rows = 0, classes = 0] = logits.shape;
  const out = allocate(wasm, [rows, classes], 'float32');
  const z = wasm.typedArrayFromHeap(logits) as Float32Array;
  const y = wasm.typedArrayFromHeap(labels);
  const d = wasm.typedArrayFromHeap(dy);
  const gradient = wasm.typedArrayFromHeap(out) as Float32Array;
  // Each row's exps, taken once for its sum and its probabilities (Math.exp was most of this kernel).
  const exps = new Float32Array(classes);
  for (let r = 0; r < rows; r++) {
    const row = r * classes;
    const { sum } = softmaxParts(z, row, classes, exps);
    const label = y[r] ?? 0;
    for (let c = 0; c < classes; c++) {
      const p = float32((exps[c] ?? 0) / sum);
      gradient[row + c] = float32((d[r] ?? 0) * float32(p - (c === label ? 1 : 0)));
    }
  }
  return out;
}

/**
 * The batch's count of right answers (fusedLoss.ts): each row's first highest score, as
 * tfjs's ArgMax takes it (a later score counts only if it is greater, so a row that starts
 * with NaN answers class 0), against its label. One pass over [batch, classes].
 */
function correctCountKernel({ inputs, backend }: KernelArgs): TensorInfo {
  const { scores, labels } = inputs as { scores: TensorInfo; labels: TensorInfo };
  const wasm = backend as WasmBackend;
  const [rows = 0, classes = 0] = scores.shape;
  const out = allocate(wasm, [], 'int32');
  const z = wasm.typedArrayFromHeap(scores);
  const y = wasm.typedArrayFromHeap(labels);
  let right = 0;
  for (let r = 0, row = 0; r < rows; r++, row += classes) {
    let best = 0;
    let max = z[row] ?? 0;
    for (let c = 1; c < classes; c++) {
      const value = z[row + c] ?? 0;
      if (value > max) {
        max = value;
        best = c;
      }
    }
    if (best === y[r]) right++;
  }
  wasm.typedArrayFromHeap(out)[0] = right;
  return out;
}

/** Kernels that the wasm backend lacks. */
const ADDED = {
  Conv2DBackpropFilter: conv2DBackpropFilter,
  [RELU_GRAD]: reluGrad,
  [ADAM_STEP]: adamStep,
  [RMSPROP_STEP]: rmspropStep,
  [SOFTMAX_CROSS_ENTROPY]: softmaxCrossEntropy,
  [SOFTMAX_CROSS_ENTROPY_GRAD]: softmaxCrossEntropyGrad,
  [CORRECT_COUNT]: correctCountKernel,
} as const satisfies Record<string, KernelFunc>;
/** Kernels that replace slow ones of the wasm backend (and fall back to them where they must). */
const REPLACED = {
  Conv2DBackpropInput: conv2DBackpropInput,
  MaxPoolGrad: maxPoolGrad,
  BatchMatMul: batchMatMul,
  Tile: tile,
  GatherV2: gatherV2,
  Slice: slice,
  Add: add,
  Sum: leadingAxesReduction('Sum'),
  Mean: leadingAxesReduction('Mean'),
  Identity: identity,
} as const satisfies Record<string, KernelFunc>;

/** The ReLU gradients registered here, so that a second call does not wrap the first. */
const reluGradients = new WeakSet<GradConfig['gradFunc']>();

/**
 * Adds the training kernels to the wasm backend (registered by importing
 * `@tensorflow/tfjs-backend-wasm`); call before training on it. Later calls do nothing.
 */
export function registerWasmKernels(): void {
  for (const [name, kernelFunc] of Object.entries(REPLACED)) replace(name, kernelFunc);
  for (const [name, kernelFunc] of Object.entries(ADDED)) {
    if (!findKernel(name, BACKEND)) tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc });
  }
  const relu = tf.getGradient('Relu');
  if (!reluGradients.has(relu.gradFunc)) {
    const ours = reluGradient(relu);
    reluGradients.add(ours.gradFunc);
    tf.registerGradient(ours);
  }
}

/**
 * The convolution filter gradient for tfjs's webgl backend, shaped for a GPU. Pure tfjs: no
 * DOM, no `self`; checked against the cpu backend by the tests.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { backendKernels, type BackendKernels } from './kernelComposite';

type Shape4 = [number, number, number, number];

/**
 * dL/dW of a 2-D convolution (NHWC): dW[a,b,c,o] = Σ over n, i, j of
 * x[n, i·s + a − top, j·s + b − left, c] · dy[n,i,j,o]. For one tap (a, b), the pixels it
 * meets are x padded as the forward pass padded it and sampled every s pixels from (a, b):
 * x_ab, read as [N, Ho·Wo, C]. Then dW[a,b] = Σ over n of x_ab[n]ᵀ · dy[n], a batched matrix
 * product with one C × O result per image, summed over the batch at the end.
 *
 * tfjs's own WebGL kernel gives each of the kh·kw·C·O weights one shader invocation that
 * loops over all N·Ho·Wo positions: 100,352 steps for a 28×28 layer at batch 128, on 288
 * invocations for a first layer and 9,216 for a 32 → 32 one. A GPU runs tens of thousands of
 * invocations at once, so it sat mostly idle on a few long loops; our strongest preset trained
 * at 430 samples/s on an H100. Here each product has N·C·O results of Ho·Wo steps each. A tap's
 * pixels (a copy of x) are freed once its product is taken, so one copy is held at a time.
 */
export function filterGradientByTaps(kernels: BackendKernels): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
    if (format !== 'channelsLast') return kernels.original('Conv2DBackpropFilter').kernelFunc({ inputs, attrs, backend });
    const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, format);
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
    return kernels.composite(backend, (run, free) => {
      // The last tap's last sample lies filter − 1 + (out − 1)·stride into the padded image;
      // the forward pass's bottom and right padding may reach less far (then rows go unused) or further.
      const bottom = Math.max(0, filterHeight + (outHeight - 1) * strideHeight - inHeight - padInfo.top);
      const right = Math.max(0, filterWidth + (outWidth - 1) * strideWidth - inWidth - padInfo.left);
      const padded =
        padInfo.top + bottom + padInfo.left + right === 0
          ? x
          : run('PadV2', { x }, { paddings: [[0, 0], [padInfo.top, bottom], [padInfo.left, right], [0, 0]], constantValue: 0 });
      const positions = outHeight * outWidth;
      const gradient = run('Reshape', { x: dy }, { shape: [batchSize, positions, outChannels] });
      const perTap: TensorInfo[] = [];
      for (let a = 0; a < filterHeight; a++) {
        for (let b = 0; b < filterWidth; b++) {
          const end = [batchSize, a + (outHeight - 1) * strideHeight + 1, b + (outWidth - 1) * strideWidth + 1, inChannels];
          const masks = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 };
          const sampled = run('StridedSlice', { x: padded }, { begin: [0, a, b, 0], end, strides: [1, strideHeight, strideWidth, 1], ...masks });
          const pixels = run('Reshape', { x: sampled }, { shape: [batchSize, positions, inChannels] });
          perTap.push(run('BatchMatMul', { a: pixels, b: gradient }, { transposeA: true, transposeB: false }));
          free(pixels);
          free(sampled);
        }
      }
      // [N, kh·kw·C, O], tap by tap, then summed over the images: the filter's [kh, kw, C, O] order.
      const stacked = perTap.length === 1 && perTap[0] ? perTap[0] : run('Concat', perTap as unknown as NamedTensorInfoMap, { axis: 1 });
      const summed = run('Sum', { x: stacked }, { axis: [0], keepDims: false });
      return run('Reshape', { x: summed }, { shape: [filterHeight, filterWidth, inChannels, outChannels] });
    });
  };
}

/**
 * Replaces the webgl backend's Conv2DBackpropFilter (registered by importing
 * `@tensorflow/tfjs-backend-webgl`); call before training on it. Later calls do nothing.
 */
export function registerWebglKernels(): void {
  WEBGL.replace('Conv2DBackpropFilter', filterGradientByTaps(WEBGL));
}

const WEBGL = backendKernels('webgl');

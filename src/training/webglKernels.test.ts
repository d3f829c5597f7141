import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendKernels, findKernel } from './kernelComposite';
import { CONV_CASES, convGrads, convOutShape, on, relativeError, values } from './gradientCases';
import { filterGradientByTaps, registerWebglKernels } from './webglKernels';

/**
 * The webgl filter gradient is built from kernels every backend has (pads, strided slices,
 * batched products, sums), so the tests run it on the cpu backend's kernels and compare it
 * with the cpu backend's own Conv2DBackpropFilter (through tf.grads) on random inputs.
 */
const cpu = backendKernels('cpu');
const byTaps = filterGradientByTaps(cpu);

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

/** dL/dW by the tap-by-tap kernel, on the cpu backend's kernels. */
function tapGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: number, pad: 'valid' | 'same'): tf.Tensor {
  const info = byTaps({ inputs: { x, dy }, attrs: { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape } as unknown as tf.NamedAttrMap, backend: tf.backend() });
  return tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo);
}

describe('webgl filter gradient, tap by tap', () => {
  it('replaces the webgl backend\'s Conv2DBackpropFilter, once', () => {
    // Importing tfjs registers the webgl kernels in Node too, though no WebGL runs here.
    const before = findKernel('Conv2DBackpropFilter', 'webgl')?.kernelFunc;
    registerWebglKernels();
    const after = findKernel('Conv2DBackpropFilter', 'webgl')?.kernelFunc;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    registerWebglKernels();
    expect(findKernel('Conv2DBackpropFilter', 'webgl')?.kernelFunc).toBe(after);
  });

  it.each(CONV_CASES)('matches the cpu backend: $kernel×$kernel, stride $stride, $padding, $size.0×$size.1×$inChannels → $outChannels', async (c) => {
    const outShape = convOutShape(c);
    const x = values(c.batch * c.size[0] * c.size[1] * c.inChannels);
    const w = values(c.kernel * c.kernel * c.inChannels * c.outChannels);
    const dy = values(tf.util.sizeFromShape([...outShape]));
    const [, expected] = await on('cpu', () => convGrads(c, x, w, dy, outShape));
    const [actual] = await on('cpu', () => [
      tapGradient(tf.tensor4d(x, [c.batch, c.size[0], c.size[1], c.inChannels]), tf.tensor4d(dy, outShape), [c.kernel, c.kernel, c.inChannels, c.outChannels], c.stride, c.padding),
    ]);
    expect(relativeError(actual as Float32Array, expected as Float32Array)).toBeLessThan(1e-5);
  });

  it('frees every intermediate result: only the gradient is left', () => {
    const x = tf.randomNormal<tf.Rank.R4>([4, 10, 10, 3]);
    const dy = tf.randomNormal<tf.Rank.R4>([4, 10, 10, 5]);
    const before = tf.backend().numDataIds();
    const dw = tapGradient(x, dy, [3, 3, 3, 5], 1, 'same');
    expect(dw.shape).toEqual([3, 3, 3, 5]);
    expect(tf.backend().numDataIds()).toBe(before + 1);
    tf.dispose([x, dy, dw]);
  });

  it('trains a Conv2D model with it registered, to the same weights as tfjs\'s own kernel', () => {
    const images = values(8 * 12 * 12);
    const weightsAfterSteps = (): Float32Array[] =>
      tf.tidy(() => {
        const model = tf.sequential({
          layers: [
            tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
            tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
          ],
        });
        const optimizer = tf.train.sgd(0.1);
        const xs = tf.tensor4d(images, [8, 12, 12, 1]);
        const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
        for (let step = 0; step < 3; step++) optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor));
        return model.getWeights().map((weight) => weight.dataSync() as Float32Array);
      });
    const reference = weightsAfterSteps();
    const kernels = backendKernels('cpu');
    kernels.replace('Conv2DBackpropFilter', filterGradientByTaps(kernels));
    try {
      const replaced = weightsAfterSteps();
      for (const [i, weight] of replaced.entries()) expect(relativeError(weight, reference[i] as Float32Array)).toBeLessThan(1e-5);
    } finally {
      const original = kernels.original('Conv2DBackpropFilter');
      tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
      tf.registerKernel(original);
    }
  });
});

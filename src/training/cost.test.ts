import { describe, expect, it } from 'vitest';
import { epochImages, estimateTraining, trainingMultiplyAdds } from './cost';
import { PRESETS } from './presets';
import { DEFAULT_COMPILE, DEFAULT_FIT, type LayerSpec, type ModelSpec } from './spec';

const MNIST = { height: 28, width: 28, channels: 1 };
const spec = (layers: LayerSpec[], fit: Partial<ModelSpec['fit']> = {}): ModelSpec => ({ layers, compile: DEFAULT_COMPILE, fit: { ...DEFAULT_FIT, ...fit } });
const cnn = spec([
  { type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
  { type: 'maxPooling2d', poolSize: 2, strides: null, padding: 'valid' },
  { type: 'flatten' },
  { type: 'dense', units: 10, activation: 'softmax', useBias: true },
]);

describe('the multiply-adds of a training step', () => {
  it('are the forward pass and its weights\' gradient for an MLP, whose first layer\'s input (the image) needs no gradient', () => {
    // Dense(128): forward and weight gradient; Dense(10): those and its input's gradient.
    expect(trainingMultiplyAdds(PRESETS.quickstart.spec, MNIST)).toBe(2 * 784 * 128 + 3 * 128 * 10);
  });

  it('count a convolution by its outputs times its window, a pooling layer by its outputs times its window, once more backwards after a layer with weights', () => {
    // Conv2D(32, 3×3) → 26×26×32, each a 3×3×1 window; MaxPool → 13×13×32, each of 2×2; Dense 5,408 → 10.
    const [conv, pooling, dense] = [26 * 26 * 32 * 9, 13 * 13 * 32 * 4, 13 * 13 * 32 * 10];
    expect(trainingMultiplyAdds(cnn, MNIST)).toBe(2 * conv + 2 * pooling + 3 * dense);
  });

  it('leave out the layers after one that does not fit', () => {
    const broken = spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'linear', useBias: true }, { type: 'conv2d', filters: 8, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }]);
    expect(trainingMultiplyAdds(broken, MNIST)).toBe(2 * 784 * 10);
  });
});

describe('the images of an epoch', () => {
  it('are the subset less its validation split, or all of it with the test set validating', () => {
    expect(epochImages({ trainLimit: null, validationSplit: 0.1, validationData: null }, 60000, 10000)).toEqual({ count: 60000, trainCount: 54000, validationCount: 6000 });
    expect(epochImages({ trainLimit: 2000, validationSplit: 0.1, validationData: null }, 60000, 10000)).toEqual({ count: 2000, trainCount: 1800, validationCount: 200 });
    expect(epochImages({ trainLimit: null, validationSplit: 0.1, validationData: 'test' }, 60000, 10000)).toEqual({ count: 60000, trainCount: 60000, validationCount: 10000 });
  });
});

describe('a training time estimate', () => {
  const counts = { trainCount: 54000, validationCount: 6000, testCount: 10000 };
  const quickstart = PRESETS.quickstart.spec;
  const reference = (samplesPerSecond: number, model = quickstart) => ({ spec: model, input: MNIST, samplesPerSecond });

  it('takes the speed of a run of the same layers and batch size, a validation or test image a third of a training one', () => {
    const work = trainingMultiplyAdds(quickstart, MNIST);
    expect(estimateTraining(quickstart, MNIST, counts, reference(1000))).toEqual({ epochSeconds: 56, totalSeconds: quickstart.fit.epochs * 56 + 10000 / 3 / 1000, kind: 'same', work, referenceWork: work });
  });

  it('takes the same layers\' speed at another batch size as it is, and says so', () => {
    const wider = { ...quickstart, fit: { ...quickstart.fit, batchSize: 128 } };
    expect(estimateTraining(wider, MNIST, counts, reference(1000))).toMatchObject({ epochSeconds: 56, kind: 'other batch' });
  });

  it("scales another model's speed by the two models' multiply-adds per image, up to four times either way", () => {
    const wider = spec([{ type: 'flatten' }, { type: 'dense', units: 256, activation: 'relu', useBias: true }, { type: 'dense', units: 10, activation: 'linear', useBias: true }]);
    const ratio = trainingMultiplyAdds(wider, MNIST) / trainingMultiplyAdds(quickstart, MNIST);
    const estimate = estimateTraining(wider, MNIST, counts, reference(1000));
    expect(estimate?.kind).toBe('scaled');
    expect(estimate?.epochSeconds).toBeCloseTo((56000 * ratio) / 1000, 9);
    // The CNN does about 2.9 times the quickstart's work per image: estimated. Ten times it: no estimate.
    expect(estimateTraining(cnn, MNIST, counts, reference(1000))).not.toBeNull();
    const big = spec([{ type: 'flatten' }, { type: 'dense', units: 1280, activation: 'relu', useBias: true }, { type: 'dense', units: 10, activation: 'linear', useBias: true }]);
    expect(estimateTraining(big, MNIST, counts, reference(1000))).toBeNull();
    expect(estimateTraining(quickstart, MNIST, counts, reference(1000, big))).toBeNull();
  });

  it('gives nothing for a reference that trained no images, or a model with no work', () => {
    expect(estimateTraining(quickstart, MNIST, counts, reference(0))).toBeNull();
    expect(estimateTraining(spec([]), MNIST, counts, reference(1000))).toBeNull();
  });
});

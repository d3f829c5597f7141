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
  it('are three times the forward pass: the quickstart MLP, 784·128 + 128·10 per image', () => {
    expect(trainingMultiplyAdds(PRESETS.quickstart.spec, MNIST)).toBe(3 * (784 * 128 + 128 * 10));
  });

  it('count a convolution by its outputs times its window, and a pooling layer by its outputs times its window', () => {
    // Conv2D(32, 3×3) → 26×26×32, each a 3×3×1 window; MaxPool → 13×13×32, each of 2×2; Dense 5,408 → 10.
    const forward = 26 * 26 * 32 * 9 + 13 * 13 * 32 * 4 + 13 * 13 * 32 * 10;
    expect(trainingMultiplyAdds(cnn, MNIST)).toBe(3 * forward);
  });

  it('leave out the layers after one that does not fit', () => {
    const broken = spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'linear', useBias: true }, { type: 'conv2d', filters: 8, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }]);
    expect(trainingMultiplyAdds(broken, MNIST)).toBe(3 * 784 * 10);
  });
});

describe('the images of an epoch', () => {
  it('are the subset less its validation split, or all of it with the test set validating', () => {
    expect(epochImages({ trainLimit: null, validationSplit: 0.1, validationData: null }, 60000, 10000)).toEqual({ trainCount: 54000, validationCount: 6000 });
    expect(epochImages({ trainLimit: 2000, validationSplit: 0.1, validationData: null }, 60000, 10000)).toEqual({ trainCount: 1800, validationCount: 200 });
    expect(epochImages({ trainLimit: null, validationSplit: 0.1, validationData: 'test' }, 60000, 10000)).toEqual({ trainCount: 60000, validationCount: 10000 });
  });
});

describe('a training time estimate', () => {
  const counts = { trainCount: 54000, validationCount: 6000, testCount: 10000 };
  const quickstart = PRESETS.quickstart.spec;

  it('takes the speed of a run of the same model, a validation or test image a third of a training one', () => {
    const estimate = estimateTraining(quickstart, MNIST, counts, { spec: quickstart, input: MNIST, samplesPerSecond: 1000 });
    expect(estimate).toEqual({ epochSeconds: 56, totalSeconds: quickstart.fit.epochs * 56 + 10000 / 3 / 1000, sameModel: true });
  });

  it('scales another model\'s speed by the two models\' multiply-adds per image', () => {
    const estimate = estimateTraining(cnn, MNIST, counts, { spec: quickstart, input: MNIST, samplesPerSecond: 1000 });
    const speed = (1000 * trainingMultiplyAdds(quickstart, MNIST)) / trainingMultiplyAdds(cnn, MNIST);
    expect(estimate?.sameModel).toBe(false);
    expect(estimate?.epochSeconds).toBeCloseTo(56000 / speed, 9);
    // The same layers at another batch size train at another speed: scaled too (by 1), not taken as the same.
    expect(estimateTraining({ ...quickstart, fit: { ...quickstart.fit, batchSize: 128 } }, MNIST, counts, { spec: quickstart, input: MNIST, samplesPerSecond: 1000 })?.sameModel).toBe(false);
  });

  it('gives nothing for a reference that trained no images, or a model with no work', () => {
    expect(estimateTraining(quickstart, MNIST, counts, { spec: quickstart, input: MNIST, samplesPerSecond: 0 })).toBeNull();
    expect(estimateTraining(spec([]), MNIST, counts, { spec: quickstart, input: MNIST, samplesPerSecond: 1000 })).toBeNull();
  });
});

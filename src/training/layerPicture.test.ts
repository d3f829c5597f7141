import { describe, expect, it } from 'vitest';
import { kernelPictures, picturedLayer } from './layerPicture';
import { PRESETS } from './presets';
import type { LayerSpec } from './spec';

const MNIST = { height: 28, width: 28, channels: 1 };
const layers = (...list: LayerSpec[]) => ({ layers: list });

describe('the first layer pictured', () => {
  it("is the quickstart's Dense(128): one 28×28 picture per unit, and the Fashion CNN's first Conv2D(32, 2×2): one kernel per filter", () => {
    expect(picturedLayer(PRESETS.quickstart.spec, MNIST)).toEqual({ index: 1, name: 'dense', kind: 'dense', count: 128, height: 28, width: 28 });
    expect(picturedLayer(PRESETS.fashionCnn.spec, MNIST)).toEqual({ index: 0, name: 'conv2d', kind: 'conv2d', count: 32, height: 2, width: 2 });
  });

  it('pictures a Dense after pooling at the pooled size, and nothing for a model with neither layer', () => {
    const pooled = layers({ type: 'maxPooling2d', poolSize: 2, strides: null, padding: 'valid' }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true });
    expect(picturedLayer(pooled, MNIST)).toMatchObject({ kind: 'dense', count: 10, height: 14, width: 14 });
    expect(picturedLayer(layers({ type: 'dropout', rate: 0.2 }), MNIST)).toBeNull();
  });

  it('pictures a Dense that comes first, with no Flatten: the model flattens the image for it', () => {
    const first = layers({ type: 'dense', units: 32, activation: 'relu', useBias: true }, { type: 'dense', units: 10, activation: 'softmax', useBias: true });
    expect(picturedLayer(first, MNIST)).toEqual({ index: 0, name: 'dense', kind: 'dense', count: 32, height: 28, width: 28 });
  });

  it('lays a [rows, units] kernel out unit by unit', () => {
    // 3 inputs × 2 units: unit 0's weights are 1, 3, 5 and unit 1's 2, 4, 6.
    expect(Array.from(kernelPictures(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2))).toEqual([1, 3, 5, 2, 4, 6]);
    expect(() => kernelPictures(new Float32Array(5), 3, 2)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets';
import { describeLayer, describeLayers, describeSpecDiff, describeSpecEdits, summariseSpecDiff } from './specDiff';
import { DEFAULT_COMPILE, DEFAULT_FIT, withClassWeight, type LayerSpec, type ModelSpec } from './spec';

const flatten: LayerSpec = { type: 'flatten' };
const dense = (units: number, activation: 'linear' | 'relu' | 'softmax' = 'linear'): LayerSpec => ({ type: 'dense', units, activation, useBias: true });
const dropout = (rate: number): LayerSpec => ({ type: 'dropout', rate });
const conv = (filters: number, kernelSize = 3): LayerSpec => ({ type: 'conv2d', filters, kernelSize, strides: 1, padding: 'valid', activation: 'relu' });
const pool: LayerSpec = { type: 'maxPooling2d', poolSize: 2, strides: null, padding: 'valid' };
const batchNorm: LayerSpec = { type: 'batchNormalization', momentum: 0.99 };

const spec = (layers: LayerSpec[], compile: Partial<ModelSpec['compile']> = {}, fit: Partial<ModelSpec['fit']> = {}): ModelSpec => ({
  layers,
  compile: { ...DEFAULT_COMPILE, ...compile },
  fit: { ...DEFAULT_FIT, ...fit },
});

describe('describeSpecDiff', () => {
  it("reads the issue's example exactly", () => {
    const a = spec([flatten, dense(128, 'relu'), dense(10)]);
    const b = spec([flatten, dense(512, 'relu'), dropout(0.2), dense(10)], { learningRate: 0.01 });
    expect(summariseSpecDiff(a, b)).toBe('Dense 128 → 512, +Dropout(0.2), lr 0.001 → 0.01');
    expect(describeSpecDiff(a, b)).toEqual(['Dense 128 → 512', '+Dropout(0.2)', 'lr 0.001 → 0.01']);
  });

  it('finds no differences between identical specs', () => {
    for (const preset of Object.values(PRESETS)) {
      expect(describeSpecDiff(preset.spec, structuredClone(preset.spec))).toEqual([]);
      expect(summariseSpecDiff(preset.spec, preset.spec)).toBe('');
    }
  });

  it('reads a layer inserted in the middle as one insertion, not a cascade of changes', () => {
    const a = spec([conv(32), pool, conv(64), pool, flatten, dense(10, 'softmax')]);
    const b = spec([conv(32), batchNorm, pool, conv(64), batchNorm, pool, flatten, dense(10, 'softmax')]);
    expect(describeSpecDiff(a, b)).toEqual(['+BatchNormalization', '+BatchNormalization']);
    expect(describeSpecDiff(b, a)).toEqual(['−BatchNormalization', '−BatchNormalization']);
    const c = spec([conv(32), { type: 'batchNormalization', momentum: 0.9 }, pool, conv(64), batchNorm, pool, flatten, dense(10, 'softmax')]);
    expect(describeSpecDiff(b, c)).toEqual(['BatchNormalization momentum 0.99 → 0.9']);
    expect(describeSpecDiff(a, c)).toEqual(['+BatchNormalization(momentum 0.9)', '+BatchNormalization']);
  });

  it('pairs identical layers when a layer of the same type is inserted', () => {
    const a = spec([flatten, dense(512, 'relu'), dense(10, 'softmax')]);
    const b = spec([flatten, dense(512, 'relu'), dense(256, 'relu'), dense(10, 'softmax')]);
    expect(describeSpecDiff(a, b)).toEqual(['+Dense(256, relu)']);
    expect(describeSpecDiff(b, a)).toEqual(['−Dense(256, relu)']);
  });

  it('reads a replaced layer as a removal and an addition, and changed layers field by field', () => {
    const a = spec([conv(32), dropout(0.25), flatten, dense(10, 'softmax')]);
    const b = spec([conv(64, 5), batchNorm, flatten, dense(10)]);
    expect(describeSpecDiff(a, b)).toEqual(['Conv2D 32 → 64 filters', 'Conv2D kernel 3×3 → 5×5', '−Dropout(0.25)', '+BatchNormalization', 'Dense activation softmax → linear']);
  });

  it('reads max pooling swapped for average pooling as a replaced layer, and an average pool changed field by field', () => {
    const average: LayerSpec = { type: 'averagePooling2d', poolSize: 2, strides: null, padding: 'valid' };
    expect(describeSpecDiff(spec([conv(6), pool, flatten, dense(10)]), spec([conv(6), average, flatten, dense(10)]))).toEqual(['−MaxPooling2D(2×2)', '+AveragePooling2D(2×2)']);
    expect(describeSpecDiff(spec([conv(6), average, flatten, dense(10)]), spec([conv(6), { ...average, poolSize: 3 }, flatten, dense(10)]))).toEqual(['AveragePooling2D pool 2×2 → 3×3']);
  });

  it('names each changed layer by its own place, when a preset uses one layer object twice', () => {
    const bigPool: LayerSpec = { type: 'maxPooling2d', poolSize: 3, strides: null, padding: 'valid' };
    const edited = { ...PRESETS.fashionCnn.spec, layers: PRESETS.fashionCnn.spec.layers.map((layer) => (layer.type === 'maxPooling2d' ? bigPool : layer)) };
    expect(describeSpecDiff(edited, PRESETS.fashionCnn.spec)).toEqual(['MaxPooling2D (layer 2) pool 3×3 → 2×2', 'MaxPooling2D (layer 4) pool 3×3 → 2×2']);
  });

  it('names every compile and fit change', () => {
    const a = spec([flatten, dense(10)], {}, { seed: 1 });
    const b = spec(
      [flatten, dense(10)],
      { optimizer: 'sgd', learningRate: 0.01, momentum: 0.9, loss: 'categoricalCrossentropy', fromLogits: true },
      {
        epochs: 10,
        batchSize: 128,
        validationSplit: 0.1,
        shuffle: false,
        seed: 2,
        augmentShift: 2,
        learningRateDecay: 0.9,
        trainLimit: 1000,
        earlyStopping: { monitor: 'val_loss', minDelta: 0, patience: 3, restoreBestWeights: true },
      },
    );
    expect(describeSpecDiff(a, b)).toEqual([
      'optimizer adam → sgd',
      'lr 0.001 → 0.01',
      'momentum 0 → 0.9',
      'loss sparse CE → categorical CE',
      'from_logits false → true',
      'epochs 5 → 10',
      'batch 32 → 128',
      'validation split 0 → 0.1',
      'shuffle true → false',
      'seed 1 → 2',
      'lr decay per epoch none → ×0.9',
      'shift augmentation off → ±2 px',
      'training subset all → 1000',
      'early stopping off → val_loss, patience 3, best weights',
    ]);
  });

  it('names the same changes by their new values only, for a run of an edited preset', () => {
    const a = spec([conv(32), dropout(0.25), flatten, dense(10, 'softmax')], {}, { augmentShift: 2 });
    const b = spec([conv(64, 5), flatten, dense(10, 'softmax')], { learningRate: 0.01 }, { epochs: 2, trainLimit: 2000 });
    expect(describeSpecEdits(a, b)).toEqual(['Conv2D 64 filters', 'Conv2D kernel 5×5', '−Dropout(0.25)', 'lr 0.01', 'epochs 2', 'shift augmentation off', 'training subset 2000']);
    expect(describeSpecDiff(a, b)).toHaveLength(describeSpecEdits(a, b).length);
  });

  it('names a change of validation images: a split, or the test set (validation_data), whose split is not compared', () => {
    const onTest = spec([flatten], {}, { validationData: 'test', validationSplit: 0 });
    expect(describeSpecDiff(spec([flatten], {}, { validationSplit: 0.1 }), onTest)).toEqual(['validation split 0.1 → the test set']);
    expect(describeSpecDiff(onTest, { ...onTest, fit: { ...onTest.fit, validationSplit: 0.2 } })).toEqual([]);
  });

  it('writes a split such as the Keras guide\'s 1/6 in four digits, and in full only where two would read alike', () => {
    const sixth = spec([flatten], {}, { validationSplit: 1 / 6 });
    expect(describeSpecDiff(spec([flatten], {}, { validationSplit: 0.1 }), sixth)).toEqual(['validation split 0.1 → 0.1667']);
    expect(describeSpecDiff(sixth, spec([flatten], {}, { validationSplit: 0.16667 }))).toEqual(['validation split 0.16666666666666666 → 0.16667']);
  });

  it('names a change of class weights as the dicts Keras takes', () => {
    expect(describeSpecDiff(spec([flatten]), spec([flatten], {}, { classWeight: { '5': 2 } }))).toEqual(['class weights none → {5: 2}']);
  });

  it('sets one class weight at a time, leaving a weight of 1 out, and none when no class is weighted', () => {
    expect(withClassWeight(null, 5, 2)).toEqual({ '5': 2 });
    expect(withClassWeight({ '5': 2 }, 3, 0)).toEqual({ '5': 2, '3': 0 });
    expect(withClassWeight({ '5': 2, '3': 0 }, 5, 1)).toEqual({ '3': 0 });
    expect(withClassWeight({ '5': 2 }, 5, 1)).toBeNull();
  });

  it('ignores momentum unless SGD uses it', () => {
    expect(describeSpecDiff(spec([flatten], { momentum: 0.9 }), spec([flatten], { momentum: 0 }))).toEqual([]);
  });

  it('compares presets sensibly', () => {
    // Two Dense layers changed: each is named by its place.
    expect(describeSpecDiff(PRESETS.quickstart.spec, PRESETS.fashionMlp.spec)).toEqual([
      'Dense (layer 2) 128 → 256',
      'Dense (layer 3) activation linear → softmax',
      'from_logits true → false',
      'epochs 5 → 10',
      'batch 32 → 64',
      'validation split 0.1 → 0',
    ]);
    // The output layers pair (10 units each), and LeNet's extra hidden layer reads as added.
    expect(describeSpecDiff(PRESETS.fashionCnn.spec, PRESETS.lenet.spec)).toEqual([
      'Conv2D (layer 1) 32 → 6 filters',
      'Conv2D (layer 1) kernel 2×2 → 5×5',
      'Conv2D (layer 1) padding valid → same',
      'Conv2D (layer 1) activation relu → sigmoid',
      '−MaxPooling2D(2×2)',
      '+AveragePooling2D(2×2)',
      'Conv2D (layer 3) 32 → 16 filters',
      'Conv2D (layer 3) kernel 2×2 → 5×5',
      'Conv2D (layer 3) activation relu → sigmoid',
      '−MaxPooling2D(2×2)',
      '+AveragePooling2D(2×2)',
      'Dense (layer 6) 256 → 120',
      'Dense (layer 6) activation relu → sigmoid',
      '+Dense(84, sigmoid)',
      'Dense (layer 8) activation softmax → linear',
      'optimizer adam → sgd',
      'lr 0.001 → 0.9',
      'from_logits false → true',
      'batch 64 → 256',
    ]);
  });
});

describe('describeLayer', () => {
  it('writes each layer as a short phrase', () => {
    expect([
      describeLayer(flatten),
      describeLayer(dense(10)),
      describeLayer({ type: 'dense', units: 64, activation: 'relu', useBias: false }),
      describeLayer({ type: 'conv2d', filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      describeLayer(pool),
      describeLayer({ type: 'maxPooling2d', poolSize: 3, strides: 1, padding: 'same' }),
      describeLayer(dropout(0.5)),
      describeLayer(batchNorm),
      describeLayer({ type: 'activation', activation: 'tanh' }),
    ]).toEqual([
      'Flatten',
      'Dense(10)',
      'Dense(64, relu, no bias)',
      'Conv2D(32, 3×3, stride 2, same, relu)',
      'MaxPooling2D(2×2)',
      'MaxPooling2D(3×3, stride 1, same)',
      'Dropout(0.5)',
      'BatchNormalization',
      'Activation(tanh)',
    ]);
  });
});

describe('describeLayers', () => {
  it('joins the layers by arrows, and counts a layer repeated three times or more in a row', () => {
    expect(describeLayers([flatten, dense(128, 'relu'), dense(10)])).toBe('Flatten → Dense(128, relu) → Dense(10)');
    expect(describeLayers([flatten, dense(16, 'relu'), dense(16, 'relu'), dense(10)])).toBe('Flatten → Dense(16, relu) → Dense(16, relu) → Dense(10)');
    const deep = [flatten, ...Array.from({ length: 254 }, () => dense(16, 'relu')), dense(10)];
    expect(describeLayers(deep)).toBe('Flatten → Dense(16, relu) ×254 → Dense(10)');
    expect(describeLayers([dense(16, 'relu'), dense(16, 'relu'), dense(16, 'relu'), dense(16), dense(16, 'relu')])).toBe('Dense(16, relu) ×3 → Dense(16) → Dense(16, relu)');
  });
});

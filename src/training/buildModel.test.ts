import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, createOptimizer, SeededDropout, setLearningRate, SpecError } from './buildModel';
import { PRESETS } from './presets';
import { DEFAULT_COMPILE, DEFAULT_FIT, type LayerSpec, type ModelSpec } from './spec';

const MNIST = { height: 28, width: 28, channels: 1 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const withSeed = (spec: ModelSpec, seed: number): ModelSpec => ({ ...spec, fit: { ...spec.fit, seed } });

function initialWeights(spec: ModelSpec): number[][] {
  const model = buildModel(spec, MNIST, 10);
  const values = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return values;
}

describe('buildModel', () => {
  it('refuses an invalid spec with a SpecError that carries the issues', () => {
    const bad: ModelSpec = { layers: [{ type: 'flatten' }, { type: 'dense', units: 0, activation: 'softmax', useBias: true }], compile: DEFAULT_COMPILE, fit: DEFAULT_FIT };
    let caught: unknown = null;
    try {
      buildModel(bad, MNIST, 10);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SpecError);
    const issues = (caught as SpecError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((issue) => issue.severity === 'error')).toBe(true);
    expect((caught as SpecError).message).toContain('Layer 2 (Dense): units must be a whole number');
    expect(() => buildModel({ ...bad, layers: [] }, MNIST, 10)).toThrow(/no layers/);
  });

  it('builds a warning-only spec (softmax with from_logits) rather than refusing it', () => {
    const model = buildModel({ ...PRESETS.fashionMlp.spec, compile: { ...PRESETS.fashionMlp.spec.compile, fromLogits: true } }, MNIST, 10);
    expect(model.countParams()).toBe(203_530);
    model.dispose();
  });

  it('gives the same initial weights for the same seed, other weights for another', () => {
    const a = initialWeights(PRESETS.quickstart.spec);
    expect(initialWeights(PRESETS.quickstart.spec)).toEqual(a);
    const b = initialWeights(withSeed(PRESETS.quickstart.spec, 7));
    expect(b).not.toEqual(a);
    expect(b[0]).not.toEqual(a[0]);
  });

  it('initialises like Keras: glorot-uniform kernels within ±√(6 / (fanIn + fanOut)), zero biases', () => {
    const [kernel = [], bias = [], kernel2 = []] = initialWeights(PRESETS.quickstart.spec);
    const limit = Math.sqrt(6 / (784 + 128));
    expect(kernel).toHaveLength(784 * 128);
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(limit);
    // A uniform draw on ±limit fills the range: its largest magnitude is close to the limit.
    expect(Math.max(...kernel.map(Math.abs))).toBeGreaterThan(0.99 * limit);
    expect(bias.every((v) => v === 0)).toBe(true);
    expect(kernel2.slice(0, 10)).not.toEqual(kernel.slice(0, 10));
  });

  it('names layers as Keras does and feeds a leading Dense the flattened image', () => {
    const model = buildModel(PRESETS.mlpDropout.spec, MNIST, 10);
    expect(model.inputs[0]?.shape).toEqual([null, 784]);
    expect(model.layers.map((layer) => layer.name)).toEqual(['dense', 'activation', 'dropout', 'dense_1', 'activation_1']);
    model.dispose();
  });

  it("moves BatchNormalization's moving mean by the spec's momentum each training step", () => {
    const movingMeanAfterOneStep = (momentum: number): number[] => {
      const spec: ModelSpec = {
        layers: [{ type: 'flatten' }, { type: 'batchNormalization', momentum }, { type: 'dense', units: 2, activation: 'softmax', useBias: true }],
        compile: DEFAULT_COMPILE,
        fit: DEFAULT_FIT,
      };
      const model = buildModel(spec, { height: 2, width: 2, channels: 1 }, 2);
      tf.tidy(() => {
        model.apply(tf.fill([3, 2, 2, 1], 5), { training: true });
      });
      // Weights: gamma, beta, moving mean, moving variance. The mean starts at 0; one batch of 5s moves it by (1 − momentum)·5.
      const movingMean = Array.from(model.layers[1]?.getWeights()[2]?.dataSync() ?? []);
      model.dispose();
      return movingMean;
    };
    for (const value of movingMeanAfterOneStep(0.9)) expect(value).toBeCloseTo(0.5, 5);
    for (const value of movingMeanAfterOneStep(0.99)) expect(value).toBeCloseTo(0.05, 5);
  });
});

describe('SeededDropout', () => {
  const spec: ModelSpec = {
    layers: [{ type: 'flatten' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }] satisfies LayerSpec[],
    compile: DEFAULT_COMPILE,
    fit: DEFAULT_FIT,
  };
  const masks = (model: tf.Sequential, calls: number): number[][] => {
    const dropout = model.layers[1];
    if (dropout === undefined) throw new Error('no dropout layer');
    const ones = tf.ones([2, 784]);
    const result = Array.from({ length: calls }, () => {
      const y = dropout.apply(ones, { training: true }) as tf.Tensor;
      const values = Array.from(y.dataSync());
      y.dispose();
      return values;
    });
    ones.dispose();
    return result;
  };

  it('draws a new mask each training step, the same sequence for the same seed', () => {
    const model = buildModel(spec, MNIST, 10);
    expect(model.layers[1]).toBeInstanceOf(SeededDropout);
    const [first = [], second = []] = masks(model, 2);
    expect(first).not.toEqual(second);
    // Survivors are scaled by 1 / (1 − rate) = 2; about half survive.
    expect(new Set(first)).toEqual(new Set([0, 2]));
    const kept = first.filter((v) => v === 2).length / first.length;
    expect(kept).toBeGreaterThan(0.4);
    expect(kept).toBeLessThan(0.6);
    const again = buildModel(spec, MNIST, 10);
    expect(masks(again, 2)).toEqual([first, second]);
    const other = buildModel(withSeed(spec, 43), MNIST, 10);
    expect(masks(other, 1)[0]).not.toEqual(first);
    for (const m of [model, again, other]) m.dispose();
  });

  it('lets gradients through to the layer before it, only where units were kept', () => {
    const model = buildModel({ ...spec, layers: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'linear', useBias: true }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }] }, MNIST, 10);
    const x = tf.ones([1, 28, 28, 1]);
    const { value, grads } = tf.variableGrads(() => (model.apply(x, { training: true }) as tf.Tensor).max().asScalar());
    const biasGrad = Object.entries(grads).find(([name]) => name.startsWith('dense/bias'))?.[1];
    const values = Array.from(biasGrad?.dataSync() ?? []);
    expect(values).toHaveLength(8);
    expect(values.some((v) => v !== 0)).toBe(true);
    expect(values.some((v) => v === 0)).toBe(true);
    for (const t of [x, value, ...Object.values(grads)]) t.dispose();
    model.dispose();
  });

  it('passes values through at inference', () => {
    const model = buildModel(spec, MNIST, 10);
    const x = tf.ones([1, 28, 28, 1]);
    const dropout = model.layers[1];
    const flat = tf.ones([1, 784]);
    const y = dropout?.apply(flat, { training: false }) as tf.Tensor;
    expect(Array.from(y.dataSync()).every((v) => v === 1)).toBe(true);
    const p = model.predict(x) as tf.Tensor;
    expect(p.sum().dataSync()[0]).toBeCloseTo(1, 5);
    for (const t of [x, flat, y, p]) t.dispose();
    model.dispose();
  });
});

describe('createOptimizer', () => {
  it('makes the optimizer compile names, with its learning rate', () => {
    const adam = createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'adam', learningRate: 0.002 });
    expect(adam.getClassName()).toBe('Adam');
    expect(adam.getConfig()['learningRate']).toBe(0.002);
    expect(createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'sgd', learningRate: 0.01, momentum: 0 }).getClassName()).toBe('SGD');
    const momentum = createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'sgd', learningRate: 0.01, momentum: 0.9 });
    expect(momentum.getClassName()).toBe('KerasSGD');
    expect(momentum.getConfig()['momentum']).toBe(0.9);
    const rmsprop = createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'rmsprop', learningRate: 0.001 });
    expect(rmsprop.getClassName()).toBe('RMSProp');
    expect(rmsprop.getConfig()['learningRate']).toBe(0.001);
  });
});

/**
 * Steps `optimizer` once per row of `steps` (a gradient per weight, one weight per column),
 * then holds each weight to `keras`'s value for its column's gradients, within 1e-4 of it;
 * the optimizer is disposed.
 */
function expectKerasSteps(optimizer: tf.Optimizer, steps: readonly (readonly number[])[], keras: (gradients: readonly number[]) => number): void {
  const columns = steps[0]?.length ?? 0;
  const w = tf.tidy(() => tf.variable(tf.zeros([columns])));
  // The loss Σ gᵢ·wᵢ has the gradient g, whatever w is.
  for (const row of steps) optimizer.minimize(() => tf.sum(tf.mul(w, tf.tensor1d([...row]))));
  const got = Array.from(w.dataSync());
  w.dispose();
  optimizer.dispose();
  for (let column = 0; column < columns; column++) {
    const expected = keras(steps.map((row) => row[column] ?? 0));
    expect(Math.abs((got[column] ?? NaN) - expected)).toBeLessThan(1e-4 * Math.abs(expected));
  }
}

describe("RMSprop as Keras 3's", () => {
  it('divides by √(v + ε), also for gradients far below √ε', () => {
    // Keras 3's update_step in float64: v ← ρ·v + (1 − ρ)·g²; w ← w − rate·g / √(v + ε).
    const keras = (gradients: readonly number[]): number => {
      let [w, v] = [0, 0];
      for (const g of gradients) {
        v = 0.9 * v + 0.1 * g * g;
        w -= (0.01 * g) / Math.sqrt(v + 1e-7);
      }
      return w;
    };
    // Columns: an ordinary gradient, a small one, a tiny one, one that changes sign.
    const steps = [
      [0.5, 1e-4, 1e-6, 0.2],
      [0.3, 2e-4, 1e-6, -0.1],
      [0.4, 1e-4, 3e-6, 0.05],
    ];
    expectKerasSteps(createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'rmsprop', learningRate: 0.01 }), steps, keras);
  });
});

describe("Adam as Keras 3's", () => {
  it('adds ε to √v before the bias correction, also for gradients near ε', () => {
    // Keras 3's update_step in float64: m ← m + (g − m)(1 − β₁); v ← v + (g² − v)(1 − β₂);
    // w ← w − rate·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε).
    const keras = (gradients: readonly number[]): number => {
      let [w, m, v] = [0, 0, 0];
      gradients.forEach((g, i) => {
        const t = i + 1;
        m += (g - m) * 0.1;
        v += (g * g - v) * 0.001;
        w -= ((0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t)) * (m / (Math.sqrt(v) + 1e-7));
      });
      return w;
    };
    // Columns: an ordinary gradient, a small one, two near ε (where tfjs's own Adam steps up to 16 times further), one that changes sign.
    const steps = [
      [0.5, 1e-4, 1e-6, 1e-7, 0.2],
      [0.3, 2e-4, 1e-6, 2e-7, -0.1],
      [0.4, 1e-4, 3e-6, 1e-7, 0.05],
    ];
    const optimizer = createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'adam', learningRate: 0.01 });
    expectKerasSteps(optimizer, steps, keras);
    expect(optimizer.getConfig()['epsilon']).toBe(1e-7);
  });
});

describe("SGD with momentum as Keras's", () => {
  /** Keras 3's SGD.update_step in float64: v ← m·v − rate·g; w ← w + v. */
  function keras(gradients: readonly number[], rates: readonly number[], momentum: number): number {
    let [w, v] = [0, 0];
    gradients.forEach((g, step) => {
      v = momentum * v - (rates[step] ?? NaN) * g;
      w += v;
    });
    return w;
  }

  it('keeps a velocity through rate changes, for every weight, and frees what it holds', () => {
    const steps = [
      [0.5, -0.2, 1e-3],
      [0.3, 0.1, 2e-3],
      [-0.4, 0.05, 1e-3],
      [0.2, -0.3, 4e-3],
    ];
    const rates = [0.1, 0.1, 0.03, 0.01];
    const before = tf.memory().numTensors;
    const optimizer = createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'sgd', learningRate: rates[0] ?? NaN, momentum: 0.9 });
    const w = tf.tidy(() => tf.variable(tf.zeros([3])));
    steps.forEach((row, step) => {
      setLearningRate(optimizer, rates[step] ?? NaN);
      optimizer.minimize(() => tf.sum(tf.mul(w, tf.tensor1d(row))));
    });
    const afterSteps = tf.memory().numTensors;
    optimizer.minimize(() => tf.sum(tf.mul(w, tf.tensor1d([0, 0, 0]))));
    // Each step replaces its tensors: one velocity per weight stays, nothing else builds up.
    expect(tf.memory().numTensors).toBe(afterSteps);
    const got = Array.from(w.dataSync());
    w.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    [0, 1, 2].forEach((column) => {
      const expected = keras([...steps.map((row) => row[column] ?? NaN), 0], [...rates, 0.01], 0.9);
      expect(Math.abs((got[column] ?? NaN) - expected)).toBeLessThan(1e-5 * Math.abs(expected));
    });
  });

  it("leaves a weight the loss does not reach, as tfjs's optimizers do", () => {
    const optimizer = createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'sgd', learningRate: 0.1, momentum: 0.9 });
    const [used, unused] = [tf.variable(tf.scalar(0)), tf.variable(tf.scalar(5))];
    optimizer.minimize(() => used.mul(1).asScalar(), false, [used, unused]);
    expect([used.dataSync()[0], unused.dataSync()[0]]).toEqual([expect.closeTo(-0.1, 6), 5]);
    for (const v of [used, unused]) v.dispose();
    optimizer.dispose();
  });

  it('stays finite when a schedule decays the rate by ten each step', () => {
    // Rescaling tfjs's accumulated gradients by old ÷ new rate made them grow tenfold a step,
    // past float32's range by about step 38, while Keras's velocity only shrinks.
    const optimizer = createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'sgd', learningRate: 0.1, momentum: 0.9 });
    const w = tf.variable(tf.scalar(0));
    const rates = Array.from({ length: 45 }, (_, step) => 0.1 * 0.1 ** step);
    for (const rate of rates) {
      setLearningRate(optimizer, rate);
      optimizer.minimize(() => w.mul(1).asScalar());
    }
    const expected = keras(rates.map(() => 1), rates, 0.9);
    expect(w.dataSync()[0]).toBeCloseTo(expected, 5);
    w.dispose();
    optimizer.dispose();
  });
});

describe('setLearningRate', () => {
  /** How far one step of `optimizer` moves a weight whose gradient is 1. */
  function firstStep(optimizer: tf.Optimizer): number {
    const w = tf.variable(tf.scalar(0));
    optimizer.minimize(() => w.mul(1).asScalar());
    const moved = -(w.dataSync()[0] ?? NaN);
    w.dispose();
    optimizer.dispose();
    return moved;
  }

  it.each(['adam', 'sgd', 'rmsprop'] as const)('%s: after the change, a step is the step of an optimizer made with the new rate', (optimizer) => {
    for (const momentum of optimizer === 'sgd' ? [0, 0.9] : [0]) {
      const compile = { ...DEFAULT_COMPILE, optimizer, momentum };
      const changed = createOptimizer({ ...compile, learningRate: 0.001 });
      setLearningRate(changed, 0.25);
      const expected = firstStep(createOptimizer({ ...compile, learningRate: 0.25 }));
      expect(expected).toBeGreaterThan(0.2);
      expect(firstStep(changed)).toBeCloseTo(expected, 6);
    }
  });

  it("SGD with momentum keeps past steps at their own rate, as Keras's velocity does", () => {
    const optimizer = createOptimizer({ ...DEFAULT_COMPILE, optimizer: 'sgd', learningRate: 0.1, momentum: 0.9 });
    const w = tf.variable(tf.scalar(0));
    const step = (): void => {
      optimizer.minimize(() => w.mul(1).asScalar());
    };
    step();
    setLearningRate(optimizer, 0.01);
    step();
    // Keras: v₁ = −0.1·1 = −0.1; v₂ = 0.9·v₁ − 0.01·1 = −0.1; w = v₁ + v₂ = −0.2.
    // Rescaling every past gradient by the new rate would give −0.1 − 0.01·(0.9 + 1) = −0.119.
    expect(w.dataSync()[0]).toBeCloseTo(-0.2, 6);
    w.dispose();
    optimizer.dispose();
  });
});

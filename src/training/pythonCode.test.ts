import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets';
import { predictOneSession, pythonCode, pyFloat, pyString, type PythonDataset } from './pythonCode';
import { augmentationRows, modelInputShape, summarize } from './shapes';
import { DEFAULT_COMPILE, DEFAULT_FIT, scheduledLearningRate, type Activation, type LayerSpec, type ModelSpec, type Padding } from './spec';

const DATASETS = {
  mnist: { id: 'mnist', name: 'MNIST', height: 28, width: 28, classCount: 10 },
  'fashion-mnist': { id: 'fashion-mnist', name: 'Fashion-MNIST', height: 28, width: 28, classCount: 10 },
} as const satisfies Record<string, PythonDataset>;

const presets = Object.entries(PRESETS).map(([id, preset]) => ({ id, preset, code: pythonCode(preset.spec, DATASETS[preset.dataset]) }));

// --- A small parser for the generated `Sequential([...])`: Python literals and call arguments. ---

type PyValue = string | number | boolean | null | PyValue[];

/** Splits at top-level commas (outside brackets and quotes). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseValue(text: string): PyValue {
  if (text === 'None') return null;
  if (text === 'True') return true;
  if (text === 'False') return false;
  const str = /^'([^']*)'$/.exec(text);
  if (str) return str[1] ?? '';
  const ratio = /^(\d+(?:\.\d+)?) \/ (\d+)$/.exec(text);
  if (ratio) return Number(ratio[1]) / Number(ratio[2]);
  if (/^\(.*\)$/.test(text)) return splitTopLevel(text.slice(1, -1)).map(parseValue);
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/.test(text)) return Number(text);
  throw new Error(`not a Python literal: ${text}`);
}

interface ParsedCall {
  readonly name: string;
  readonly args: PyValue[];
  readonly kwargs: Record<string, PyValue>;
}

/** The calls inside `model = tf.keras.Sequential([...])`, one per line. */
function parseSequential(code: string): ParsedCall[] {
  const block = /model = tf\.keras\.Sequential\(\[\n([\s\S]*?)\n\]\)/.exec(code);
  if (!block) throw new Error('no Sequential([...]) in the code');
  return (block[1] ?? '').split('\n').map((line) => {
    const call = /^ {4}tf\.keras\.(?:layers\.)?(\w+)\((.*)\),(?: {2}#.*)?$/.exec(line);
    if (!call) throw new Error(`not a layer call: ${line}`);
    const args: PyValue[] = [];
    const kwargs: Record<string, PyValue> = {};
    for (const part of splitTopLevel(call[2] ?? '')) {
      const kw = /^(\w+)=(.*)$/s.exec(part);
      if (kw) kwargs[kw[1] ?? ''] = parseValue(kw[2] ?? '');
      else args.push(parseValue(part));
    }
    return { name: call[1] ?? '', args, kwargs };
  });
}

const num = (v: PyValue | undefined): number => {
  if (typeof v !== 'number') throw new Error(`expected a number, got ${JSON.stringify(v)}`);
  return v;
};
const square = (v: PyValue | undefined): number => {
  if (!Array.isArray(v) || v.length !== 2 || v[0] !== v[1]) throw new Error(`expected a square (n, n), got ${JSON.stringify(v)}`);
  return num(v[0]);
};
const activation = (v: PyValue | undefined): Activation => (v === null ? 'linear' : (v as Activation));

/** The parsed calls back as the spec's layers; the augmentation layers (not in the spec) drop out. */
function toLayerSpecs(calls: readonly ParsedCall[]): LayerSpec[] {
  const layers: LayerSpec[] = [];
  for (const { name, args, kwargs } of calls) {
    switch (name) {
      case 'Input':
      case 'RandomTranslation':
      case 'Reshape':
        break;
      case 'Flatten':
        layers.push({ type: 'flatten' });
        break;
      case 'Dense':
        layers.push({ type: 'dense', units: num(args[0]), activation: activation(kwargs.activation), useBias: kwargs.use_bias === true });
        break;
      case 'Conv2D':
        layers.push({
          type: 'conv2d',
          filters: num(args[0]),
          kernelSize: square(args[1]),
          strides: square(kwargs.strides),
          padding: kwargs.padding as Padding,
          activation: activation(kwargs.activation),
        });
        break;
      case 'MaxPooling2D':
      case 'AveragePooling2D':
        layers.push({ type: name === 'MaxPooling2D' ? 'maxPooling2d' : 'averagePooling2d', poolSize: square(kwargs.pool_size), strides: kwargs.strides === null ? null : square(kwargs.strides), padding: kwargs.padding as Padding });
        break;
      case 'Dropout':
        layers.push({ type: 'dropout', rate: num(args[0]) });
        break;
      case 'BatchNormalization':
        // Keras's default momentum when the call names none.
        layers.push({ type: 'batchNormalization', momentum: kwargs.momentum === undefined ? 0.99 : num(kwargs.momentum) });
        break;
      case 'Activation':
        layers.push({ type: 'activation', activation: activation(args[0]) });
        break;
      default:
        throw new Error(`unexpected layer ${name}`);
    }
  }
  return layers;
}

// --- Python itself: the syntax check, and a run against a stand-in for TensorFlow. ---

function python(args: string[], input: string, cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('python3', args, { input, encoding: 'utf8', cwd, timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs each generated program (a JSON list on stdin) with NumPy and a stand-in `tensorflow` module that
 * records the calls and checks the arrays reaching `fit` fit the model's input, then prints
 * what each saw as JSON. One process for many programs, as starting NumPy takes a while. Tiny random data stands in for the real datasets.
 */
const HARNESS = String.raw`
import json, sys, types
import numpy as np

class Call:
    def __init__(self, name, args, kwargs):
        self.name, self.args, self.kwargs = name, args, kwargs
        seen['calls'].append({'name': name, 'args': [repr(a) for a in args], 'kwargs': {k: repr(v) for k, v in kwargs.items()}})

def recorder(name):
    return lambda *args, **kwargs: Call(name, args, kwargs)

class Model:
    def __init__(self, layers):
        self.layers = layers
        seen['input'] = list(layers[0].kwargs['shape'])
        seen['layers'] = [layer.name for layer in layers[1:]]
    def compile(self, optimizer, loss, metrics):
        seen['compile'] = {'optimizer': optimizer.name, 'optimizer_args': optimizer.kwargs, 'loss': loss.name, 'loss_args': loss.kwargs, 'metrics': metrics}
    def summary(self):
        seen['summary'] = True
    def fit(self, x, y, **kwargs):
        assert list(x.shape[1:]) == seen['input'], (x.shape, seen['input'])
        assert x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1, (x.dtype, x.min(), x.max())
        if 'validation_data' in kwargs:
            vx, vy = kwargs['validation_data']
            assert list(vx.shape[1:]) == seen['input'] and len(vx) == len(vy), (vx.shape, vy.shape)
            kwargs['validation_data'] = [list(vx.shape), list(vy.shape)]
        seen['fit'] = {'x': list(x.shape), 'y': list(y.shape), **kwargs}
    def evaluate(self, x, y, verbose):
        assert list(x.shape[1:]) == seen['input'] and len(x) == len(y)
        seen['evaluate'] = {'x': list(x.shape), 'y': list(y.shape)}
        return [0.5, 0.9]
    def predict(self, x):
        assert list(x.shape[1:]) == seen['input']
        return np.tile(np.arange(10, dtype=np.float32), (len(x), 1))

def load_data():
    rng = np.random.default_rng(0)
    return ((rng.integers(0, 256, (200, 28, 28), dtype=np.uint8), rng.integers(0, 10, 200, dtype=np.uint8)),
            (rng.integers(0, 256, (50, 28, 28), dtype=np.uint8), rng.integers(0, 10, 50, dtype=np.uint8)))

class Softmaxed:
    def __init__(self, x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.value = e / e.sum(axis=1, keepdims=True)
    def numpy(self):
        return self.value

def set_random_seed(seed):
    seen['seed'] = seed

def learning_rate_scheduler(schedule):
    seen['schedule'] = [schedule(epoch) for epoch in range(3)]
    return 'lr_schedule'

def early_stopping(**kwargs):
    seen['early_stopping'] = kwargs
    return 'early_stopping'

tf = types.ModuleType('tensorflow')
tf.keras = types.SimpleNamespace(
    callbacks=types.SimpleNamespace(LearningRateScheduler=learning_rate_scheduler, EarlyStopping=early_stopping),
    utils=types.SimpleNamespace(set_random_seed=set_random_seed, to_categorical=lambda y, n: np.eye(n, dtype=np.float32)[y]),
    datasets=types.SimpleNamespace(mnist=types.SimpleNamespace(load_data=load_data), fashion_mnist=types.SimpleNamespace(load_data=load_data)),
    Input=recorder('Input'),
    Sequential=Model,
    layers=types.SimpleNamespace(**{n: recorder(n) for n in ['Flatten', 'Dense', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'Dropout', 'BatchNormalization', 'Activation', 'RandomTranslation', 'Reshape']}),
    optimizers=types.SimpleNamespace(**{n: recorder(n) for n in ['Adam', 'SGD', 'RMSprop']}),
    losses=types.SimpleNamespace(**{n: recorder(n) for n in ['SparseCategoricalCrossentropy', 'CategoricalCrossentropy']}),
)
tf.nn = types.SimpleNamespace(softmax=Softmaxed)
sys.modules['tensorflow'] = tf
reports = []
sys.stdout = sys.stderr
for code in json.load(sys.stdin):
    seen = {'calls': []}
    exec(compile(code, 'generated.py', 'exec'), {'__name__': '__main__'})
    del seen['calls']
    reports.append(seen)
sys.stdout = sys.__stdout__
print(json.dumps(reports, default=repr))
`;

interface HarnessReport {
  seed: number;
  input: number[];
  layers: string[];
  compile: { optimizer: string; optimizer_args: Record<string, number>; loss: string; loss_args: Record<string, boolean>; metrics: string[] };
  fit: { x: number[]; y: number[]; epochs: number; batch_size: number; validation_split?: number; validation_data?: [number[], number[]]; shuffle: boolean; callbacks?: string[] };
  /** The learning rates a LearningRateScheduler's lambda gives epochs 0, 1, 2. */
  schedule?: number[];
  /** The keyword arguments of tf.keras.callbacks.EarlyStopping. */
  early_stopping?: Record<string, unknown>;
  evaluate: { x: number[]; y: number[] };
}

function runWithStandIn(codes: readonly string[], cwd?: string): HarnessReport[] {
  const result = python(['-c', HARNESS], JSON.stringify(codes), cwd);
  if (result.status !== 0) throw new Error(`the generated code failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as HarnessReport[];
}

let presetReports: HarnessReport[] | null = null;
/** The stand-in run of every preset's code, made once. */
const presetReport = (id: string): HarnessReport | undefined => {
  presetReports ??= runWithStandIn(presets.map((p) => p.code));
  return presetReports[presets.findIndex((p) => p.id === id)];
};

const spec = (layers: LayerSpec[], compile: Partial<ModelSpec['compile']> = {}, fit: Partial<ModelSpec['fit']> = {}): ModelSpec => ({
  layers,
  compile: { ...DEFAULT_COMPILE, ...compile },
  fit: { ...DEFAULT_FIT, ...fit },
});

describe('pythonCode', () => {
  it.each(presets)('$id: the Sequential layers are the spec, and Keras would count its parameters', ({ preset, code }) => {
    const calls = parseSequential(code);
    const layers = toLayerSpecs(calls);
    expect(layers).toEqual(preset.spec.layers);
    expect(summarize({ layers }, { height: 28, width: 28, channels: 1 }).totalParams).toBe(preset.expectedParams);
    const input = calls[0];
    expect(input?.name).toBe('Input');
    const augmented = preset.spec.fit.augmentShift > 0;
    expect(input?.kwargs.shape).toEqual(augmented ? [28, 28, 1] : modelInputShape(preset.spec, { height: 28, width: 28, channels: 1 }));
    expect(calls.some((c) => c.name === 'RandomTranslation')).toBe(augmented);
  });

  it.each(presets)('$id: compile and fit carry the spec, in Python literals', ({ preset, code }) => {
    const { compile, fit } = preset.spec;
    expect(code).toContain(`tf.keras.utils.set_random_seed(${fit.seed})`);
    expect(code).toContain(`learning_rate=${pyFloat(compile.learningRate)}`);
    expect(code).toContain(`from_logits=${compile.fromLogits ? 'True' : 'False'}`);
    expect(code).toContain(`epochs=${fit.epochs},`);
    expect(code).toContain(`batch_size=${fit.batchSize},`);
    expect(code).toContain(fit.validationData === 'test' ? '    validation_data=(x_test, y_test),' : `validation_split=${pyFloat(fit.validationSplit)},`);
    expect(code).toContain(`shuffle=${fit.shuffle ? 'True' : 'False'},`);
    expect(code.includes('to_categorical')).toBe(compile.loss === 'categoricalCrossentropy');
    expect(code.includes('tf.nn.softmax(model.predict')).toBe(compile.fromLogits);
    expect(code).toContain(`tf.keras.datasets.${preset.dataset === 'mnist' ? 'mnist' : 'fashion_mnist'}.load_data()`);
    expect(code).toContain('/ 255.0');
    expect(code).toContain('model.summary()');
    expect(code).toContain('model.evaluate(x_test, y_test, verbose=2)');
    // JavaScript literals must not leak into Python.
    expect(code).not.toMatch(/\b(true|false|null|undefined|NaN)\b/);
  });

  it('writes the quickstart as the TensorFlow tutorial does, with logits and from_logits=True', () => {
    const { code } = presets.find((p) => p.id === 'quickstart') ?? { code: '' };
    expect(code).toContain('tf.keras.Input(shape=(28, 28, 1)),');
    expect(code).toContain("tf.keras.layers.Dense(128, activation='relu', use_bias=True),");
    expect(code).toContain('tf.keras.layers.Dense(10, activation=None, use_bias=True),');
    expect(code).toContain('optimizer=tf.keras.optimizers.Adam(learning_rate=0.001),');
    expect(code).toContain('loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),');
    expect(code).toContain('x_train = x_train[..., None]');
    // The tutorial's Flatten(input_shape=(28, 28)) has no channel axis: the code says why it adds one.
    expect(code).toContain("# (Flatten makes the same 784 inputs of (28, 28) images without it, as a tutorial's Flatten(input_shape=(28, 28)) does.)");
    // NumPy is imported only where the code uses it: to read a user's own IDX files.
    expect(code).not.toContain('import numpy');
  });

  it('says what Keras does with a softmax model given from_logits=True, and applies no second softmax', () => {
    const code = pythonCode(spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }], { fromLogits: true }), DATASETS.mnist);
    expect(code).toContain('# from_logits=True, yet the model ends in softmax: Keras warns, then takes the scores before the softmax.');
    expect(code).toContain('probabilities = model.predict(x_test[:5])');
    expect(code).not.toContain('tf.nn.softmax');
  });

  it('reshapes images to vectors for a Dense-first model and one-hot encodes for categorical CE', () => {
    const { code } = presets.find((p) => p.id === 'mlpDropout') ?? { code: '' };
    expect(code).toContain('x_train = x_train.reshape(-1, 784)');
    expect(code).toContain('tf.keras.Input(shape=(784,)),');
    expect(code).toContain('y_train = tf.keras.utils.to_categorical(y_train, 10)');
    expect(code).toContain('loss=tf.keras.losses.CategoricalCrossentropy(from_logits=False),');
  });

  it('writes the strongest model with augmentation, pooling strides and dropout rates', () => {
    const { code } = presets.find((p) => p.id === 'strongest') ?? { code: '' };
    // ±2.5 pixels, rounded by the nearest interpolation: the whole shifts −2…2, each as likely, as randomShift draws them.
    expect(code).toContain("tf.keras.layers.RandomTranslation(2.5 / 28, 2.5 / 28, fill_mode='constant', fill_value=0.0, interpolation='nearest'),");
    // The notebook's model.summary() lists the layers the playground's summary shows, RandomTranslation first.
    const mnist = { height: 28, width: 28, channels: 1 };
    expect(parseSequential(code).slice(1).map((c) => c.name)).toEqual([...augmentationRows(PRESETS.strongest.spec, mnist), ...summarize(PRESETS.strongest.spec, mnist).rows].map((row) => row.type));
    expect(code).toContain("tf.keras.layers.Conv2D(32, (3, 3), strides=(1, 1), padding='same', activation='relu'),");
    expect(code).toContain("tf.keras.layers.MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid'),");
    expect(code).toContain('tf.keras.layers.Dropout(0.25),');
    expect(code).toContain('tf.keras.layers.BatchNormalization(momentum=0.9),');
    expect(code).toMatch(/# Data augmentation: .* shifted at random by up to 2 pixels/);
  });

  it('keeps SGD momentum, the training subset and other optimizers', () => {
    const s = spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: false }], { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9 }, { trainLimit: 1000, shuffle: false, seed: 7 });
    const code = pythonCode(s, DATASETS.mnist);
    expect(code).toContain('optimizer=tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),');
    expect(code).toContain('x_train, y_train = x_train[:1000], y_train[:1000]');
    expect(code).toContain('use_bias=False');
    expect(code).toContain('shuffle=False,');
    expect(code).toContain('tf.keras.utils.set_random_seed(7)');
    expect(pythonCode({ ...s, compile: { ...s.compile, optimizer: 'rmsprop', learningRate: 1e-4 } }, DATASETS.mnist)).toContain('tf.keras.optimizers.RMSprop(learning_rate=0.0001)');
  });

  it('writes a per-epoch learning-rate decay as a LearningRateScheduler callback whose rates are the playground\'s', () => {
    const s = spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }], { learningRate: 0.002 }, { learningRateDecay: 0.5, trainLimit: 100 });
    const code = pythonCode(s, DATASETS.mnist);
    expect(code).toContain('lr_schedule = tf.keras.callbacks.LearningRateScheduler(lambda epoch: 0.002 * 0.5 ** epoch)');
    expect(code).toContain('(0.002, 0.001, 0.0005, …)');
    const [report, constant] = runWithStandIn([code, pythonCode({ ...s, fit: { ...s.fit, learningRateDecay: 1 } }, DATASETS.mnist)]);
    expect(report?.fit.callbacks).toEqual(['lr_schedule']);
    expect(report?.schedule).toEqual([1, 2, 3].map((epoch) => scheduledLearningRate(s, epoch)));
    expect(constant?.fit.callbacks).toBeUndefined();
    expect(constant?.schedule).toBeUndefined();
  });

  it('writes EarlyStopping as the callback Keras takes, beside a learning-rate schedule', () => {
    const s = spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }], {}, {
      validationSplit: 0.1,
      learningRateDecay: 0.5,
      earlyStopping: { monitor: 'val_accuracy', minDelta: 0, patience: 2, restoreBestWeights: true },
    });
    const code = pythonCode(s, DATASETS.mnist);
    expect(code).toContain("early_stopping = tf.keras.callbacks.EarlyStopping(monitor='val_accuracy', patience=2, restore_best_weights=True, verbose=1)");
    expect(code).toContain('# EarlyStopping ends training once val_accuracy has not risen for 2 epochs in a row,');
    const withoutRestore = pythonCode({ ...s, fit: { ...s.fit, learningRateDecay: 1, earlyStopping: { monitor: 'loss', minDelta: 0.01, patience: 0, restoreBestWeights: false } } }, DATASETS.mnist);
    expect(withoutRestore).toContain('# EarlyStopping ends training at the first epoch in which loss has not fallen by more than 0.01.');
    const [both, alone] = runWithStandIn([code, withoutRestore]);
    expect(both?.fit.callbacks).toEqual(['lr_schedule', 'early_stopping']);
    expect(both?.early_stopping).toEqual({ monitor: 'val_accuracy', patience: 2, restore_best_weights: true, verbose: 1 });
    expect(alone?.fit.callbacks).toEqual(['early_stopping']);
    expect(alone?.early_stopping).toEqual({ monitor: 'loss', min_delta: 0.01, patience: 0, restore_best_weights: false, verbose: 1 });
  });

  it("writes class_weight as Keras's dict of class indices, which fit receives", () => {
    const code = pythonCode(spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }], {}, { classWeight: { '5': 2, '0': 0.5 } }), DATASETS.mnist);
    expect(code).toContain('    class_weight={0: 0.5, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 2.0, 6: 1.0, 7: 1.0, 8: 1.0, 9: 1.0},');
    expect(code).toContain("# class_weight: class 0's images weigh 0.5, class 5's images weigh 2.0 in the loss, the others 1.");
    const [report] = runWithStandIn([code]);
    expect((report?.fit as unknown as Record<string, unknown>).class_weight).toEqual({ '0': 0.5, '1': 1, '2': 1, '3': 1, '4': 1, '5': 2, '6': 1, '7': 1, '8': 1, '9': 1 });
    expect(pythonCode(spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }]), DATASETS.mnist)).not.toContain('class_weight');
  });

  it('writes Python literals', () => {
    expect([pyFloat(0.001), pyFloat(1), pyFloat(0), pyFloat(1e-7), pyFloat(0.25)]).toEqual(['0.001', '1.0', '0.0', '1e-7', '0.25']);
    expect(pyString("it's")).toBe("'it\\'s'");
  });

  it('every preset is valid Python (ast.parse)', () => {
    // One Python process checks them all: a map of preset id → syntax error (or None).
    const check = 'import ast, json, sys\nerrors = {}\nfor k, code in json.load(sys.stdin).items():\n    try:\n        ast.parse(code)\n        errors[k] = None\n    except SyntaxError as e:\n        errors[k] = f"{e.msg} at line {e.lineno}"\nprint(json.dumps(errors))';
    const result = python(['-c', check], JSON.stringify(Object.fromEntries(presets.map((p) => [p.id, p.code]))));
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(Object.fromEntries(presets.map((p) => [p.id, null])));
  });

  it('the syntax check can fail', () => {
    expect(python(['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], 'model.fit(x, epochs=true,').status).not.toBe(0);
  });

  it.each(presets)('$id: runs with NumPy and a stand-in TensorFlow, the arrays fitting the model', ({ id, preset, code }) => {
    const report = presetReport(id);
    if (!report) throw new Error(`no report for ${id}`);
    const { compile, fit } = preset.spec;
    expect(report.seed).toBe(fit.seed);
    expect(report.layers.filter((name) => name !== 'RandomTranslation')).toEqual(parseSequential(code).slice(1).map((c) => c.name).filter((name) => name !== 'RandomTranslation'));
    // validation_data: the test arrays, shaped as the model takes them (the harness checks), 50 of them here.
    const validation = fit.validationData === 'test' ? { validation_data: [[50, ...report.input], [50]] } : { validation_split: fit.validationSplit };
    expect(report.fit).toMatchObject({ epochs: fit.epochs, batch_size: fit.batchSize, shuffle: fit.shuffle, ...validation });
    expect(report.fit.y).toEqual(compile.loss === 'categoricalCrossentropy' ? [200, 10] : [200]);
    expect(report.compile.loss).toBe(compile.loss === 'categoricalCrossentropy' ? 'CategoricalCrossentropy' : 'SparseCategoricalCrossentropy');
    expect(report.compile.loss_args).toEqual({ from_logits: compile.fromLogits });
    expect(report.compile.metrics).toEqual(['accuracy']);
  });

  it('a Dense-first model with augmentation keeps images for RandomTranslation, then reshapes', () => {
    const s = spec([{ type: 'dense', units: 32, activation: 'relu', useBias: true }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }], {}, { augmentShift: 3, trainLimit: 120 });
    const code = pythonCode(s, DATASETS.mnist);
    const calls = parseSequential(code);
    expect(calls.map((c) => c.name)).toEqual(['Input', 'RandomTranslation', 'Reshape', 'Dense', 'Dense']);
    expect(augmentationRows(s, { height: 28, width: 28, channels: 1 }).map((row) => row.type)).toEqual(['RandomTranslation', 'Reshape']);
    expect(toLayerSpecs(calls)).toEqual(s.layers);
    const [report] = runWithStandIn([code]);
    expect(report?.input).toEqual([28, 28, 1]);
    expect(report?.fit.x).toEqual([120, 28, 28, 1]);
  });

  it('asks RandomTranslation for the whole shifts randomShift draws, each as likely', () => {
    const s = spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }], {}, { augmentShift: 3 });
    const translation = parseSequential(pythonCode(s, DATASETS.mnist)).find((c) => c.name === 'RandomTranslation');
    for (const [factor, size] of [[translation?.args[0], 28], [translation?.args[1], 28]] as const) {
      // Keras draws t uniformly in ±factor·size pixels; nearest interpolation moves the image by round(t).
      const reach = num(factor) * size;
      const chance = (k: number): number => Math.max(0, Math.min(k + 0.5, reach) - Math.max(k - 0.5, -reach)) / (2 * reach);
      expect([-4, -3, -2, -1, 0, 1, 2, 3, 4].map((k) => chance(k) * 7)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 0]);
    }
  });

  it("loads the user's own IDX files with NumPy, and the code runs on them", () => {
    const dataset: PythonDataset = { id: 'user:letters', name: "Emma's letters", height: 12, width: 10, classCount: 4 };
    const s = spec([{ type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }]);
    const code = pythonCode(s, dataset);
    expect(code).not.toContain('load_data()');
    expect(code).toContain("x_train = load_idx('train-images-idx3-ubyte.gz')");
    expect(code).toContain('tf.keras.Input(shape=(12, 10, 1)),');

    const idx = (dims: number[], data: Uint8Array): Buffer => {
      const header = Buffer.alloc(4 + 4 * dims.length);
      header.writeUInt8(0x08, 2);
      header.writeUInt8(dims.length, 3);
      dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
      return gzipSync(Buffer.concat([header, data]));
    };
    const dir = mkdtempSync(join(tmpdir(), 'python-code-'));
    try {
      const images = (n: number): Uint8Array => Uint8Array.from({ length: n * 12 * 10 }, (_, i) => (i * 37) % 256);
      const labels = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % 4);
      writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), idx([30, 12, 10], images(30)));
      writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), idx([30], labels(30)));
      writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), idx([8, 12, 10], images(8)));
      writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), idx([8], labels(8)));
      const [report] = runWithStandIn([code], dir);
      expect(report?.fit.x).toEqual([30, 12, 10, 1]);
      expect(report?.evaluate.x).toEqual([8, 12, 10, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('predictOneSession', () => {
  it('is what Python prints, line by line, for a test image and a drawing, a Dense-first model and a CNN with logits', () => {
    const row = Float32Array.from([1.1144306e-7, 2.1299894e-10, 5.9917347e-9, 5.5427624e-10, 1.3124592e-8, 0.0026386473, 1.6044829e-7, 0.0068315342, 1.6719326e-6, 0.9905279]);
    const cases = [
      { session: predictOneSession(PRESETS.dlwpCh2.spec, { height: 28, width: 28 }, 7, row), images: '(10, 784)' },
      { session: predictOneSession(PRESETS.quickstart.spec, { height: 28, width: 28 }, null, row), images: '(10, 28, 28, 1)' },
    ];
    expect(cases[0]?.session).toContain('>>> image = x_test[7]');
    expect(cases[1]?.session).toContain('>>> probabilities = tf.nn.softmax(model.predict(batch, verbose=0)).numpy()');
    for (const { session, images } of cases) {
      const lines = session.split('\n');
      const program = [
        'import numpy as np, types',
        `row = np.array(${JSON.stringify(Array.from(row))}, dtype=np.float32)`,
        `x_test = np.zeros(${images}, dtype=np.float32)`,
        'picture = np.zeros((28, 28), dtype=np.float32)',
        'model = types.SimpleNamespace(predict=lambda batch, verbose: np.tile(row, (len(batch), 1)))',
        'tf = types.SimpleNamespace(nn=types.SimpleNamespace(softmax=lambda x: types.SimpleNamespace(numpy=lambda: x)))',
        ...lines.filter((line) => line.startsWith('>>> ')).map((line) => line.slice(4)),
      ].join('\n');
      const result = python(['-c', program], '');
      expect(result.stderr).toBe('');
      expect(result.stdout.trimEnd()).toBe(lines.filter((line) => !line.startsWith('>>> ')).join('\n'));
    }
  });
});

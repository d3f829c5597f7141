import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets';
import { augmentationRows, formatShape, insertionIndex, isTrainable, layerNames, outputActivation, summarize, trainingMemory, trainingMemoryWarning, validateSpec } from './shapes';
import { DEFAULT_COMPILE, DEFAULT_FIT, MAX_EPOCHS, type CompileSpec, type FitSpec, type LayerSpec, type ModelSpec } from './spec';

const MNIST = { height: 28, width: 28, channels: 1 };
const spec = (layers: LayerSpec[], compile: Partial<CompileSpec> = {}, fit: Partial<FitSpec> = {}): ModelSpec => ({
  layers,
  compile: { ...DEFAULT_COMPILE, ...compile },
  fit: { ...DEFAULT_FIT, ...fit },
});
const errors = (s: ModelSpec) => validateSpec(s, MNIST, 10).filter((i) => i.severity === 'error');
const errorText = (s: ModelSpec) => errors(s).map((i) => i.message);
const warnings = (s: ModelSpec) => validateSpec(s, MNIST, 10).filter((i) => i.severity === 'warning').map((i) => i.message);

const flatten: LayerSpec = { type: 'flatten' };
const dense = (units: number, activation: 'linear' | 'relu' | 'softmax' | 'sigmoid' = 'linear'): LayerSpec => ({ type: 'dense', units, activation, useBias: true });
const out = dense(10, 'softmax');
const conv = (kernelSize: number, padding: 'valid' | 'same' = 'valid', strides = 1): LayerSpec => ({ type: 'conv2d', filters: 4, kernelSize, strides, padding, activation: 'relu' });
/** A summary's rows as model.summary() prints them: name, type, output shape, parameters. */
const printed = (summary: ReturnType<typeof summarize>) => summary.rows.map((row) => [row.name, row.type, formatShape(row.outputShape), row.params]);
const pool = (poolSize = 2, strides: number | null = null, padding: 'valid' | 'same' = 'valid'): LayerSpec => ({ type: 'maxPooling2d', poolSize, strides, padding });

describe('augmentationRows', () => {
  const rows = (s: ModelSpec, input = MNIST) => augmentationRows(s, input).map((row) => [row.name, row.type, formatShape(row.outputShape), row.params]);

  it('lists nothing without random shifts', () => {
    expect(rows(spec([flatten, out]))).toEqual([]);
  });

  it("lists the exported code's RandomTranslation on whole images, with no parameters", () => {
    expect(rows(spec([conv(3), flatten, out], {}, { augmentShift: 2 }))).toEqual([['random_translation', 'RandomTranslation', '(None, 28, 28, 1)', 0]]);
    expect(rows(spec([flatten, out], {}, { augmentShift: 1 }), { height: 16, width: 12, channels: 1 })).toEqual([['random_translation', 'RandomTranslation', '(None, 16, 12, 1)', 0]]);
  });

  it('adds the Reshape to one vector per image for a model that starts with Dense', () => {
    expect(rows(spec([dense(32, 'relu'), out], {}, { augmentShift: 2 }))).toEqual([
      ['random_translation', 'RandomTranslation', '(None, 28, 28, 1)', 0],
      ['reshape', 'Reshape', '(None, 784)', 0],
    ]);
  });
});

describe('summarize', () => {
  it('summarises the Fashion CNN row by row, as model.summary() prints it', () => {
    const summary = summarize(PRESETS.fashionCnn.spec, MNIST);
    expect(formatShape(summary.inputShape)).toBe('(None, 28, 28, 1)');
    expect(printed(summary)).toEqual([
      ['conv2d', 'Conv2D', '(None, 27, 27, 32)', 160],
      ['max_pooling2d', 'MaxPooling2D', '(None, 13, 13, 32)', 0],
      ['conv2d_1', 'Conv2D', '(None, 12, 12, 32)', 4128],
      ['max_pooling2d_1', 'MaxPooling2D', '(None, 6, 6, 32)', 0],
      ['flatten', 'Flatten', '(None, 1152)', 0],
      ['dense', 'Dense', '(None, 256)', 295168],
      ['dense_1', 'Dense', '(None, 10)', 2570],
    ]);
    expect(summary.totalParams).toBe(302_026);
    expect(summary.totalBytes).toBe(302_026 * 4);
  });

  it('feeds a leading Dense the flattened image, as the tutorials reshape to 784', () => {
    const summary = summarize(PRESETS.dlwpCh2.spec, MNIST);
    expect(summary.inputShape).toEqual([null, 784]);
    expect(summary.rows.map((row) => row.params)).toEqual([784 * 512 + 512, 512 * 10 + 10]);
  });

  it('counts BatchNormalization’s moving statistics as non-trainable', () => {
    const summary = summarize(PRESETS.strongest.spec, MNIST);
    const bn = summary.rows.filter((row) => row.type === 'BatchNormalization');
    expect(bn.map((row) => [row.name, row.params, row.trainableParams, row.nonTrainableParams])[0]).toEqual(['batch_normalization', 128, 64, 64]);
    expect(bn.at(-1)?.name).toBe('batch_normalization_4');
    expect(summary.nonTrainableParams).toBe(2 * (32 + 32 + 64 + 64 + 128));
    expect(summary.trainableParams + summary.nonTrainableParams).toBe(summary.totalParams);
  });

  it('computes valid and same padding and strides like Keras', () => {
    const rows = summarize({ layers: [conv(3, 'valid', 2), conv(3, 'same', 2), pool(3, 2, 'same'), pool(2, 1)] }, MNIST).rows;
    // valid: floor((28 − 3) / 2) + 1 = 13; same: ceil(13 / 2) = 7; same pool: ceil(7 / 2) = 4; valid 2×2 stride 1: 3.
    expect(rows.map((row) => row.outputShape)).toEqual([
      [null, 13, 13, 4],
      [null, 7, 7, 4],
      [null, 4, 4, 4],
      [null, 3, 3, 4],
    ]);
    expect(rows[1]?.params).toBe(3 * 3 * 4 * 4 + 4);
  });

  it('omits the bias when useBias is false, and flattens an already flat vector unchanged', () => {
    const rows = summarize({ layers: [flatten, flatten, { type: 'dense', units: 10, activation: 'softmax', useBias: false }] }, MNIST).rows;
    expect(rows.map((row) => [row.name, formatShape(row.outputShape), row.params])).toEqual([
      ['flatten', '(None, 784)', 0],
      ['flatten_1', '(None, 784)', 0],
      ['dense', '(None, 10)', 7840],
    ]);
  });

  it('stops before the first layer that cannot apply, without throwing', () => {
    const summary = summarize({ layers: [flatten, dense(32), conv(3), dense(10)] }, MNIST);
    expect(summary.rows.map((row) => row.name)).toEqual(['flatten', 'dense']);
    expect(summary.totalParams).toBe(784 * 32 + 32);
    // It says where it stopped, so that its totals are not read as the model's.
    expect(summary.stoppedAt).toBe(2);
    expect(summarize({ layers: [flatten, dense(32), out] }, MNIST).stoppedAt).toBeNull();
    expect(summarize({ layers: [pool(8), conv(5), flatten, out] }, MNIST).rows).toHaveLength(1);
    expect(summarize({ layers: [flatten, dense(Number.NaN), out] }, MNIST).rows).toHaveLength(1);
    expect(summarize({ layers: [] }, MNIST).totalParams).toBe(0);
  });
});

describe('names and formatting', () => {
  it('numbers Keras auto names per type from 0', () => {
    expect(layerNames([flatten, dense(8), { type: 'dropout', rate: 0.1 }, dense(8), { type: 'activation', activation: 'relu' }, dense(10)])).toEqual([
      'flatten',
      'dense',
      'dropout',
      'dense_1',
      'activation',
      'dense_2',
    ]);
  });

  it('prints shapes as Python tuples', () => {
    expect(formatShape([null, 28, 28, 32])).toBe('(None, 28, 28, 32)');
    expect(formatShape([null, 128])).toBe('(None, 128)');
    expect(formatShape([null])).toBe('(None,)');
  });

  it('reads the output activation through Dropout and trailing Activation layers', () => {
    expect(outputActivation(PRESETS.mlpDropout.spec.layers)).toBe('softmax');
    expect(outputActivation([dense(10, 'softmax'), { type: 'dropout', rate: 0.1 }])).toBe('softmax');
    expect(outputActivation([dense(10, 'softmax'), { type: 'activation', activation: 'linear' }])).toBe('softmax');
    expect(outputActivation([dense(10, 'softmax'), { type: 'batchNormalization', momentum: 0.99 }])).toBe('linear');
    expect(outputActivation([flatten])).toBeNull();
  });

  it('adds layers before the output layer and its activations, or at the end without one', () => {
    expect(insertionIndex(PRESETS.quickstart.spec.layers, 10, 'dropout')).toBe(2);
    expect(insertionIndex(PRESETS.mlpDropout.spec.layers, 10, 'dense')).toBe(3);
    expect(insertionIndex([flatten, dense(128, 'relu')], 10, 'dense')).toBe(2);
    expect(insertionIndex([flatten, dense(10)], 3, 'dropout')).toBe(2);
    expect(insertionIndex([], 10, 'dense')).toBe(0);
  });

  it('adds a convolution or a pooling layer before the Flatten, where the images still are', () => {
    expect(insertionIndex(PRESETS.fashionCnn.spec.layers, 10, 'conv2d')).toBe(4);
    expect(insertionIndex(PRESETS.fashionCnn.spec.layers, 10, 'maxPooling2d')).toBe(4);
    expect(insertionIndex(PRESETS.fashionCnn.spec.layers, 10, 'averagePooling2d')).toBe(4);
    expect(insertionIndex(PRESETS.fashionCnn.spec.layers, 10, 'dropout')).toBe(6);
    expect(insertionIndex(PRESETS.mlpDropout.spec.layers, 10, 'conv2d')).toBe(3);
  });
});

describe('validateSpec', () => {
  it('accepts every preset without errors', () => {
    for (const preset of Object.values(PRESETS)) expect(errors(preset.spec)).toEqual([]);
  });

  it('rejects an empty model', () => {
    expect(errorText(spec([]))).toEqual(['The model has no layers: add at least a Dense layer with 10 units, one per class.']);
  });

  it('rejects a kernel larger than its input, naming the layer as the user sees it', () => {
    const issues = errors(spec([pool(8), conv(5), flatten, out]));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ layerIndex: 1, field: 'kernelSize' });
    expect(issues[0]?.message).toMatch(/^Layer 2 \(Conv2D\): kernel 5×5 is larger than its 3×3 input\./);
  });

  it('allows a kernel larger than its input with same padding', () => {
    expect(errors(spec([pool(8), conv(5, 'same'), flatten, out]))).toEqual([]);
  });

  it('rejects zero units, non-integer filters and strides, a negative dropout rate and a momentum of 1', () => {
    expect(errors(spec([flatten, dense(0, 'relu'), out]))[0]).toMatchObject({ layerIndex: 1, field: 'units' });
    expect(errorText(spec([flatten, dense(0, 'relu'), out]))[0]).toMatch(/^Layer 2 \(Dense\): units must be a whole number of at least 1 \(got 0\)/);
    // A number field left empty reads as such, not as "NaN".
    expect(errorText(spec([flatten, dense(Number.NaN, 'relu'), out]))[0]).toMatch(/^Layer 2 \(Dense\): units must be a whole number of at least 1 \(got an empty field\)/);
    expect(errors(spec([{ type: 'conv2d', filters: 2.5, kernelSize: 3, strides: 0, padding: 'valid', activation: 'relu' }, flatten, out])).map((i) => i.field)).toEqual([
      'filters',
      'strides',
    ]);
    expect(errorText(spec([flatten, { type: 'dropout', rate: -0.1 }, out]))).toEqual(['Layer 2 (Dropout): rate must be at least 0 and below 1 (got -0.1).']);
    expect(errors(spec([flatten, { type: 'dropout', rate: 1 }, out]))).toHaveLength(1);
    expect(errors(spec([pool(0), flatten, out]))[0]).toMatchObject({ layerIndex: 0, field: 'poolSize' });
    expect(errorText(spec([flatten, { type: 'batchNormalization', momentum: 1 }, out]))).toEqual(['Layer 2 (BatchNormalization): momentum must be at least 0 and below 1 (got 1).']);
  });

  it('rejects a shape that collapses to zero', () => {
    // 28 → 14 → 7 → 3 → 1, and a fifth pool has nothing left to pool.
    const issues = errors(spec([pool(), pool(), pool(), pool(), pool(), flatten, out]));
    expect(issues.map((i) => i.message)).toEqual(["Layer 5 (MaxPooling2D): pool 2×2 is larger than its 1×1 input. Use a smaller pool, 'same' padding, or fewer pooling layers before it."]);
    // A 1×1 input with a stride larger than it still yields one cell; 0×0 images collapse.
    expect(errorText(spec([conv(1), flatten, out]))).toEqual([]);
    const tiny = validateSpec(spec([{ type: 'conv2d', filters: 4, kernelSize: 1, strides: 1, padding: 'same', activation: 'relu' }, flatten, out]), { height: 0, width: 0, channels: 1 }, 10);
    expect(tiny.filter((i) => i.severity === 'error')[0]?.message).toMatch(/^Layer 1 \(Conv2D\): its output \(None, 0, 0, 4\) has collapsed to zero/);
  });

  it('asks for a Flatten before a Dense that follows a convolution, and explains why', () => {
    expect(errorText(spec([conv(3), out]))).toEqual([
      "Layer 2 (Dense): its input is (None, 26, 26, 4), an image of 4 channel(s). Keras's Dense would act on each pixel's last axis alone and output (None, 26, 26, 10), not one vector per image, so this playground asks for a flat input. Add a Flatten layer before it, which unrolls the 26×26×4 values into one vector of 2704.",
    ]);
  });

  it('rejects Conv2D and MaxPooling2D after the image was flattened; Flatten twice is fine', () => {
    expect(errorText(spec([flatten, conv(3), flatten, out]))[0]).toMatch(/^Layer 2 \(Conv2D\): Conv2D needs an image .* was already flattened/);
    // With no Flatten, the input is flat because the model starts with Dense: the fix names that layer.
    expect(errorText(spec([dense(32), pool(), out]))[0]).toBe(
      'Layer 2 (MaxPooling2D): MaxPooling2D needs an image (height, width, channels), but its input (None, 32) is flat: a model that starts with a Dense layer takes each image as one flat vector. Move it before the first Dense layer.',
    );
    expect(errors(spec([flatten, flatten, out]))).toEqual([]);
    expect(errorText(spec([dense(32), { type: 'averagePooling2d', poolSize: 2, strides: null, padding: 'valid' }, out]))[0]).toMatch(
      /^Layer 2 \(AveragePooling2D\): AveragePooling2D needs an image \(height, width, channels\), but its input \(None, 32\) is flat/,
    );
  });

  it("gives LeNet's average pooling Keras's names and shapes: each 2×2 pool halves the image and has no weights", () => {
    const summary = summarize(PRESETS.lenet.spec, MNIST);
    expect(printed(summary)).toEqual([
      ['conv2d', 'Conv2D', '(None, 28, 28, 6)', 156],
      ['average_pooling2d', 'AveragePooling2D', '(None, 14, 14, 6)', 0],
      ['conv2d_1', 'Conv2D', '(None, 10, 10, 16)', 2416],
      ['average_pooling2d_1', 'AveragePooling2D', '(None, 5, 5, 16)', 0],
      ['flatten', 'Flatten', '(None, 400)', 0],
      ['dense', 'Dense', '(None, 120)', 48120],
      ['dense_1', 'Dense', '(None, 84)', 10164],
      ['dense_2', 'Dense', '(None, 10)', 850],
    ]);
    expect(summary.totalParams).toBe(61_706);
    // A pool larger than its 'valid' input says which field to change.
    const tooBig = spec([{ type: 'averagePooling2d', poolSize: 30, strides: null, padding: 'valid' }, flatten, out]);
    expect(validateSpec(tooBig, MNIST, 10).find((issue) => issue.severity === 'error')?.field).toBe('poolSize');
  });

  it('warns that a Flatten on a flat input changes nothing, and offers to remove it', () => {
    const twice = spec([flatten, flatten, dense(128, 'relu'), out]);
    const [warning, ...others] = validateSpec(twice, MNIST, 10).filter((issue) => issue.severity === 'warning');
    expect(others).toEqual([]);
    expect(warning?.message).toBe('Layer 2 (Flatten): its input (None, 784) is already flat, so this Flatten changes nothing.');
    expect(warning?.layerIndex).toBe(1);
    expect(warning?.fix?.label).toBe('Remove this Flatten');
    expect(warning?.fix?.spec.layers).toEqual([flatten, dense(128, 'relu'), out]);
    // A model that starts with Dense takes flat images: a Flatten after it changes nothing either.
    expect(validateSpec(spec([dense(32, 'relu'), flatten, out]), MNIST, 10).map((issue) => issue.message)).toContain('Layer 2 (Flatten): its input (None, 32) is already flat, so this Flatten changes nothing.');
  });

  it('still checks later layers’ own settings after a shape error', () => {
    const issues = errors(spec([conv(3), dense(0), out]));
    expect(issues.map((i) => [i.layerIndex, i.field])).toEqual([
      [1, 'units'],
    ]);
    const more = errors(spec([flatten, conv(3), { type: 'dropout', rate: 2 }, out]));
    expect(more.map((i) => [i.layerIndex, i.field])).toEqual([
      [1, null],
      [2, 'rate'],
    ]);
  });

  it('asks for one output per class', () => {
    const issues = errors(spec([flatten, dense(7, 'softmax')]));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ layerIndex: 1, field: 'units' });
    expect(issues[0]?.message).toMatch(/^Layer 2 \(Dense\): the model must end with 10 outputs, one per class, but this layer has 7 units/);
    expect(errorText(spec([conv(3)]))).toEqual(['The model must end with 10 outputs, one per class, but it ends with (None, 26, 26, 4). End it with Flatten and Dense(10).']);
    expect(validateSpec(spec([flatten, dense(7, 'softmax')]), MNIST, 7).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('offers a repair for a wrong output size and for from_logits, each of which clears its issue', () => {
    const issuesOf = (s: ModelSpec, classes = 10) => validateSpec(s, MNIST, classes);
    const repaired = (s: ModelSpec, classes = 10) => {
      // Errors come first: a convolution's relu ending also asks for from_logits.
      const [issue] = issuesOf(s, classes).filter((i) => i.fix !== undefined);
      if (!issue?.fix) throw new Error('no repair');
      expect(issuesOf(issue.fix.spec, classes).map((i) => i.message)).not.toContain(issue.message);
      return { label: issue.fix.label, layers: issue.fix.spec.layers, compile: issue.fix.spec.compile };
    };
    // A model remembered from a user's 3-class dataset, opened on MNIST.
    expect(repaired(spec([flatten, dense(128, 'relu'), dense(3, 'softmax')]))).toMatchObject({ label: 'Set its units to 10', layers: [flatten, dense(128, 'relu'), out] });
    expect(repaired(spec([flatten, dense(10, 'softmax')]), 3)).toMatchObject({ label: 'Set its units to 3', layers: [flatten, dense(3, 'softmax')] });
    expect(repaired(spec([conv(3)]))).toMatchObject({ label: 'Add Flatten and Dense(10)', layers: [conv(3), flatten, out] });
    expect(repaired(spec([flatten, dense(64, 'relu'), { type: 'dropout', rate: 0.2 }], { fromLogits: true }))).toMatchObject({
      label: 'Add Dense(10)',
      layers: [flatten, dense(64, 'relu'), { type: 'dropout', rate: 0.2 }, dense(10)],
    });
    expect(repaired(spec([flatten, out], { fromLogits: true }))).toMatchObject({ label: 'Untick from_logits', compile: { fromLogits: false } });
    expect(repaired(spec([flatten, dense(10)], { fromLogits: false }))).toMatchObject({ label: 'Tick from_logits', compile: { fromLogits: true } });
    for (const preset of Object.values(PRESETS)) expect(issuesOf(preset.spec).filter((issue) => issue.fix)).toEqual([]);
  });

  it('checks compile and fit options', () => {
    const fields = (s: ModelSpec) => errors(s).map((i) => i.field);
    expect(fields(spec([flatten, out], { learningRate: 0 }))).toEqual(['learningRate']);
    expect(fields(spec([flatten, out], { learningRate: Number.POSITIVE_INFINITY }))).toEqual(['learningRate']);
    expect(fields(spec([flatten, out], { learningRate: Number.NaN }))).toEqual(['learningRate']);
    expect(fields(spec([flatten, out], { momentum: 1 }))).toEqual(['momentum']);
    expect(fields(spec([flatten, out], {}, { epochs: 0 }))).toEqual(['epochs']);
    expect(fields(spec([flatten, out], {}, { epochs: 1.5 }))).toEqual(['epochs']);
    // Epochs are capped: every one is a history row and a chart point kept with the run.
    expect(fields(spec([flatten, out], {}, { epochs: MAX_EPOCHS }))).toEqual([]);
    expect(errors(spec([flatten, out], {}, { epochs: 1e9 })).map((i) => i.message)).toEqual([expect.stringMatching(/^Epochs must be a whole number from 1 to 1,000 \(got 1000000000\)/)]);
    // A learning rate the field read as 0 (1e-400) is not reported as if 0 were typed.
    expect(errors(spec([flatten, out], { learningRate: 0 })).map((i) => i.message)).toEqual(['The learning rate must be a positive number (got 0, or a number too small for the browser to tell from 0).']);
    expect(fields(spec([flatten, out], {}, { batchSize: 0 }))).toEqual(['batchSize']);
    expect(fields(spec([flatten, out], {}, { validationSplit: 1 }))).toEqual(['validationSplit']);
    expect(fields(spec([flatten, out], {}, { validationSplit: -0.1 }))).toEqual(['validationSplit']);
    expect(fields(spec([flatten, out], {}, { trainLimit: 0 }))).toEqual(['trainLimit']);
    expect(fields(spec([flatten, out], {}, { trainLimit: 1 }))).toEqual([]);
    // The seed reaches NumPy through set_random_seed in the generated code: 0 to 2³² − 1, whole.
    for (const seed of [NaN, -1, 1.5, 2 ** 32]) expect(fields(spec([flatten, out], {}, { seed }))).toEqual(['seed']);
    for (const seed of [0, 2 ** 32 - 1]) expect(fields(spec([flatten, out], {}, { seed }))).toEqual([]);
    expect(fields(spec([flatten, out], { momentum: 0.9, optimizer: 'sgd' }, { validationSplit: 0.2 }))).toEqual([]);
  });

  it('warns of a learning rate far above what Adam and RMSprop train at (over 10 times their 0.001), or over 1 for SGD, and offers the default', () => {
    const [issue, ...others] = validateSpec(spec([flatten, out], { optimizer: 'rmsprop', learningRate: 0.1 }), MNIST, 10);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({
      severity: 'warning',
      field: 'learningRate',
      message: "RMSprop usually trains at 0.001 (Keras's default), and 0.1 is 100 times that: steps that large overshoot, so the model often ends less accurate, and at worst its loss climbs far above a guess's and accuracy stays near chance.",
    });
    expect(issue?.fix?.spec.compile.learningRate).toBe(0.001);
    const rates = (optimizer: 'adam' | 'sgd' | 'rmsprop', learningRate: number) => validateSpec(spec([flatten, out], { optimizer, learningRate }), MNIST, 10).map((i) => i.field);
    expect([rates('adam', 0.01), rates('adam', 0.02), rates('sgd', 0.5), rates('sgd', 2)]).toEqual([[], ['learningRate'], [], ['learningRate']]);
  });

  it('validates on the test set (validation_data) for EarlyStopping on val_ figures too, and warns that it overrides a split, offering to clear it', () => {
    const onTest = spec([flatten, out], {}, { validationData: 'test', validationSplit: 0, earlyStopping: { monitor: 'val_loss', minDelta: 0, patience: 2, restoreBestWeights: true }, epochs: 10 });
    expect(validateSpec(onTest, MNIST, 10, 60_000)).toEqual([]);
    const [issue, ...others] = validateSpec({ ...onTest, fit: { ...onTest.fit, validationSplit: 0.2 } }, MNIST, 10, 60_000);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ severity: 'warning', field: 'validationSplit', message: expect.stringMatching(/overrides the validation split, as in Keras: the split of 0\.2 is not used/) as unknown });
    expect(issue?.fix?.spec.fit.validationSplit).toBe(0);
  });

  it("checks class_weight's classes against the dataset's, and its weights", () => {
    const weighted = (classWeight: Record<string, number>) => errors(spec([flatten, out], {}, { classWeight })).map((i) => i.message);
    expect(weighted({ '5': 2, '0': 0.5, '1': 0 })).toEqual([]);
    expect(weighted({ '3': -1 })).toEqual(['The weight of class 3 must be a number, 0 or more (got -1): 1 weighs its images as usual, 2 twice as much, 0 leaves them out of the loss.']);
    expect(errors(spec([flatten, out], {}, { classWeight: { '3': Number.NaN } })).map((i) => i.field)).toEqual(['classWeight.3']);
    // Weights made for a dataset with more classes: Keras ignores a class the data lacks; one click drops it.
    const [stray, ...others] = validateSpec(spec([flatten, out], {}, { classWeight: { '5': 2, '12': 3 } }), MNIST, 10);
    expect(others).toEqual([]);
    expect(stray).toMatchObject({ severity: 'warning', message: 'class_weight names class 12, which this dataset does not have (its classes are 0 to 9): Keras ignores it.' });
    expect(stray?.fix?.spec.fit.classWeight).toEqual({ '5': 2 });
  });

  it('warns of a training subset larger than the dataset, which takes it all, and offers to train on all images', () => {
    const oversized = { ...PRESETS.quickstart.spec, fit: { ...PRESETS.quickstart.spec.fit, trainLimit: 100_000 } };
    const [issue, ...others] = validateSpec(oversized, MNIST, 10, 60_000);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ severity: 'warning', field: 'trainLimit', message: "This dataset has 60,000 training images, so a subset of 100,000 takes them all, as Keras's x_train[:100000] would." });
    expect(issue?.fix?.spec.fit.trainLimit).toBeNull();
    expect(validateSpec({ ...oversized, fit: { ...oversized.fit, trainLimit: 60_000 } }, MNIST, 10, 60_000)).toEqual([]);
  });

  it('refuses a split that leaves no training image, naming the field that set the count', () => {
    const fitWith = (fit: Partial<FitSpec>): ModelSpec => ({ ...PRESETS.quickstart.spec, fit: { ...PRESETS.quickstart.spec.fit, ...fit } });
    const fields = (fit: Partial<FitSpec>, trainImages?: number) => validateSpec(fitWith(fit), MNIST, 10, trainImages).map((i) => `${i.field}: ${i.message}`);
    // Keras: split_at = int(1 × (1 − 0.5)) = 0, and fit raises on the empty training set.
    expect(fields({ trainLimit: 1, validationSplit: 0.5 }, 60000)).toEqual([
      "trainLimit: A validation split of 0.5 leaves none of the 1 training image to train on: Keras's fit trains on the first int(1 × (1 − 0.5)) = 0. Use more training images or a smaller split.",
    ]);
    expect(fields({ trainLimit: null, validationSplit: 0.9 }, 1)).toEqual([expect.stringMatching(/^validationSplit: A validation split of 0\.9 leaves none of the 1 training image to train/)]);
    // A subset larger than the dataset did not set the count: the split is to blame.
    expect(fields({ trainLimit: 1000, validationSplit: 0.5 }, 1)).toEqual([expect.stringMatching(/^trainLimit: This dataset has 1 training images/), expect.stringMatching(/^validationSplit: /)]);
    // One image left to train on is enough; without the dataset's size nothing can be said.
    expect(fields({ trainLimit: 2, validationSplit: 0.5 }, 60000)).toEqual([]);
    expect(fields({ trainLimit: 3, validationSplit: 0.9 }, 60000)).toEqual([expect.stringMatching(/none of the 3 training images/)]);
    expect(fields({ trainLimit: 1, validationSplit: 0.5 })).toEqual([]);
  });

  it('asks EarlyStopping on a val_ quantity for a validation split, with a repair, and warns when its patience cannot shorten the run', () => {
    const stopping = (monitor: 'val_loss' | 'loss', patience: number, epochs = 10, validationSplit = 0) =>
      spec([flatten, out], {}, { epochs, validationSplit, earlyStopping: { monitor, minDelta: 0, patience, restoreBestWeights: true } });
    const noSplit = validateSpec(stopping('val_loss', 3), MNIST, 10);
    expect(noSplit.map((i) => [i.severity, i.field])).toEqual([['error', 'earlyStoppingMonitor']]);
    expect(noSplit[0]?.message).toBe('EarlyStopping watches val_loss, which only a validation split gives: with none, Keras warns that val_loss is not available and never stops.');
    const fixed = noSplit[0]?.fix?.spec;
    expect(fixed?.fit.validationSplit).toBe(0.1);
    expect(fixed && validateSpec(fixed, MNIST, 10)).toEqual([]);
    expect(validateSpec(stopping('loss', 3), MNIST, 10)).toEqual([]);
    // Patience 3 stops no sooner than after epoch 4: it can shorten 5 epochs, not 4.
    expect(warnings(stopping('loss', 3, 5))).toEqual([]);
    expect(warnings(stopping('loss', 3, 4))).toEqual([
      'With patience 3, EarlyStopping can end a run no sooner than after epoch 4, so it cannot shorten these 4 epochs (it still restores the weights of the best epoch). Train more epochs, or lower the patience.',
    ]);
    expect(errors(stopping('loss', 1.5)).map((i) => i.field)).toEqual(['earlyStoppingPatience']);
    const delta = (minDelta: number) => errors(spec([flatten, out], {}, { earlyStopping: { monitor: 'loss', minDelta, patience: 2, restoreBestWeights: false } })).map((i) => i.field);
    expect([delta(0.01), delta(-0.01), delta(Number.NaN)]).toEqual([[], ['earlyStoppingMinDelta'], ['earlyStoppingMinDelta']]);
  });

  it('warns about softmax with from_logits, and about logits without it', () => {
    expect(warnings(spec([flatten, out], { fromLogits: true }))).toEqual([expect.stringMatching(/ends in softmax.*from_logits=True.*tf\.keras notices.*Untick from_logits/)]);
    expect(warnings(spec([flatten, dense(10), { type: 'activation', activation: 'softmax' }], { fromLogits: true }))[0]).toMatch(/tf\.keras notices/);
    // A Dropout after the softmax hides it from Keras as from this playground: softmax twice.
    expect(warnings(spec([flatten, out, { type: 'dropout', rate: 0.1 }], { fromLogits: true }))).toEqual([expect.stringMatching(/softmax is applied twice/)]);
    expect(warnings(spec([flatten, dense(10)], { fromLogits: false }))).toEqual([expect.stringMatching(/raw scores \(logits.*treat those scores as probabilities/)]);
    expect(warnings(spec([flatten, dense(10, 'sigmoid')], { fromLogits: false }))[0]).toMatch(/ends in the sigmoid activation, not softmax/);
    expect(warnings(spec([flatten, dense(10)], { fromLogits: true }))).toEqual([]);
    expect(warnings(spec([flatten, out], { fromLogits: false }))).toEqual([]);
    for (const preset of Object.values(PRESETS)) expect(warnings(preset.spec)).toEqual([]);
  });

  it('never throws, whatever values a spec from JSON holds', () => {
    const junk = JSON.parse(
      JSON.stringify({
        layers: [
          { type: 'conv2d', filters: 'many', kernelSize: null, strides: -1, padding: 'full', activation: 'swish' },
          { type: 'warp' },
          { type: 'dense', units: 12.5, activation: 'relu', useBias: true },
          { type: 'dropout' },
          { type: 'maxPooling2d', poolSize: 2, strides: 'x', padding: 'valid' },
        ],
        compile: { optimizer: 'lion', learningRate: '0.1', momentum: null, loss: 'mse', fromLogits: 'yes' },
        fit: { epochs: null, batchSize: 'big', validationSplit: null, shuffle: true, seed: 1, augmentShift: -1, learningRateDecay: 0, trainLimit: 'all' },
      }),
    ) as ModelSpec;
    const issues = validateSpec(junk, MNIST, 10);
    expect(issues.filter((i) => i.severity === 'error').map((i) => i.field)).toEqual([
      'filters',
      'kernelSize',
      'strides',
      'padding',
      'activation',
      'type',
      'units',
      'rate',
      'strides',
      'optimizer',
      'loss',
      'learningRate',
      'momentum',
      'epochs',
      'batchSize',
      'validationSplit',
      'trainLimit',
      'augmentShift',
      'learningRateDecay',
    ]);
    expect(issues.find((i) => i.field === 'learningRateDecay')?.message).toMatch(/above 0 and at most 1, where 1 keeps it constant \(got 0\)/);
    for (const decay of [1, 0.5, 1e-3]) expect(validateSpec({ ...PRESETS.quickstart.spec, fit: { ...PRESETS.quickstart.spec.fit, learningRateDecay: decay } }, MNIST, 10)).toEqual([]);
    expect(validateSpec({ ...PRESETS.quickstart.spec, fit: { ...PRESETS.quickstart.spec.fit, learningRateDecay: 1.1 } }, MNIST, 10).map((i) => i.field)).toEqual(['learningRateDecay']);
    expect(issues.find((i) => i.field === 'type')?.message).toBe("Layer 2 (warp): unknown layer type 'warp'.");
    // A shift as large as a small dataset's images would move them out of the frame (and Keras's RandomTranslation refuses its factor).
    const small = { height: 8, width: 10, channels: 1 };
    const shifted = (augmentShift: number): ModelSpec => ({ ...PRESETS.quickstart.spec, fit: { ...PRESETS.quickstart.spec.fit, augmentShift } });
    expect(validateSpec(shifted(7), small, 10)).toEqual([]);
    expect(validateSpec(shifted(8), small, 10).map((i) => i.message)).toEqual(['A shift of 8 pixels can move these 8 × 10 images out of their frame: it must be below 8 here.']);
    expect(() => summarize(junk, MNIST)).not.toThrow();
    expect(validateSpec({ ...junk, layers: null } as unknown as ModelSpec, MNIST, 10)[0]?.message).toMatch(/no layers/);
  });
});

describe('the training memory warning', () => {
  const memoryWarnings = (spec: ModelSpec) => validateSpec(spec, MNIST, 10, 60000).filter((issue) => issue.message.startsWith('Training this model takes about'));

  it('is not given for any preset, at its own batch size', () => {
    for (const preset of Object.values(PRESETS)) expect(memoryWarnings(preset.spec)).toEqual([]);
    expect(trainingMemory(PRESETS.quickstart.spec, MNIST).bytes).toBeLessThan(10 * 2 ** 20);
  });

  it('names the layer of a Dense too wide for a tab: its weights, gradients and Adam\'s two moments', () => {
    const [flatten, , output] = PRESETS.quickstart.spec.layers;
    if (!flatten || !output) throw new Error('the quickstart has three layers');
    const spec: ModelSpec = { ...PRESETS.quickstart.spec, layers: [flatten, { type: 'dense', units: 1_000_000, activation: 'relu', useBias: true }, output] };
    // 795M weights, four float32 copies of each under Adam, and a batch of 32's outputs twice (values and gradients): about 12 GiB.
    expect(trainingMemory(spec, MNIST)).toEqual({ bytes: 4 * 4 * 795_000_010 + 4 * 2 * 32 * (784 + 1_000_000 + 10), layerIndex: 1 });
    const [warning] = memoryWarnings(spec);
    expect(warning).toMatchObject({ severity: 'warning', layerIndex: 1, field: 'units' });
    expect(warning?.message).toMatch(/^Training this model takes about 12 GB .* most of it for Layer 2 \(Dense\)\./);
    expect(isTrainable(validateSpec(spec, MNIST, 10, 60000))).toBe(true);
  });

  it('says that WASM has room for a model under 2 GB, and that one over it will likely fail anywhere, at the sizes measured on WASM', () => {
    const [flatten, , output] = PRESETS.quickstart.spec.layers;
    if (!flatten || !output) throw new Error('the quickstart has three layers');
    const wide = (units: number): ModelSpec => ({ ...PRESETS.quickstart.spec, layers: [flatten, { type: 'dense', units, activation: 'relu', useBias: true }, output] });
    // Under Adam at batch 32: Dense(150000) is 1.8 GB by the estimate and trained on WASM; Dense(175000), 2.1 GB, ran out of memory.
    const [trains] = memoryWarnings(wide(150_000));
    expect(trains?.message).toMatch(/^Training this model takes about 1\.8 GB .* WASM has room for it .* on WebGL the run may fail .* choose WASM as the backend/);
    expect(trains?.message).not.toMatch(/will likely fail/);
    const [fails] = memoryWarnings(wide(175_000));
    expect(fails?.message).toMatch(/^Training this model takes about 2\.1 GB .* The run will likely fail with an out-of-memory error/);
    expect(fails?.message).not.toMatch(/WASM has room/);
    expect(memoryWarnings(wide(60_000))).toEqual([]);
    // A model no machine's tab could hold is told it will fail, not that it likely will.
    const [impossible] = memoryWarnings(wide(1_000_000_000));
    expect(impossible?.message).toMatch(/ No browser tab gets that much .*: the run will fail with an out-of-memory error\. Use fewer units/);
    // The same words for a share link's model, before it is opened.
    expect(trainingMemoryWarning(wide(1_000_000_000), MNIST)).toBe(impossible?.message);
    expect(trainingMemoryWarning(wide(60_000), MNIST)).toBeNull();
  });

  it('counts a batch of activations: 20,000 filters have few weights but huge outputs', () => {
    const spec: ModelSpec = {
      ...PRESETS.fashionCnn.spec,
      layers: [{ type: 'conv2d', filters: 20_000, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }],
    };
    expect(memoryWarnings(spec)).toMatchObject([{ layerIndex: 0, field: 'filters' }]);
  });
});

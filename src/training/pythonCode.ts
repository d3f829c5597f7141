/**
 * A spec → the tf.keras Python a learner pastes into a notebook to train the same model:
 * loading, normalisation, the Sequential model with every argument, compile, fit, evaluate,
 * predict. Pure string building: no tfjs, no DOM. The code mirrors what the playground does
 * (same subset, same split, same augmentation); Python's initialisers and shuffling differ
 * from the browser's, so the same seed gives a reproducible run, not identical numbers.
 */
import { numpyFloat32Array } from './kerasLog';
import { endsInSoftmax, modelInputShape } from './shapes';
import { classWeightOf, DEFAULT_BATCH_NORM_MOMENTUM, LAYER_TYPES, listedClassWeights, lowerIsBetter, scheduledLearningRate, type Activation, type LayerSpec, type ModelSpec, type OptimizerName } from './spec';

/** The dataset the code trains on: a built-in one by id, or the user's own IDX files. */
export interface PythonDataset {
  /** 'mnist' or 'fashion-mnist' load through Keras; any other id is the user's own IDX files. */
  readonly id: string;
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly classCount: number;
}

/** Keras's loader for each built-in dataset. */
const KERAS_DATASETS: Readonly<Record<string, string>> = {
  mnist: 'mnist',
  'fashion-mnist': 'fashion_mnist',
};

/** Keras's optimizer classes. */
const OPTIMIZER_CLASSES = {
  adam: 'Adam',
  sgd: 'SGD',
  rmsprop: 'RMSprop',
} as const satisfies Record<OptimizerName, string>;

/** A number as a Python float literal: `0.001`, `1.0`, `1e-07`. */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return "float('nan')";
  if (!Number.isFinite(n)) return n > 0 ? "float('inf')" : "-float('inf')";
  const text = String(n);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** A whole number as a Python int literal. */
const pyInt = (n: number): string => String(Math.trunc(n));

/** A boolean as Python writes it. */
const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** A string as a Python single-quoted literal. */
export function pyString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** An activation argument: Keras's default, no activation, is `None`. */
const pyActivation = (a: Activation): string => (a === 'linear' ? 'None' : pyString(a));

/** Text safe inside a one-line `#` comment. */
const comment = (s: string): string => s.replace(/[\r\n]+/g, ' ');

/** One `tf.keras.layers.…(…)` call for a layer, with all its arguments. */
export function pythonLayer(layer: LayerSpec): string {
  const k = 'tf.keras.layers.';
  switch (layer.type) {
    case 'flatten':
      return `${k}Flatten()`;
    case 'dense':
      return `${k}Dense(${pyInt(layer.units)}, activation=${pyActivation(layer.activation)}, use_bias=${pyBool(layer.useBias)})`;
    case 'conv2d': {
      const size = pyInt(layer.kernelSize);
      const stride = pyInt(layer.strides);
      return `${k}Conv2D(${pyInt(layer.filters)}, (${size}, ${size}), strides=(${stride}, ${stride}), padding=${pyString(layer.padding)}, activation=${pyActivation(layer.activation)})`;
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const size = pyInt(layer.poolSize);
      const strides = layer.strides === null ? 'None' : `(${pyInt(layer.strides)}, ${pyInt(layer.strides)})`;
      return `${k}${LAYER_TYPES[layer.type]}(pool_size=(${size}, ${size}), strides=${strides}, padding=${pyString(layer.padding)})`;
    }
    case 'dropout':
      return `${k}Dropout(${pyFloat(layer.rate)})`;
    case 'batchNormalization':
      return layer.momentum === DEFAULT_BATCH_NORM_MOMENTUM ? `${k}BatchNormalization()` : `${k}BatchNormalization(momentum=${pyFloat(layer.momentum)})`;
    case 'activation':
      return `${k}Activation(${pyString(layer.activation)})`;
  }
}

/** A shape as a Python tuple: `(784,)`, `(28, 28, 1)`. */
const pyTuple = (dims: readonly number[]): string => (dims.length === 1 ? `(${pyInt(dims[0] ?? 0)},)` : `(${dims.map(pyInt).join(', ')})`);

const IDX_LOADER = `def load_idx(path):
    """Reads an IDX file (gzip-compressed or not) of unsigned bytes into a NumPy array."""
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
        data = f.read()
    # Header: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions,
    # then each dimension as a big-endian 32-bit integer; the pixels follow, row by row.
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f'{path} is not an IDX file of unsigned bytes')
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)

`;

function loadingCode(dataset: PythonDataset): string[] {
  const kerasName = KERAS_DATASETS[dataset.id];
  if (kerasName !== undefined) {
    return [
      `# ${comment(dataset.name)}: ${dataset.height}×${dataset.width} grayscale images with pixel values 0–255, and labels 0–${dataset.classCount - 1}.`,
      `(x_train, y_train), (x_test, y_test) = tf.keras.datasets.${kerasName}.load_data()`,
    ];
  }
  return [
    '',
    IDX_LOADER,
    `# "${comment(dataset.name)}": your own dataset, as four IDX files (the format MNIST ships in).`,
    '# Put them next to this notebook, or change the paths below.',
    "x_train = load_idx('train-images-idx3-ubyte.gz')",
    "y_train = load_idx('train-labels-idx1-ubyte.gz')",
    "x_test = load_idx('t10k-images-idx3-ubyte.gz')",
    "y_test = load_idx('t10k-labels-idx1-ubyte.gz')",
    `assert x_train.shape[1:] == (${dataset.height}, ${dataset.width}), x_train.shape`,
  ];
}

/**
 * The tf.keras Python for training `spec` on `dataset`, as a learner would write it in a
 * notebook. Assumes a valid spec (see `validateSpec`).
 */
export function pythonCode(spec: ModelSpec, dataset: PythonDataset): string {
  const { compile, fit } = spec;
  const { height, width, classCount } = dataset;
  const input = modelInputShape(spec, { height, width, channels: 1 });
  const flatInput = input.length === 1;
  const categorical = compile.loss === 'categoricalCrossentropy';
  const augment = fit.augmentShift > 0;
  const lines: string[] = [];
  const blank = (): void => {
    lines.push('');
  };

  const builtin = KERAS_DATASETS[dataset.id] !== undefined;
  lines.push(`# ${comment(dataset.name)}: the model from the playground, in tf.keras.`, ...(builtin ? [] : ['import gzip', 'import numpy as np']), 'import tensorflow as tf', '');
  lines.push(
    '# Seeds Python, NumPy and TensorFlow, so running this again on a CPU gives the same result',
    '# (on a GPU, also call tf.config.experimental.enable_op_determinism()). The browser',
    '# initialises and shuffles differently, so its numbers will not match exactly.',
    `tf.keras.utils.set_random_seed(${pyInt(fit.seed)})`,
  );
  blank();
  lines.push(...loadingCode(dataset));
  if (fit.trainLimit !== null) {
    blank();
    lines.push(`# Train on the first ${fit.trainLimit} images only, as the playground run did.`, `x_train, y_train = x_train[:${pyInt(fit.trainLimit)}], y_train[:${pyInt(fit.trainLimit)}]`);
  }
  blank();
  lines.push('# Scale pixels from 0–255 to 0–1.', "x_train = x_train.astype('float32') / 255.0", "x_test = x_test.astype('float32') / 255.0");
  if (flatInput && !augment) {
    lines.push(
      `# The first layer is Dense, so each image becomes one vector of ${height}×${width} = ${height * width} numbers.`,
      `x_train = x_train.reshape(-1, ${height * width})`,
      `x_test = x_test.reshape(-1, ${height * width})`,
    );
  } else {
    lines.push('# Add the channel axis: (count, height, width) → (count, height, width, 1).');
    // A tutorial's Flatten(input_shape=(28, 28)) takes the images without it: say why this code differs.
    if (spec.layers[0]?.type === 'flatten') lines.push(`# (Flatten makes the same ${height * width} inputs of (${height}, ${width}) images without it, as a tutorial's Flatten(input_shape=(${height}, ${width})) does.)`);
    lines.push('x_train = x_train[..., None]', 'x_test = x_test[..., None]');
  }
  if (categorical) {
    blank();
    lines.push(
      `# CategoricalCrossentropy wants one-hot labels: 3 → [0, 0, 0, 1, 0, …] (${classCount} classes).`,
      `y_train = tf.keras.utils.to_categorical(y_train, ${pyInt(classCount)})`,
      `y_test = tf.keras.utils.to_categorical(y_test, ${pyInt(classCount)})`,
    );
  }

  blank();
  const modelInput = augment ? [height, width, 1] : [...input];
  const layerLines = [`tf.keras.Input(shape=${pyTuple(modelInput)})`];
  if (augment) {
    const shift = pyInt(fit.augmentShift);
    lines.push(
      `# Data augmentation: each training image is shifted at random by up to ${shift} pixels in each`,
      '# direction (the gap filled with black), so the model sees the digits in slightly different',
      "# places and learns shapes rather than positions. Keras's random layers are only active",
      '# during training: evaluate() and predict() see the images unshifted.',
      `# RandomTranslation draws each shift from -${shift}.5 to ${shift}.5 pixels and rounds it, so whole shifts`,
      `# from -${shift} to ${shift} come equally often, as in the playground (${shift} / ${pyInt(height)} would give ±${shift} half as often).`,
    );
    layerLines.push(`tf.keras.layers.RandomTranslation(${shift}.5 / ${pyInt(height)}, ${shift}.5 / ${pyInt(width)}, fill_mode='constant', fill_value=0.0, interpolation='nearest')`);
    if (flatInput) layerLines.push(`tf.keras.layers.Reshape((${height * width},))  # the Dense layers want one vector per image`);
  }
  layerLines.push(...spec.layers.map(pythonLayer));
  lines.push('model = tf.keras.Sequential([', ...layerLines.map((line) => withComma(line)), '])');

  blank();
  const optimizerArgs = [`learning_rate=${pyFloat(compile.learningRate)}`];
  if (compile.optimizer === 'sgd' && compile.momentum > 0) optimizerArgs.push(`momentum=${pyFloat(compile.momentum)}`);
  const lossClass = categorical ? 'CategoricalCrossentropy' : 'SparseCategoricalCrossentropy';
  const softmaxLast = endsInSoftmax(spec.layers);
  if (compile.fromLogits) {
    lines.push(
      softmaxLast
        ? '# from_logits=True, yet the model ends in softmax: Keras warns, then takes the scores before the softmax.'
        : '# The last layer outputs raw scores (logits): the loss applies softmax itself.',
    );
  }
  lines.push(
    'model.compile(',
    `    optimizer=tf.keras.optimizers.${OPTIMIZER_CLASSES[compile.optimizer]}(${optimizerArgs.join(', ')}),`,
    `    loss=tf.keras.losses.${lossClass}(from_logits=${pyBool(compile.fromLogits)}),`,
    "    metrics=['accuracy'],",
    ')',
    'model.summary()',
  );

  blank();
  const scheduled = fit.learningRateDecay !== 1;
  if (scheduled) {
    const [first, second, third] = [1, 2, 3].map((epoch) => pyFloat(Number(scheduledLearningRate(spec, epoch).toPrecision(6))));
    lines.push(
      `# The learning rate is multiplied by ${pyFloat(fit.learningRateDecay)} after each epoch (${first}, ${second}, ${third}, …):`,
      '# big steps while the model is far from good, small ones to settle into a minimum at the end.',
      '# (A per-step ExponentialDecay(initial_learning_rate, decay_steps, decay_rate) multiplies it by decay_rate ** (steps_per_epoch / decay_steps) each epoch.)',
      `lr_schedule = tf.keras.callbacks.LearningRateScheduler(lambda epoch: ${pyFloat(compile.learningRate)} * ${pyFloat(fit.learningRateDecay)} ** epoch)`,
    );
  }
  const stopping = fit.earlyStopping;
  if (stopping) {
    const better = lowerIsBetter(stopping.monitor) ? 'fallen' : 'risen';
    lines.push(
      `# EarlyStopping ends training ${stopping.patience === 0 ? `at the first epoch in which ${stopping.monitor} has not ${better}` : `once ${stopping.monitor} has not ${better} for ${stopping.patience === 1 ? '1 epoch' : `${pyInt(stopping.patience)} epochs in a row`}`}${stopping.minDelta > 0 ? ` by more than ${pyFloat(stopping.minDelta)}` : ''}${stopping.restoreBestWeights ? ',' : '.'}`,
      ...(stopping.restoreBestWeights ? ['# then gives the model back the weights of its best epoch (Keras 3 does so even when it did not stop early).'] : []),
      '# verbose=1: it prints when it stops, and which weights it restores.',
      `early_stopping = tf.keras.callbacks.EarlyStopping(monitor=${pyString(stopping.monitor)}${stopping.minDelta > 0 ? `, min_delta=${pyFloat(stopping.minDelta)}` : ''}, patience=${pyInt(stopping.patience)}, restore_best_weights=${pyBool(stopping.restoreBestWeights)}, verbose=1)`,
    );
  }
  const callbacks = [...(scheduled ? ['lr_schedule'] : []), ...(stopping ? ['early_stopping'] : [])];
  const onTest = fit.validationData === 'test';
  const weighted = listedClassWeights(fit.classWeight);
  if (weighted.length > 0) {
    lines.push(
      `# class_weight: ${weighted.map(([label, weight]) => `class ${label}'s images weigh ${pyFloat(weight)}`).join(', ')} in the loss, the others 1.`,
      "# (Accuracy, one of compile's metrics, is not weighted: weighted_metrics would be. Every class is listed, as tf.keras 2 requires.)",
    );
  }
  if (onTest) {
    lines.push(
      '# validation_data measures the test set after every epoch (its val_ figures are test figures), as some tutorials do.',
      '# Choosing epochs or settings by them lets the test set into the choice: its final figure then flatters the model.',
    );
  } else if (fit.validationSplit > 0) {
    lines.push(`# validation_split holds out the last ${Math.round(fit.validationSplit * 1000) / 10}% of the training images (before shuffling) to measure progress.`);
  }
  lines.push(
    'history = model.fit(',
    '    x_train,',
    '    y_train,',
    `    epochs=${pyInt(fit.epochs)},`,
    `    batch_size=${pyInt(fit.batchSize)},`,
    onTest ? '    validation_data=(x_test, y_test),' : `    validation_split=${pyFloat(fit.validationSplit)},`,
    `    shuffle=${pyBool(fit.shuffle)},`,
    ...(weighted.length > 0 ? [`    class_weight={${Array.from({ length: classCount }, (_, label) => `${label}: ${pyFloat(classWeightOf(fit, label))}`).join(', ')}},`] : []),
    ...(callbacks.length > 0 ? [`    callbacks=[${callbacks.join(', ')}],`] : []),
    ')',
  );

  blank();
  lines.push('test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=2)', "print(f'Test accuracy: {test_accuracy:.4f}')");

  blank();
  if (compile.fromLogits && !softmaxLast) {
    lines.push('# The model outputs logits; softmax turns them into probabilities.', 'probabilities = tf.nn.softmax(model.predict(x_test[:5])).numpy()');
  } else {
    lines.push('probabilities = model.predict(x_test[:5])');
  }
  lines.push(
    `print(probabilities.shape)  # (5, ${pyInt(classCount)}): a row for each image, a column for each class`,
    `print(probabilities[0])  # test image 0: its probability of each class, 0 to ${pyInt(classCount - 1)}`,
    `print('Predicted:', probabilities.argmax(axis=1))`,
    `print('Actual:   ', ${categorical ? 'y_test[:5].argmax(axis=1)' : 'y_test[:5]'})`,
  );
  return `${lines.join('\n')}\n`;
}

/** `line,` — or, when the line ends in a comment, the comma before the comment. */
function withComma(line: string): string {
  const hash = line.indexOf('  # ');
  return hash < 0 ? `    ${line},` : `    ${line.slice(0, hash)},${line.slice(hash)}`;
}

/**
 * One image classified in a notebook, as a Python console shows it: the image's shape (as this
 * model's code shapes x_test), the batch of one that `model.predict` takes (the batch axis a
 * tutorial adds with `np.expand_dims` or `[None]`), and what predict returns, for test image
 * `index` (null: the picture drawn or dropped, as the model sees it). `probabilities` are the
 * page's answer; a logits model's go through softmax, as its code does.
 */
export function predictOneSession(spec: ModelSpec, size: { readonly height: number; readonly width: number }, index: number | null, probabilities: ArrayLike<number>): string {
  const { height, width } = size;
  const flat = modelInputShape(spec, { height, width, channels: 1 }).length === 1 && spec.fit.augmentShift === 0;
  const shape = flat ? [height * width] : [height, width, 1];
  const tuple = (dims: readonly number[]): string => (dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`);
  const predict = spec.compile.fromLogits && !endsInSoftmax(spec.layers) ? 'tf.nn.softmax(model.predict(batch, verbose=0)).numpy()  # logits → probabilities' : 'model.predict(batch, verbose=0)';
  return [
    index === null ? `>>> image = picture.reshape${tuple(shape)}  # the ${height}×${width} picture the model sees, 0 to 1` : `>>> image = x_test[${index}]`,
    '>>> print(image.shape)',
    tuple(shape),
    '>>> batch = image[None]  # model.predict takes a batch of images: here, a batch of one',
    '>>> print(batch.shape)',
    tuple([1, ...shape]),
    `>>> probabilities = ${predict}`,
    '>>> print(probabilities.shape)  # a row for each image in the batch',
    tuple([1, probabilities.length]),
    '>>> print(probabilities[0])',
    numpyFloat32Array(probabilities),
    '>>> print(probabilities[0].argmax())',
    String(Array.from(probabilities).reduce((best, p, i, all) => (p > (all[best] ?? -Infinity) ? i : best), 0)),
  ].join('\n');
}

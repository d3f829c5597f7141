/**
 * Presets: the models of our users' tutorials, each with its source's hyperparameters, the
 * parameter count Keras prints for it, and the result the tutorial reports; plus our own
 * strongest model. Pure data.
 */
import { DEFAULT_COMPILE, DEFAULT_FIT, type CompileSpec, type FitSpec, type LayerSpec, type ModelSpec } from './spec';

/** What a tutorial reports for its model. */
export interface ExpectedResult {
  readonly metric: 'test accuracy' | 'validation accuracy' | 'accuracy';
  readonly value: number;
  readonly text: string;
  /** True when `value` is a floor to reach (our own preset's aim), not a tutorial's figure to match. */
  readonly floor?: boolean;
  /** For a preset cut down from its source, where `value` is what this version gets: the source's own figure, in words. */
  readonly source?: string;
  /** The same metric's aim when the preset is trained on the other built-in dataset. */
  readonly onOtherDataset?: { readonly dataset: 'mnist' | 'fashion-mnist'; readonly value: number };
}

/** A model from a tutorial (or ours), ready to train. */
export interface Preset {
  /** Its key in PRESETS, also used in share links. */
  readonly id: string;
  readonly title: string;
  /** Book or tutorial, cited without a URL. */
  readonly source: string;
  readonly dataset: 'mnist' | 'fashion-mnist';
  /** Total parameters as Keras's `model.summary()` prints them. */
  readonly expectedParams: number;
  readonly expectedResult: ExpectedResult;
  readonly notes: string;
  readonly spec: ModelSpec;
}

const dense = (units: number, activation: 'linear' | 'relu' | 'softmax' = 'linear'): LayerSpec => ({ type: 'dense', units, activation, useBias: true });
const conv = (filters: number, kernelSize: number, padding: 'valid' | 'same' = 'valid'): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize,
  strides: 1,
  padding,
  activation: 'relu',
});
const pool: LayerSpec = { type: 'maxPooling2d', poolSize: 2, strides: null, padding: 'valid' };
const averagePool: LayerSpec = { type: 'averagePooling2d', poolSize: 2, strides: null, padding: 'valid' };
const flatten: LayerSpec = { type: 'flatten' };
// Momentum 0.9, not Keras's 0.99: with inputs scaled to [0, 1] and Glorot weights, the
// convolutions' outputs vary by only ~0.001–0.01, while the moving variance starts at 1.
// At 0.99 the start value still weighs 0.99^n after n steps: an epoch of a 20,000-image
// subset (156 steps) leaves it at 0.2, twenty times the true variance, so inference divides
// by the wrong scale and predicts one class until several hundred steps have run. At 0.9 it
// is gone (< 1e-4) within a hundred steps.
const batchNorm: LayerSpec = { type: 'batchNormalization', momentum: 0.9 };

function model(layers: LayerSpec[], compile: Partial<CompileSpec>, fit: Partial<FitSpec>): ModelSpec {
  return { layers, compile: { ...DEFAULT_COMPILE, ...compile }, fit: { ...DEFAULT_FIT, ...fit } };
}

export const PRESETS = {
  linear: {
    id: 'linear',
    title: 'Linear classifier',
    source: 'A softmax regression baseline (Fashion-MNIST, logits)',
    dataset: 'fashion-mnist',
    expectedParams: 7_850,
    expectedResult: { metric: 'test accuracy', value: 0.8, text: '≈ 80% (quoted)' },
    notes: 'One Dense layer: every pixel votes for every class. The floor any network should beat.',
    spec: model([flatten, dense(10)], { fromLogits: true }, { epochs: 5, batchSize: 32 }),
  },
  quickstart: {
    id: 'quickstart',
    title: 'TensorFlow quickstart',
    source: 'TensorFlow tutorials, “TensorFlow 2 quickstart for beginners”',
    dataset: 'mnist',
    expectedParams: 101_770,
    expectedResult: { metric: 'test accuracy', value: 0.979, text: 'test ≈ 97.9%' },
    notes:
      'Flatten → Dense(128, relu) → Dense(10) logits, trained with from_logits=True. The tutorial also puts a Dropout(0.2) after the hidden layer (it adds no parameters), and fits on all 60,000 images: here the last 10% are held out for validation, so that its curve shows. “TensorFlow quickstart, as written” is the tutorial’s code exactly.',
    spec: model([flatten, dense(128, 'relu'), dense(10)], { fromLogits: true }, { epochs: 5, batchSize: 32, validationSplit: 0.1 }),
  },
  quickstartAsWritten: {
    id: 'quickstartAsWritten',
    title: 'TensorFlow quickstart, as written',
    source: 'TensorFlow tutorials, “TensorFlow 2 quickstart for beginners”, its code as printed',
    dataset: 'mnist',
    expectedParams: 101_770,
    expectedResult: { metric: 'test accuracy', value: 0.98, text: 'test ≈ 98% (the tutorial’s words)' },
    notes:
      'The tutorial’s cells exactly: Flatten → Dense(128, relu) → Dropout(0.2) → Dense(10) logits, Adam, SparseCategoricalCrossentropy(from_logits=True), then model.fit(x_train, y_train, epochs=5) on all 60,000 images. With no validation split the Keras log counts 1875/1875 steps an epoch, as the tutorial’s does, and there is no validation curve: the TensorFlow quickstart preset holds out 10% to draw one.',
    spec: model([flatten, dense(128, 'relu'), { type: 'dropout', rate: 0.2 }, dense(10)], { fromLogits: true }, { epochs: 5, batchSize: 32 }),
  },
  // Keras's count for `quickstartExperts` (3×3 kernel, 'valid' padding):
  //   conv2d     3·3·1·32 + 32     =       320   (26×26×32)
  //   flatten    26·26·32 = 21,632 values
  //   dense      21,632·128 + 128  = 2,769,024
  //   dense_1    128·10 + 10       =     1,290
  //   total 2,770,634.
  quickstartExperts: {
    id: 'quickstartExperts',
    title: 'TensorFlow quickstart for experts',
    source: 'TensorFlow tutorials, “TensorFlow 2 quickstart for experts”',
    dataset: 'mnist',
    expectedParams: 2_770_634,
    expectedResult: { metric: 'test accuracy', value: 0.98, text: 'test ≈ 98%' },
    notes:
      'The tutorial’s MyModel: Conv2D(32, 3×3, relu) → Flatten → Dense(128, relu) → Dense(10) logits, Adam, SparseCategoricalCrossentropy(from_logits=True), batches of 32, 5 epochs on all 60,000 images. Its GradientTape train_step is what fit runs at each step, and its metrics, reset each epoch, are fit’s running means; its test_step after every epoch is fit’s validation on the test set (validation_data): val_loss and val_accuracy are its Test Loss and Test Accuracy (printed ×100). Its Dense layer holds 2.77 million weights, 27 times the beginners’ model: without a GPU an epoch takes minutes (try a training subset first).',
    spec: model([conv(32, 3), flatten, dense(128, 'relu'), dense(10)], { fromLogits: true }, { epochs: 5, batchSize: 32, validationData: 'test' }),
  },
  // Keras's count for `kerasGuide` (784 inputs):
  //   dense      784·64 + 64  = 50,240
  //   dense_1    64·64 + 64   =  4,160
  //   dense_2    64·10 + 10   =    650
  //   total 55,050.
  kerasGuide: {
    id: 'kerasGuide',
    title: 'Keras training & evaluation guide',
    source: 'Keras guides, “Training & evaluation with the built-in methods”',
    dataset: 'mnist',
    expectedParams: 55_050,
    expectedResult: { metric: 'test accuracy', value: 0.96, text: 'test ≈ 96%' },
    notes:
      'The guide’s model: 784 inputs → Dense(64, relu) → Dense(64, relu) → Dense(10, softmax), RMSprop, SparseCategoricalCrossentropy, batches of 64, 2 epochs. It holds out x_train[-10000:] as validation_data; a validation split of 1/6 holds out the same 10,000 images (Keras’s split takes the last part), so the log counts 782/782 steps, as the guide’s does. Its SparseCategoricalAccuracy() is logged as sparse_categorical_accuracy there: the same number as accuracy here.',
    spec: model([dense(64, 'relu'), dense(64, 'relu'), dense(10, 'softmax')], { optimizer: 'rmsprop' }, { epochs: 2, batchSize: 64, validationSplit: 1 / 6 }),
  },
  // Keras's count for `kerasConvnet` (3×3 kernels, 'valid' padding; each pool halves, rounding down):
  //   conv2d     3·3·1·32 + 32   =    320   (26×26×32)
  //   conv2d_1   3·3·32·64 + 64  = 18,496   (11×11×64)
  //   flatten    5·5·64 = 1,600 values
  //   dense      1,600·10 + 10   = 16,010
  //   total 34,826.
  kerasConvnet: {
    id: 'kerasConvnet',
    title: 'Keras simple MNIST convnet',
    source: 'Keras examples, “Simple MNIST convnet” (F. Chollet)',
    dataset: 'mnist',
    expectedParams: 34_826,
    expectedResult: { metric: 'test accuracy', value: 0.99, text: 'test ≈ 99%' },
    notes:
      'The example’s code: Conv2D(32, 3×3, relu) → MaxPooling2D → Conv2D(64, 3×3, relu) → MaxPooling2D → Flatten → Dropout(0.5) → Dense(10, softmax) on one-hot labels (categorical cross-entropy), Adam, batches of 128, 15 epochs, the last 10% held out for validation. A small CNN: a third of the quickstart’s parameters, and a point more accurate.',
    spec: model([conv(32, 3), pool, conv(64, 3), pool, flatten, { type: 'dropout', rate: 0.5 }, dense(10, 'softmax')], { loss: 'categoricalCrossentropy' }, { epochs: 15, batchSize: 128, validationSplit: 0.1 }),
  },
  mlpDropout: {
    id: 'mlpDropout',
    title: 'MLP with dropout',
    source: 'Keras examples, mnist_mlp.py, cut to one hidden layer',
    dataset: 'mnist',
    expectedParams: 407_050,
    expectedResult: { metric: 'validation accuracy', value: 0.978, text: 'val ≈ 97.8%', source: 'the full script reports 98.40% test accuracy after 20 epochs' },
    notes:
      'Dense(512) → relu → Dropout(0.2) → Dense(10) → softmax on one-hot labels (categorical cross-entropy). The script has two Dense(512) layers and trains with RMSprop for 20 epochs, validating on the test set; here one layer, Adam, 5 epochs and a 10% validation split train in a minute or two.',
    spec: model(
      [dense(512), { type: 'activation', activation: 'relu' }, { type: 'dropout', rate: 0.2 }, dense(10), { type: 'activation', activation: 'softmax' }],
      { loss: 'categoricalCrossentropy' },
      { epochs: 5, batchSize: 128, validationSplit: 0.1 },
    ),
  },
  dlwpCh2: {
    id: 'dlwpCh2',
    title: 'Deep Learning with Python, ch. 2',
    source: 'F. Chollet, Deep Learning with Python, ch. 2, “A first look at a neural network”',
    dataset: 'mnist',
    expectedParams: 407_050,
    expectedResult: { metric: 'test accuracy', value: 0.98, text: '≈ 98%' },
    notes: 'The book’s first network: Dense(512, relu) → Dense(10, softmax) on images reshaped to 784-vectors, rmsprop.',
    spec: model([dense(512, 'relu'), dense(10, 'softmax')], { optimizer: 'rmsprop' }, { epochs: 5, batchSize: 128 }),
  },
  basicClassification: {
    id: 'basicClassification',
    title: 'TensorFlow basic classification',
    source: 'TensorFlow tutorials, “Basic classification: Classify images of clothing”',
    dataset: 'fashion-mnist',
    expectedParams: 101_770,
    expectedResult: { metric: 'test accuracy', value: 0.88, text: 'test ≈ 88%, training ≈ 91%' },
    notes:
      'The tutorial’s cells: Flatten → Dense(128, relu) → Dense(10) logits, Adam, SparseCategoricalCrossentropy(from_logits=True), then model.fit(train_images, train_labels, epochs=10) on all 60,000 images, with no validation set. Test accuracy comes out a little below training accuracy: the tutorial’s first word on overfitting. Predictions and Draw show the softmax of the logits, as its probability_model does. The same layers as the TensorFlow quickstart preset’s (the quickstart tutorial’s, less its Dropout), on clothes.',
    spec: model([flatten, dense(128, 'relu'), dense(10)], { fromLogits: true }, { epochs: 10, batchSize: 32 }),
  },
  fashionMlp: {
    id: 'fashionMlp',
    title: 'Fashion MLP',
    source: 'A Fashion-MNIST Dense tutorial',
    dataset: 'fashion-mnist',
    expectedParams: 203_530,
    expectedResult: { metric: 'test accuracy', value: 0.878, text: 'test ≈ 87.8%' },
    notes: 'Flatten → Dense(256, relu) → Dense(10, softmax).',
    spec: model([flatten, dense(256, 'relu'), dense(10, 'softmax')], {}, { epochs: 10, batchSize: 64 }),
  },
  fashionCnn: {
    id: 'fashionCnn',
    title: 'Fashion CNN',
    source: 'A Fashion-MNIST CNN tutorial (two 2×2 convolutions)',
    dataset: 'fashion-mnist',
    expectedParams: 302_026,
    expectedResult: { metric: 'test accuracy', value: 0.912, text: 'test ≈ 91.2%' },
    notes: 'Conv2D(32, 2×2) → MaxPool → Conv2D(32, 2×2) → MaxPool → Flatten → Dense(256) → Dense(10, softmax).',
    spec: model([conv(32, 2), pool, conv(32, 2), pool, flatten, dense(256, 'relu'), dense(10, 'softmax')], {}, { epochs: 10, batchSize: 64 }),
  },
  // Keras's count for `lenet` (5×5 kernels: 'same' keeps 28×28 for the first, 'valid' leaves 10×10
  // for the second; each pool halves):
  //   conv2d     5·5·1·6 + 6     =    156
  //   conv2d_1   5·5·6·16 + 16   =  2,416
  //   flatten    5·5·16 = 400 values
  //   dense      400·120 + 120   = 48,120
  //   dense_1    120·84 + 84     = 10,164
  //   dense_2    84·10 + 10      =    850
  //   total 61,706.
  lenet: {
    id: 'lenet',
    title: 'LeNet-5 (d2l)',
    source: 'Dive into Deep Learning, “Convolutional Neural Networks (LeNet)”, its TensorFlow code',
    dataset: 'fashion-mnist',
    expectedParams: 61_706,
    expectedResult: { metric: 'test accuracy', value: 0.8, text: 'test ≈ 80% (quoted; its printed runs differ by a few points)' },
    notes:
      'LeCun’s 1998 network as the book writes it: Conv2D(6, 5×5, sigmoid, same) → AveragePooling2D → Conv2D(16, 5×5, sigmoid) → AveragePooling2D → Flatten → Dense(120, sigmoid) → Dense(84, sigmoid) → Dense(10) logits, plain SGD at a learning rate of 0.9, batches of 256, 10 epochs. Sigmoids and average pooling, from before ReLU and max pooling: train it beside the Fashion CNN and compare.',
    spec: model(
      [
        { type: 'conv2d', filters: 6, kernelSize: 5, strides: 1, padding: 'same', activation: 'sigmoid' },
        averagePool,
        { type: 'conv2d', filters: 16, kernelSize: 5, strides: 1, padding: 'valid', activation: 'sigmoid' },
        averagePool,
        flatten,
        { type: 'dense', units: 120, activation: 'sigmoid', useBias: true },
        { type: 'dense', units: 84, activation: 'sigmoid', useBias: true },
        dense(10),
      ],
      { optimizer: 'sgd', learningRate: 0.9, fromLogits: true },
      { epochs: 10, batchSize: 256 },
    ),
  },
  // Keras's count for `strongest` (3×3 kernels, 'same' padding keeps 28×28, each pool halves):
  //   conv2d     3·3·1·32 + 32   =     320   batch_normalization   4·32  =   128
  //   conv2d_1   3·3·32·32 + 32  =   9,248   batch_normalization_1 4·32  =   128
  //   conv2d_2   3·3·32·64 + 64  =  18,496   batch_normalization_2 4·64  =   256
  //   conv2d_3   3·3·64·64 + 64  =  36,928   batch_normalization_3 4·64  =   256
  //   flatten    7·7·64 = 3,136 values
  //   dense      3,136·128 + 128 = 401,536   batch_normalization_4 4·128 =   512
  //   dense_1    128·10 + 10     =   1,290
  //   total 469,098, of which 2·(32+32+64+64+128) = 640 non-trainable (moving mean and variance).
  strongest: {
    id: 'strongest',
    title: 'Strongest (ours)',
    source: 'This playground: two VGG-style conv blocks with BatchNorm and Dropout, small random shifts',
    dataset: 'mnist',
    expectedParams: 469_098,
    expectedResult: { metric: 'test accuracy', value: 0.993, text: '≥ 99.3% MNIST, ≥ 93% Fashion-MNIST', floor: true, onOtherDataset: { dataset: 'fashion-mnist', value: 0.93 } },
    notes: 'Aimed past the tutorials; slow without a GPU. Its BatchNormalization momentum is 0.9 (Keras: 0.99) so that validation accuracy means something from the first epoch. The learning rate decays by 0.85 each epoch, to a tenth of its start by epoch 15.',
    spec: model(
      [
        conv(32, 3, 'same'), batchNorm, conv(32, 3, 'same'), batchNorm, pool, { type: 'dropout', rate: 0.25 },
        conv(64, 3, 'same'), batchNorm, conv(64, 3, 'same'), batchNorm, pool, { type: 'dropout', rate: 0.25 },
        flatten, dense(128, 'relu'), batchNorm, { type: 'dropout', rate: 0.4 }, dense(10, 'softmax'),
      ],
      {},
      { epochs: 15, batchSize: 128, validationSplit: 0.1, augmentShift: 2, learningRateDecay: 0.85 },
    ),
  },
} as const satisfies Record<string, Preset>;

export type PresetId = keyof typeof PRESETS;

/** Presets in the order the picker shows them. */
export const PRESET_ORDER: readonly PresetId[] = ['quickstart', 'quickstartAsWritten', 'quickstartExperts', 'kerasGuide', 'mlpDropout', 'dlwpCh2', 'kerasConvnet', 'linear', 'basicClassification', 'fashionMlp', 'fashionCnn', 'lenet', 'strongest'];

/**
 * The preset made for `dataset` whose layers are `presetId`'s, if any: the TensorFlow quickstart's
 * Flatten → Dense(128, relu) → Dense(10) is also the basic classification tutorial's, on clothes.
 */
export function twinPresetOn(presetId: PresetId, dataset: Preset['dataset']): PresetId | null {
  const layers = JSON.stringify(PRESETS[presetId].spec.layers);
  return PRESET_ORDER.find((id) => PRESETS[id].dataset === dataset && id !== presetId && JSON.stringify(PRESETS[id].spec.layers) === layers) ?? null;
}

/** Presets in display order, each with its id. */
export function presetList(): readonly Preset[] {
  return PRESET_ORDER.map((id) => PRESETS[id]);
}

/** True when `id` names a preset. */
export function isPresetId(id: string): id is PresetId {
  return Object.hasOwn(PRESETS, id);
}

/**
 * The preset a run's name says it came from ("TensorFlow quickstart (epochs 2) #3" names the
 * quickstart), or null: a model opened from a link is then named by its changes from it.
 */
export function presetOfName(name: string): PresetId | null {
  return PRESET_ORDER.find((id) => {
    const { title } = PRESETS[id];
    return name === title || name.startsWith(`${title} (`) || name.startsWith(`${title} #`);
  }) ?? null;
}

/**
 * "Start empty": no layers, with the default compile and fit, for a model typed in layer by
 * layer as a tutorial writes it. (It was Flatten → Dense(classes), the linear classifier
 * again; a user who then added the tutorial's Flatten had two.)
 */
export function emptySpec(): ModelSpec {
  return model([], {}, {});
}

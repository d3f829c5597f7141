import { describe, expect, it } from 'vitest';
import { PRESETS } from '../training/presets';
import { DEFAULT_COMPILE, DEFAULT_FIT } from '../training/spec';
import { run } from '../store/testing';
import { counted, duration, grouped, probability, probabilityWords, queueStatus, trainingWords } from './words';

describe('the page\'s words', () => {
  it('counts with a plural noun unless the count is one', () => {
    expect(counted(1, 'epoch')).toBe('1 epoch');
    expect(counted(0, 'epoch')).toBe('0 epochs');
    expect(counted(12, 'training image')).toBe('12 training images');
  });

  it('groups the digits of a count in threes, whatever the browser\'s language', () => {
    expect(grouped(300)).toBe('300');
    expect(grouped(60000)).toBe('60,000');
    expect(counted(18000, 'training image')).toBe('18,000 training images');
  });

  it.each([
    [0, '0 s'],
    [44.6, '45 s'],
    [59.6, '1 min 0 s'],
    [125, '2 min 5 s'],
    [3599.4, '59 min 59 s'],
    [3599.6, '1 h 0 min'],
    [5100, '1 h 25 min'],
    [5159, '1 h 25 min'],
    [Number.POSITIVE_INFINITY, '–'],
    [Number.NaN, '–'],
    [-3, '–'],
  ])('says %d seconds as "%s"', (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });

  it("says how a model trains, the callbacks and the rate's decay included", () => {
    const layers = PRESETS.quickstart.spec.layers;
    expect(trainingWords({ layers, compile: DEFAULT_COMPILE, fit: DEFAULT_FIT })).toBe('adam, lr 0.001, 5 epochs, batch 32');
    const fit = { ...DEFAULT_FIT, epochs: 1, trainLimit: 2000, validationSplit: 0.1, learningRateDecay: 0.5, augmentShift: 2, shuffle: false, earlyStopping: { monitor: 'val_loss' as const, minDelta: 0, patience: 3, restoreBestWeights: true } };
    expect(trainingWords({ layers, compile: { ...DEFAULT_COMPILE, optimizer: 'sgd', momentum: 0.9, learningRate: 0.01, fromLogits: true }, fit })).toBe(
      'sgd (momentum 0.9), lr 0.01 ×0.5 after each epoch, loss from logits, 1 epoch, batch 32, the first 2,000 training images, validation split 0.1, random shifts of ±2 px, no shuffling, EarlyStopping on val_loss, patience 3, best weights',
    );
    expect(trainingWords({ layers, compile: DEFAULT_COMPILE, fit: { ...DEFAULT_FIT, validationData: 'test', classWeight: { '5': 2, '0': 0.5 } } })).toBe(
      'adam, lr 0.001, 5 epochs, batch 32, validated on the test set, class weights {0: 0.5, 5: 2}',
    );
    // The Keras guide's split, the last 10,000 of 60,000 images, as a person writes it.
    expect(trainingWords({ layers, compile: DEFAULT_COMPILE, fit: { ...DEFAULT_FIT, validationSplit: 1 / 6 } })).toBe('adam, lr 0.001, 5 epochs, batch 32, validation split 0.1667');
  });
});

describe('probabilityWords', () => {
  it("says a logits model's percentages are their softmax, as a tutorial's probability_model, and a softmax model's its own output", () => {
    expect(probabilityWords(PRESETS.basicClassification.spec)).toMatch(/^The model outputs logits, .* probability_model = tf\.keras\.Sequential\(\[model, tf\.keras\.layers\.Softmax\(\)\]\)/);
    expect(probabilityWords(PRESETS.fashionCnn.spec)).toMatch(/^The percentages are the model’s own output: its last layer is a softmax/);
    // A softmax model compiled with from_logits=True still answers with its softmax (Keras reads the scores before it).
    expect(probabilityWords({ ...PRESETS.fashionCnn.spec, compile: { ...PRESETS.fashionCnn.spec.compile, fromLogits: true } })).toMatch(/^The percentages are the model’s own output/);
    // A softmax then Dropout is still a softmax at inference; with from_logits it is taken for logits, as the builder warns.
    const dropoutLast = { ...PRESETS.fashionCnn.spec, layers: [...PRESETS.fashionCnn.spec.layers, { type: 'dropout', rate: 0.2 } as const] };
    expect(probabilityWords(dropoutLast)).toBe('The percentages are the model’s own output: a softmax, which the layers after it pass on at inference.');
    expect(probabilityWords({ ...dropoutLast, compile: { ...dropoutLast.compile, fromLogits: true } })).toMatch(/^The model’s outputs are already probabilities .* apply softmax again: the percentages are flatter than the model’s own\.$/);
    expect(probabilityWords({ ...PRESETS.fashionCnn.spec, layers: [...PRESETS.fashionCnn.spec.layers.slice(0, -1), { type: 'dense', units: 10, activation: 'relu', useBias: true }] })).toMatch(/^The percentages are the model’s outputs scaled to add up to 100%/);
  });
});

describe('probability', () => {
  it('is a percentage to one decimal, with more where a value under 1 would read as 100.0%', () => {
    expect([0.973, 0.5, 0, 1].map(probability)).toEqual(['97.3%', '50.0%', '0.0%', '100.0%']);
    expect([0.9996, 0.99996, 0.999996, 0.9999999].map(probability)).toEqual(['99.96%', '99.996%', '99.9996%', '99.9999%']);
    expect(probability(0.99949)).toBe('99.9%');
  });
});

// The quickstart preset trains 5 epochs.
const progress = { epoch: 2, batch: 3, batches: 6, loss: 0.4, accuracy: 0.9, samplesPerSecond: 900, stepSeconds: 0.035, etaSeconds: 185 };
const training = { ...run, status: 'running' as const, evaluation: null, epochs: run.epochs.slice(0, 1), progress };

describe("a run's state in Compare's queue", () => {
  it('says which epoch it trains, and when that epoch is being validated', () => {
    expect(queueStatus(training)).toBe('training, epoch 2/5');
    expect(queueStatus({ ...training, pass: { pass: 'validation', done: 500, total: 6000, etaSeconds: 30 } })).toBe('validating, epoch 2/5');
  });

  it('says when its last epoch is done and the test set is being evaluated', () => {
    const allEpochs = [1, 2, 3, 4, 5].flatMap((epoch) => run.epochs.map((record) => ({ ...record, epoch })));
    expect(queueStatus({ ...training, epochs: allEpochs })).toBe('evaluating on the test set');
  });

  it('says waiting, stopping, and how a run ended', () => {
    expect(queueStatus({ ...training, status: 'starting', progress: null, epochs: [] })).toBe('waiting');
    expect(queueStatus({ ...training, stopping: true })).toBe('stopping');
    expect(queueStatus(run)).toBe('finished');
  });
});

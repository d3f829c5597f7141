/** Small pieces of the page's English. */
import type { Run } from '../store';
import { isEvaluating } from '../store/series';
import { endsInSoftmax, outputActivation } from '../training/shapes';
import type { ModelSpec } from '../training/spec';
import { classWeightWords, earlyStoppingWords, shortFraction } from '../training/specDiff';

/** A count as the page prints it, in groups of three digits: "60,000". */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 epoch", "3 epochs", "60,000 images": a count and its noun, plural when the count is not one. */
export function counted(n: number, noun: string): string {
  return `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A softmax probability as a percentage to one decimal, "97.3%", with more decimals (up to
 * four, cut rather than rounded) where one would round a value under 1 up to "100.0%": a
 * model that is 99.96% sure is not certain, and Keras would print 0.9996.
 */
export function probability(p: number): string {
  const percent = p * 100;
  if (p >= 1 || percent.toFixed(1) !== '100.0') return `${percent.toFixed(1)}%`;
  for (const decimals of [2, 3]) if (percent.toFixed(decimals) !== (100).toFixed(decimals)) return `${percent.toFixed(decimals)}%`;
  return `${(Math.floor(percent * 1e4) / 1e4).toFixed(4)}%`;
}

/**
 * What the percentages beside a model's answers are, in a notebook's terms: its softmax's
 * output, as `model.predict` returns it, or, for a model that outputs logits, their softmax, as
 * the TensorFlow tutorials' `probability_model` computes it (the page applies it unasked). A
 * softmax followed by Dropout is still a softmax at inference; with from_logits the loss, and
 * the page, take its probabilities for logits and apply softmax again (the builder warns).
 */
export function probabilityWords(spec: Pick<ModelSpec, 'layers' | 'compile'>): string {
  if (endsInSoftmax(spec.layers)) return 'The percentages are the model’s own output: its last layer is a softmax, and model.predict returns them as they are.';
  const softmax = outputActivation(spec.layers) === 'softmax';
  if (softmax && spec.compile.fromLogits) {
    return 'The model’s outputs are already probabilities (a softmax comes before its last layer), but with from_logits=True the loss, and so this page, take them for logits and apply softmax again: the percentages are flatter than the model’s own.';
  }
  if (softmax) return 'The percentages are the model’s own output: a softmax, which the layers after it pass on at inference.';
  if (spec.compile.fromLogits) {
    return 'The model outputs logits, raw scores (its last layer has no softmax): the percentages are their softmax, as a tutorial’s probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()]) gives them.';
  }
  return 'The percentages are the model’s outputs scaled to add up to 100%, as its loss reads them: its last layer is not a softmax.';
}

/** A backend's name as the page writes it: WebGL, WASM, or tfjs's own name for another ('cpu'). */
export function backendWords(name: string): string {
  return name === 'webgl' ? 'WebGL' : name === 'wasm' ? 'WASM' : name;
}

/** A time left, to the second under an hour, in whole minutes beyond: "45 s", "2 min 5 s", "1 h 25 min"; "–" when unknown. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const whole = Math.round(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/**
 * How a model is compiled and fitted, in a line, for someone about to train it from a link:
 * "adam, lr 0.001 ×0.5 after each epoch, 5 epochs, batch 32, validation split 0.1,
 * EarlyStopping on val_loss, patience 3, best weights". Shuffling, no augmentation and a
 * softmax output are the usual: only their opposites are said.
 */
export function trainingWords(spec: ModelSpec): string {
  const { compile, fit } = spec;
  const optimizer = compile.optimizer === 'sgd' && compile.momentum > 0 ? `sgd (momentum ${compile.momentum})` : compile.optimizer;
  return [
    `${optimizer}, lr ${compile.learningRate}${fit.learningRateDecay === 1 ? '' : ` ×${fit.learningRateDecay} after each epoch`}`,
    ...(compile.fromLogits ? ['loss from logits'] : []),
    counted(fit.epochs, 'epoch'),
    `batch ${fit.batchSize}`,
    ...(fit.trainLimit === null ? [] : [`the first ${counted(fit.trainLimit, 'training image')}`]),
    ...(fit.validationData === 'test' ? ['validated on the test set'] : fit.validationSplit > 0 ? [`validation split ${shortFraction(fit.validationSplit)}`] : []),
    ...(fit.augmentShift > 0 ? [`random shifts of ±${fit.augmentShift} px`] : []),
    ...(fit.classWeight === null ? [] : [`class weights ${classWeightWords(fit.classWeight)}`]),
    ...(fit.shuffle ? [] : ['no shuffling']),
    ...(fit.earlyStopping === null ? [] : [`EarlyStopping on ${earlyStoppingWords(fit.earlyStopping)}`]),
  ].join(', ');
}

/** A run's state, in words: in Compare's queue and Build & train's run picker. */
export function queueStatus(run: Run): string {
  if (run.stopping) return 'stopping';
  switch (run.status) {
    case 'starting':
      return 'waiting';
    case 'running': {
      const epochs = run.spec.fit.epochs;
      if (isEvaluating(run)) return 'evaluating on the test set';
      if (!run.progress) return 'training';
      return `${run.pass?.pass === 'validation' ? 'validating' : 'training'}, epoch ${run.progress.epoch}/${epochs}`;
    }
    default:
      return run.status;
  }
}

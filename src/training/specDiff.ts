/**
 * What changed between two model specs, in words: "Dense 128 → 512", "+Dropout(0.2)",
 * "lr 0.001 → 0.01" for comparing runs side by side, or by new values only ("lr 0.01") for
 * naming an edited preset. Pure: no tfjs, no DOM.
 */
import { DEFAULT_BATCH_NORM_MOMENTUM, LAYER_TYPES, listedClassWeights, type EarlyStoppingSpec, type LayerSpec, type LossName, type ModelSpec } from './spec';

const LOSS_WORDS = {
  sparseCategoricalCrossentropy: 'sparse CE',
  categoricalCrossentropy: 'categorical CE',
} as const satisfies Record<LossName, string>;

const square = (n: number): string => `${n}×${n}`;

/** A layer as one short phrase: `Dense(128, relu)`, `Dropout(0.2)`, `BatchNormalization`. */
export function describeLayer(layer: LayerSpec): string {
  const name = LAYER_TYPES[layer.type];
  switch (layer.type) {
    case 'flatten':
      return name;
    case 'batchNormalization':
      return layer.momentum === DEFAULT_BATCH_NORM_MOMENTUM ? name : `${name}(momentum ${layer.momentum})`;
    case 'dense':
      return `${name}(${[String(layer.units), ...(layer.activation === 'linear' ? [] : [layer.activation]), ...(layer.useBias ? [] : ['no bias'])].join(', ')})`;
    case 'conv2d': {
      const parts = [String(layer.filters), square(layer.kernelSize)];
      if (layer.strides !== 1) parts.push(`stride ${layer.strides}`);
      if (layer.padding !== 'valid') parts.push(layer.padding);
      if (layer.activation !== 'linear') parts.push(layer.activation);
      return `${name}(${parts.join(', ')})`;
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const parts = [square(layer.poolSize)];
      if (layer.strides !== null && layer.strides !== layer.poolSize) parts.push(`stride ${layer.strides}`);
      if (layer.padding !== 'valid') parts.push(layer.padding);
      return `${name}(${parts.join(', ')})`;
    }
    case 'dropout':
      return `${name}(${layer.rate})`;
    case 'activation':
      return `${name}(${layer.activation})`;
  }
}

/** Repeats of one layer, from this many on, are written once with their count. */
const REPEATS_COUNTED = 3;

/**
 * The layers in order, joined by arrows: `Flatten → Dense(128, relu) → Dense(10)`. A layer
 * repeated three times or more in a row is written once, counted: `Dense(16, relu) ×254`.
 */
export function describeLayers(layers: readonly LayerSpec[]): string {
  const groups: { phrase: string; count: number }[] = [];
  for (const phrase of layers.map(describeLayer)) {
    const last = groups.at(-1);
    if (last?.phrase === phrase) last.count += 1;
    else groups.push({ phrase, count: 1 });
  }
  return groups.flatMap(({ phrase, count }) => (count >= REPEATS_COUNTED ? [`${phrase} ×${count}`] : Array<string>(count).fill(phrase))).join(' → ');
}

/** One difference: a layer added or removed (`text`), or a setting's old and new values. */
type Difference = { readonly text: string } | { readonly label: string; readonly from: string; readonly to: string; readonly unit: string };

/** The setting `label` going from a to b when they differ, else nothing. */
function change<T>(label: string, a: T, b: T, show: (v: T) => string = String, unit = ''): Difference[] {
  return a === b ? [] : [{ label, from: show(a), to: show(b), unit }];
}

/**
 * How to write two fractions: in four significant digits (1/6, the Keras guide's split, as
 * 0.1667, not 0.16666666666666666), or in full where two that differ would then read alike.
 */
function fractionWords(a: number, b: number): (value: number) => string {
  return shortFraction(a) === shortFraction(b) ? String : shortFraction;
}

/** A fraction in four significant digits, as a person writes it: 1/6 as 0.1667, 0.1 as 0.1. */
export function shortFraction(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** A class_weight in words, as Python's dict of the listed classes ("{5: 2}"), or "none". */
export function classWeightWords(weights: Readonly<Record<string, number>> | null): string {
  const listed = listedClassWeights(weights);
  return listed.length === 0 ? 'none' : `{${listed.map(([label, weight]) => `${label}: ${weight}`).join(', ')}}`;
}

/** EarlyStopping in a few words: "off", "val_loss, patience 3, best weights". */
export function earlyStoppingWords(stopping: EarlyStoppingSpec | null): string {
  if (stopping === null) return 'off';
  return `${stopping.monitor}${stopping.minDelta > 0 ? `, min_delta ${stopping.minDelta}` : ''}, patience ${stopping.patience}${stopping.restoreBestWeights ? ', best weights' : ''}`;
}

/**
 * The changes within one layer whose type stayed the same. `name` is the layer's type, with
 * its place in the new model when more than one layer of that type changed ("Conv2D (layer 3)").
 */
function layerChanges(a: LayerSpec, b: LayerSpec, name: string): Difference[] {
  if (a.type === 'dense' && b.type === 'dense') {
    return [
      ...change(name, a.units, b.units),
      ...change(`${name} activation`, a.activation, b.activation),
      ...change(`${name} use_bias`, a.useBias, b.useBias),
    ];
  }
  if (a.type === 'conv2d' && b.type === 'conv2d') {
    return [
      ...change(name, a.filters, b.filters, String, ' filters'),
      ...change(`${name} kernel`, a.kernelSize, b.kernelSize, square),
      ...change(`${name} strides`, a.strides, b.strides),
      ...change(`${name} padding`, a.padding, b.padding),
      ...change(`${name} activation`, a.activation, b.activation),
    ];
  }
  if ((a.type === 'maxPooling2d' || a.type === 'averagePooling2d') && a.type === b.type) {
    return [
      ...change(`${name} pool`, a.poolSize, b.poolSize, square),
      ...change(`${name} strides`, a.strides, b.strides, (s) => (s === null ? 'default' : String(s))),
      ...change(`${name} padding`, a.padding, b.padding),
    ];
  }
  if (a.type === 'dropout' && b.type === 'dropout') return change(name, a.rate, b.rate);
  if (a.type === 'activation' && b.type === 'activation') return change(name, a.activation, b.activation);
  if (a.type === 'batchNormalization' && b.type === 'batchNormalization') return change(`${name} momentum`, a.momentum, b.momentum);
  return [];
}

const sameLayer = (a: LayerSpec, b: LayerSpec): boolean => describeLayer(a) === describeLayer(b);

/** A layer's main size (units, filters, pool, rate): two layers of one type with the same size are the likelier pair. */
function sizeOf(layer: LayerSpec): number | null {
  switch (layer.type) {
    case 'dense':
      return layer.units;
    case 'conv2d':
      return layer.filters;
    case 'maxPooling2d':
    case 'averagePooling2d':
      return layer.poolSize;
    case 'dropout':
      return layer.rate;
    default:
      return null;
  }
}

/** One step of an alignment; a kept layer carries its place in the new model (presets reuse layer objects: identity does not tell two apart). */
type Step = { readonly kind: 'keep'; readonly a: LayerSpec; readonly b: LayerSpec; readonly bIndex: number } | { readonly kind: 'remove'; readonly a: LayerSpec } | { readonly kind: 'add'; readonly b: LayerSpec };

/**
 * Aligns two layer lists by a longest common subsequence of layer types, so an inserted
 * layer reads as one "+Layer" instead of every later layer "changing". Among alignments that
 * keep equally many layers it prefers the one keeping the most identical layers: adding
 * Dense(256) before Dense(10) pairs Dense(10) with Dense(10); then the most of the same size:
 * the Fashion CNN's Dense(256) → Dense(10, softmax) against LeNet's Dense(120) → Dense(84) →
 * Dense(10) pairs the output layers, 10 with 10, and adds Dense(84). Dynamic programming over
 * the suffixes: score[i][j] is the best (kept, identical, same size) for a[i..] and b[j..].
 */
function alignLayers(a: readonly LayerSpec[], b: readonly LayerSpec[]): Step[] {
  const n = a.length;
  const m = b.length;
  // Kept pairs count 1e6, identical ones 1e3 more, the same size 1 more: lexicographic on (kept, identical, same size) while lists stay under 1000 layers.
  const score: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const at = (i: number, j: number): number => score[i]?.[j] ?? 0;
  const pairScore = (i: number, j: number): number | null => {
    const la = a[i];
    const lb = b[j];
    if (!la || !lb || la.type !== lb.type) return null;
    return 1e6 + (sameLayer(la, lb) ? 1e3 : 0) + (sizeOf(la) === sizeOf(lb) ? 1 : 0);
  };
  for (let i = n - 1; i >= 0; i--) {
    const row = score[i];
    if (!row) continue;
    for (let j = m - 1; j >= 0; j--) {
      const pair = pairScore(i, j);
      row[j] = Math.max(at(i + 1, j), at(i, j + 1), pair === null ? 0 : pair + at(i + 1, j + 1));
    }
  }
  const steps: Step[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const la = a[i];
    const lb = b[j];
    const pair = pairScore(i, j);
    if (la && lb && pair !== null && at(i, j) === pair + at(i + 1, j + 1)) {
      steps.push({ kind: 'keep', a: la, b: lb, bIndex: j });
      i++;
      j++;
    } else if (la && (!lb || at(i, j) === at(i + 1, j))) {
      steps.push({ kind: 'remove', a: la });
      i++;
    } else if (lb) {
      steps.push({ kind: 'add', b: lb });
      j++;
    }
  }
  return steps;
}

/** The differences from `a` to `b`, in order: layers (aligned), then compile, then fit. */
function differences(a: ModelSpec, b: ModelSpec): Difference[] {
  const found: Difference[] = [];
  const steps = alignLayers(a.layers, b.layers);
  // One changed Conv2D is "Conv2D"; where two Conv2D changed, each is named by its place in the new model.
  const changedTypes = steps.flatMap((step) => (step.kind === 'keep' && layerChanges(step.a, step.b, '').length > 0 ? [step.b.type] : []));
  for (const step of steps) {
    if (step.kind === 'keep') {
      const type = LAYER_TYPES[step.b.type];
      const several = changedTypes.filter((changed) => changed === step.b.type).length > 1;
      found.push(...layerChanges(step.a, step.b, several ? `${type} (layer ${step.bIndex + 1})` : type));
    } else if (step.kind === 'remove') found.push({ text: `−${describeLayer(step.a)}` });
    else found.push({ text: `+${describeLayer(step.b)}` });
  }
  const ca = a.compile;
  const cb = b.compile;
  found.push(...change('optimizer', ca.optimizer, cb.optimizer));
  found.push(...change('lr', ca.learningRate, cb.learningRate));
  // Momentum only matters to SGD: an unused value carried along is not a difference.
  if (ca.optimizer === 'sgd' || cb.optimizer === 'sgd') found.push(...change('momentum', ca.momentum, cb.momentum));
  found.push(...change('loss', ca.loss, cb.loss, (l) => LOSS_WORDS[l]));
  found.push(...change('from_logits', ca.fromLogits, cb.fromLogits));
  const fa = a.fit;
  const fb = b.fit;
  found.push(...change('epochs', fa.epochs, fb.epochs));
  found.push(...change('batch', fa.batchSize, fb.batchSize));
  // A split the test set overrides is not used: only the validation images in use are compared.
  const split = fractionWords(fa.validationSplit, fb.validationSplit);
  const validation = (fit: typeof fa): string => (fit.validationData === 'test' ? 'the test set' : `split ${split(fit.validationSplit)}`);
  if (fa.validationData === fb.validationData) {
    if (fa.validationData === null) found.push(...change('validation split', fa.validationSplit, fb.validationSplit, split));
  } else {
    found.push(...change('validation', validation(fa), validation(fb)));
  }
  found.push(...change('shuffle', fa.shuffle, fb.shuffle));
  found.push(...change('seed', fa.seed, fb.seed));
  found.push(...change('lr decay per epoch', fa.learningRateDecay, fb.learningRateDecay, (d) => (d === 1 ? 'none' : `×${d}`)));
  found.push(...change('shift augmentation', fa.augmentShift, fb.augmentShift, (s) => (s === 0 ? 'off' : `±${s} px`)));
  found.push(...change('training subset', fa.trainLimit, fb.trainLimit, (t) => (t === null ? 'all' : String(t))));
  found.push(...change('class weights', classWeightWords(fa.classWeight), classWeightWords(fb.classWeight)));
  found.push(...change('early stopping', earlyStoppingWords(fa.earlyStopping), earlyStoppingWords(fb.earlyStopping)));
  return found;
}

/**
 * The differences from `a` to `b` in words, in order: layers (aligned, so insertions and
 * removals read as "+Layer" and "−Layer"), then compile, then fit. Identical specs give [].
 */
export function describeSpecDiff(a: ModelSpec, b: ModelSpec): string[] {
  return differences(a, b).map((d) => ('text' in d ? d.text : `${d.label} ${d.from} → ${d.to}${d.unit}`));
}

/** The same differences by their new values only ("epochs 10", "+Dropout(0.2)"): what `b` is, short enough for a run's name. */
export function describeSpecEdits(a: ModelSpec, b: ModelSpec): string[] {
  return differences(a, b).map((d) => ('text' in d ? d.text : `${d.label} ${d.to}${d.unit}`));
}

/** The differences as one line, "Dense 128 → 512, +Dropout(0.2), lr 0.001 → 0.01"; '' when none. */
export function summariseSpecDiff(a: ModelSpec, b: ModelSpec): string {
  return describeSpecDiff(a, b).join(', ');
}

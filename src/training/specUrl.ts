/**
 * Sharing models as a link: a dataset id and named specs → JSON → UTF-8 → deflate →
 * base64url, carried in the URL's fragment (`#share=…`, never sent to a server). Decoding
 * trusts nothing: every field of what comes back is type-checked, and the first wrong one is
 * named in the error. Whether a decoded spec can train is still `validateSpec`'s call.
 * Pure: no tfjs, no DOM (only the standard CompressionStream, TextEncoder and btoa).
 */
import { base64ToBytes, bytesToBase64 } from '../data/base64';
import { MAX_CLASSES, type Dataset } from '../data/dataset';
import { ACTIVATIONS, DEFAULT_BATCH_NORM_MOMENTUM, LAYER_TYPES, LOSSES, MAX_EPOCHS, MAX_SEED, MONITORS, OPTIMIZERS, type Activation, type CompileSpec, type EarlyStoppingSpec, type FitSpec, type LayerSpec, type ModelSpec, type Padding } from './spec';

/** One model in a share, with the name its run had. */
export interface SharedRun {
  readonly name: string;
  readonly spec: ModelSpec;
}

/** A dataset of the sharer's own (not a built-in one), described so that a visitor can load a matching one. */
export interface SharedDataset {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly classCount: number;
}

/** What a share link carries: the dataset the runs trained on and the runs' specs. */
export interface Share {
  readonly dataset: string;
  /** Present when `dataset` is the sharer's own: its id means nothing on another page. */
  readonly ownDataset?: SharedDataset;
  readonly runs: readonly SharedRun[];
}

/** A share link that cannot be read; `field` names the first invalid field, if it got that far. */
export class ShareError extends Error {
  override readonly name = 'ShareError';
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/** The format version written into every share. */
const SHARE_VERSION = 1;

/** Limits that keep a hostile link from costing much: sizes before and after inflating. */
export const SHARE_LIMITS = {
  maxEncodedLength: 32_768,
  maxJsonBytes: 262_144,
  maxRuns: 64,
  maxLayers: 256,
  maxStringLength: 200,
} as const;

/** The fragment parameter a share travels in. */
export const SHARE_PARAM = 'share';

// The zlib flavour of deflate: two bytes more than raw deflate plus a 4-byte Adler-32
// checksum, so a link damaged in copying fails to decode instead of decoding as another model.
const FORMAT: CompressionFormat = 'deflate';

async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      throw new ShareError(`This share link holds more than ${limit} bytes of data; it was not made by this playground.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array<ArrayBuffer>> => new Blob([new Uint8Array(bytes)]).stream();

/** Bytes → base64url without padding (RFC 4648 §5): safe in a URL as it is. */
export function toBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padded or not) → bytes; a ShareError on anything else. */
export function fromBase64Url(text: string): Uint8Array {
  // The URL-safe alphabet only: a '+' or '/' is not ours, though the standard decoder takes it.
  const base64 = /^[A-Za-z0-9_-]*={0,2}$/.test(text) ? text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/') : null;
  const bytes = base64 === null ? null : base64ToBytes(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  if (bytes === null) throw new ShareError('This share link is damaged: it is not base64url text (was it cut short or edited?).');
  return bytes;
}

/** A share → a compact URL-safe string. */
export async function encodeShare(share: Share): Promise<string> {
  const json = JSON.stringify({ v: SHARE_VERSION, dataset: share.dataset, ownDataset: share.ownDataset, runs: share.runs.map((run) => ({ name: run.name, spec: run.spec })) });
  const compressed = await readAll(streamOf(new TextEncoder().encode(json)).pipeThrough(new CompressionStream(FORMAT)), Number.POSITIVE_INFINITY);
  return toBase64Url(compressed);
}

/** A string from `encodeShare` → the share, validated field by field; a ShareError otherwise. */
export async function decodeShare(text: string): Promise<Share> {
  if (text.length > SHARE_LIMITS.maxEncodedLength) throw new ShareError(`This share link is too long (${text.length} characters); it was not made by this playground.`);
  if (text.trim() === '') throw new ShareError('This share link is empty: nothing follows "#share=" (was it cut short when copied?).');
  const bytes = fromBase64Url(text.trim());
  let inflated: Uint8Array;
  try {
    inflated = await readAll(streamOf(bytes).pipeThrough(new DecompressionStream(FORMAT)), SHARE_LIMITS.maxJsonBytes);
  } catch (error) {
    if (error instanceof ShareError) throw error;
    throw new ShareError('This share link is damaged: its data does not decompress (was it cut short or edited?).');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated));
  } catch {
    throw new ShareError('This share link is damaged: its data is not JSON.');
  }
  return parseShare(value);
}

/** `base` (any fragment dropped) with the share in its fragment: `…#share=…`. */
export async function shareUrl(base: string, share: Share): Promise<string> {
  const hash = base.indexOf('#');
  return `${hash < 0 ? base : base.slice(0, hash)}#${SHARE_PARAM}=${await encodeShare(share)}`;
}

/** The share in a location hash (`#share=…`, possibly among other parameters); null when there is none. */
export async function readShareFromHash(hash: string): Promise<Share | null> {
  const text = new URLSearchParams(hash.replace(/^#/, '')).get(SHARE_PARAM);
  return text === null ? null : decodeShare(text);
}

// --- Strict validation: every field, in order; the first wrong one is named. ---

/** A value as an error message names it: its text or number, or what kind of thing it is. */
export const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'undefined' ? 'missing' : 'an object';
};

function invalid(path: string, expected: string, value: unknown): never {
  throw new ShareError(`This share link is invalid: ${path} should be ${expected}, but it is ${describeValue(value)}.`, path);
}

/** An object with exactly these keys (in any order): missing fields (except `optional` ones) and unknown fields are errors. */
function record(value: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(path, 'an object', value);
  const fields = value as Readonly<Record<string, unknown>>;
  for (const key of keys) {
    if (!Object.hasOwn(fields, key) && !optional.includes(key)) throw new ShareError(`This share link is invalid: ${path}.${key} is missing.`, `${path}.${key}`);
  }
  for (const key of Object.keys(fields)) {
    if (!keys.includes(key)) throw new ShareError(`This share link is invalid: ${path}.${key} is not a field this playground knows.`, `${path}.${key}`);
  }
  return fields;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length > SHARE_LIMITS.maxStringLength) invalid(path, `a string of at most ${SHARE_LIMITS.maxStringLength} characters`, value);
  return value;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') invalid(path, 'true or false', value);
  return value;
}

function int(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(path, max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`, value);
  }
  return value;
}

/** A finite number in [min, max). */
function real(value: unknown, path: string, min: number, max: number, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value >= max) invalid(path, expected, value);
  return value;
}

function oneOf<K extends string>(registry: Readonly<Record<K, unknown>>, value: unknown, path: string, what: string): K {
  if (typeof value !== 'string' || !Object.hasOwn(registry, value)) invalid(path, `${what} (${Object.keys(registry).join(', ')})`, value);
  return value as K;
}

const padding = (value: unknown, path: string): Padding => oneOf({ valid: true, same: true }, value, path, 'a padding');
const activation = (value: unknown, path: string): Activation => oneOf(ACTIVATIONS, value, path, 'an activation');

function layer(value: unknown, path: string): LayerSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(path, 'a layer object', value);
  const type: unknown = (value as Readonly<Record<string, unknown>>).type;
  if (typeof type !== 'string' || !Object.hasOwn(LAYER_TYPES, type)) {
    throw new ShareError(
      `This share link is invalid: ${path}.type is ${describeValue(type)}, not a layer type this playground knows (${Object.keys(LAYER_TYPES).join(', ')}).`,
      `${path}.type`,
    );
  }
  const t = type as LayerSpec['type'];
  switch (t) {
    case 'flatten':
      record(value, path, ['type']);
      return { type: t };
    case 'batchNormalization': {
      // Links made before momentum was a setting have none: they meant Keras's default.
      const f = record(value, path, ['type', 'momentum'], ['momentum']);
      const momentum = f.momentum === undefined ? DEFAULT_BATCH_NORM_MOMENTUM : real(f.momentum, `${path}.momentum`, 0, 1, 'a momentum from 0 up to (not including) 1');
      return { type: t, momentum };
    }
    case 'dense': {
      const f = record(value, path, ['type', 'units', 'activation', 'useBias']);
      return { type: t, units: int(f.units, `${path}.units`, 1), activation: activation(f.activation, `${path}.activation`), useBias: bool(f.useBias, `${path}.useBias`) };
    }
    case 'conv2d': {
      const f = record(value, path, ['type', 'filters', 'kernelSize', 'strides', 'padding', 'activation']);
      return {
        type: t,
        filters: int(f.filters, `${path}.filters`, 1),
        kernelSize: int(f.kernelSize, `${path}.kernelSize`, 1),
        strides: int(f.strides, `${path}.strides`, 1),
        padding: padding(f.padding, `${path}.padding`),
        activation: activation(f.activation, `${path}.activation`),
      };
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const f = record(value, path, ['type', 'poolSize', 'strides', 'padding']);
      return {
        type: t,
        poolSize: int(f.poolSize, `${path}.poolSize`, 1),
        strides: f.strides === null ? null : int(f.strides, `${path}.strides`, 1),
        padding: padding(f.padding, `${path}.padding`),
      };
    }
    case 'dropout': {
      const f = record(value, path, ['type', 'rate']);
      return { type: t, rate: real(f.rate, `${path}.rate`, 0, 1, 'a rate from 0 up to (not including) 1') };
    }
    case 'activation': {
      const f = record(value, path, ['type', 'activation']);
      return { type: t, activation: activation(f.activation, `${path}.activation`) };
    }
  }
}

function compileSpec(value: unknown, path: string): CompileSpec {
  const f = record(value, path, ['optimizer', 'learningRate', 'momentum', 'loss', 'fromLogits']);
  return {
    optimizer: oneOf(OPTIMIZERS, f.optimizer, `${path}.optimizer`, 'an optimizer'),
    learningRate: real(f.learningRate, `${path}.learningRate`, Number.MIN_VALUE, Number.POSITIVE_INFINITY, 'a positive number'),
    momentum: real(f.momentum, `${path}.momentum`, 0, 1, 'a number from 0 up to (not including) 1'),
    loss: oneOf(LOSSES, f.loss, `${path}.loss`, 'a loss'),
    fromLogits: bool(f.fromLogits, `${path}.fromLogits`),
  };
}

function fitSpec(value: unknown, path: string): FitSpec {
  // learningRateDecay, earlyStopping and validationData came later: links and run files from
  // before them train at a constant rate, for all their epochs, validated on their split.
  const f = record(
    value,
    path,
    ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'seed', 'augmentShift', 'learningRateDecay', 'trainLimit', 'classWeight', 'earlyStopping'],
    ['learningRateDecay', 'earlyStopping', 'validationData', 'classWeight'],
  );
  const decay = f.learningRateDecay ?? 1;
  return {
    epochs: int(f.epochs, `${path}.epochs`, 1, MAX_EPOCHS),
    batchSize: int(f.batchSize, `${path}.batchSize`, 1),
    validationSplit: real(f.validationSplit, `${path}.validationSplit`, 0, 1, 'a fraction from 0 up to (not including) 1'),
    validationData: f.validationData === undefined || f.validationData === null ? null : oneOf({ test: 'test' }, f.validationData, `${path}.validationData`, 'null (the split validates) or a set to validate on'),
    shuffle: bool(f.shuffle, `${path}.shuffle`),
    seed: int(f.seed, `${path}.seed`, 0, MAX_SEED),
    augmentShift: int(f.augmentShift, `${path}.augmentShift`, 0, 8),
    learningRateDecay: decay === 1 ? 1 : real(decay, `${path}.learningRateDecay`, Number.MIN_VALUE, 1, 'a factor above 0 and at most 1'),
    trainLimit: f.trainLimit === null ? null : int(f.trainLimit, `${path}.trainLimit`, 1),
    classWeight: f.classWeight === undefined || f.classWeight === null ? null : classWeight(f.classWeight, `${path}.classWeight`),
    earlyStopping: f.earlyStopping === undefined || f.earlyStopping === null ? null : earlyStoppingSpec(f.earlyStopping, `${path}.earlyStopping`),
  };
}

/** Keras's class_weight: class indices (0 to 255, as strings) to weights, 0 or more; weights of 1 are left out, and null when none is left. */
function classWeight(value: unknown, path: string): Readonly<Record<string, number>> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(path, 'an object of class indices and weights', value);
  const entries = Object.entries(value as Readonly<Record<string, unknown>>);
  if (entries.length > 256) invalid(path, 'at most 256 classes', value);
  const weights = entries.flatMap(([label, weight]): [string, number][] => {
    if (!/^(0|[1-9]\d*)$/.test(label) || Number(label) > 255) invalid(`${path}.${label}`, 'a weight for a class index from 0 to 255', label);
    const checked = real(weight, `${path}.${label}`, 0, Number.POSITIVE_INFINITY, 'a weight, 0 or more');
    return checked === 1 ? [] : [[label, checked]];
  });
  return weights.length === 0 ? null : Object.fromEntries(weights);
}

function earlyStoppingSpec(value: unknown, path: string): EarlyStoppingSpec {
  // minDelta came later: EarlyStopping from before it counted any change as improvement.
  const f = record(value, path, ['monitor', 'minDelta', 'patience', 'restoreBestWeights'], ['minDelta']);
  return {
    monitor: oneOf(MONITORS, f.monitor, `${path}.monitor`, 'a quantity to monitor'),
    minDelta: f.minDelta === undefined ? 0 : real(f.minDelta, `${path}.minDelta`, 0, Number.POSITIVE_INFINITY, 'a number, 0 or more'),
    patience: int(f.patience, `${path}.patience`, 0),
    restoreBestWeights: bool(f.restoreBestWeights, `${path}.restoreBestWeights`),
  };
}

/** A ModelSpec from untrusted JSON, every field checked; a ShareError naming the first wrong one. */
export function parseModelSpec(value: unknown, path = 'spec'): ModelSpec {
  const f = record(value, path, ['layers', 'compile', 'fit']);
  if (!Array.isArray(f.layers) || f.layers.length > SHARE_LIMITS.maxLayers) invalid(`${path}.layers`, `a list of at most ${SHARE_LIMITS.maxLayers} layers`, f.layers);
  const layers = (f.layers as unknown[]).map((l, i) => layer(l, `${path}.layers[${i}]`));
  return { layers, compile: compileSpec(f.compile, `${path}.compile`), fit: fitSpec(f.fit, `${path}.fit`) };
}

/** A Share from untrusted JSON (the decoded payload), every field checked. */
export function parseShare(value: unknown): Share {
  const f = record(value, 'share', ['v', 'dataset', 'ownDataset', 'runs'], ['ownDataset']);
  if (f.v !== SHARE_VERSION) {
    throw new ShareError(`This share link has format version ${describeValue(f.v)}; this playground reads version ${SHARE_VERSION}. It may come from a newer version of the page.`, 'share.v');
  }
  const dataset = text(f.dataset, 'share.dataset');
  if (!Array.isArray(f.runs) || f.runs.length === 0 || f.runs.length > SHARE_LIMITS.maxRuns) invalid('share.runs', `a list of 1 to ${SHARE_LIMITS.maxRuns} runs`, f.runs);
  const runs = (f.runs as unknown[]).map((run, i) => {
    const r = record(run, `share.runs[${i}]`, ['name', 'spec']);
    return { name: text(r.name, `share.runs[${i}].name`), spec: parseModelSpec(r.spec, `share.runs[${i}].spec`) };
  });
  // A dataset id that is neither built in nor described may still be the fingerprint of files a
  // visitor has loaded (a link made from runs whose files were not loaded): the banner says so.
  return f.ownDataset === undefined ? { dataset, runs } : { dataset, ownDataset: sharedDataset(f.ownDataset), runs };
}

/** How a share link describes a dataset of the sharer's own. */
export function describeOwnDataset(dataset: Dataset): SharedDataset {
  return { name: dataset.name, height: dataset.train.height, width: dataset.train.width, classCount: dataset.classNames.length };
}

/** True when `dataset` can train a share's models made for the sharer's own dataset: same image size and class count. */
export function matchesOwnDataset(dataset: Dataset, own: SharedDataset): boolean {
  const mine = describeOwnDataset(dataset);
  return mine.height === own.height && mine.width === own.width && mine.classCount === own.classCount;
}

function sharedDataset(value: unknown): SharedDataset {
  const f = record(value, 'share.ownDataset', ['name', 'height', 'width', 'classCount']);
  return {
    name: text(f.name, 'share.ownDataset.name'),
    height: int(f.height, 'share.ownDataset.height', 1),
    width: int(f.width, 'share.ownDataset.width', 1),
    classCount: int(f.classCount, 'share.ownDataset.classCount', 1, MAX_CLASSES),
  };
}

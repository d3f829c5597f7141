import { describe, expect, it } from 'vitest';
import { PRESETS, PRESET_ORDER } from './presets';
import { assembleDataset } from '../data/dataset';
import { decodeShare, describeOwnDataset, encodeShare, fromBase64Url, matchesOwnDataset, parseShare, readShareFromHash, ShareError, shareUrl, toBase64Url, type Share } from './specUrl';

const presetShare = (ids: readonly (keyof typeof PRESETS)[]): Share => ({
  dataset: 'mnist',
  runs: ids.map((id) => ({ name: PRESETS[id].title, spec: PRESETS[id].spec })),
});

/** Text compressed and encoded the way `encodeShare` does, for hand-made tampering. */
async function encodeText(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}
const encodeJson = (value: unknown): Promise<string> => encodeText(JSON.stringify(value));

/** A valid payload (as JSON) with one change made by `edit`. */
function payload(edit: (p: { v: number; dataset: string; runs: { name: string; spec: Record<string, unknown> }[] }) => void): unknown {
  const p = JSON.parse(JSON.stringify({ v: 1, ...presetShare(['quickstart']) })) as { v: number; dataset: string; runs: { name: string; spec: Record<string, unknown> }[] };
  edit(p);
  return p;
}

async function decodeError(text: string): Promise<ShareError> {
  try {
    await decodeShare(text);
  } catch (error) {
    if (error instanceof ShareError) return error;
    throw error;
  }
  throw new Error('decodeShare accepted it');
}

describe('share links', () => {
  it.each(PRESET_ORDER)('round-trips the %s preset exactly', async (id) => {
    const share: Share = { dataset: PRESETS[id].dataset, runs: [{ name: `${PRESETS[id].title} — run 1 ✓`, spec: PRESETS[id].spec }] };
    const text = await encodeShare(share);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await decodeShare(text)).toEqual(share);
  });

  it('round-trips all presets in one link, under a URL with its own fragment', async () => {
    const share = presetShare(PRESET_ORDER);
    const url = await shareUrl('https://example.org/playground/?x=1#old', share);
    expect(url.startsWith('https://example.org/playground/?x=1#share=')).toBe(true);
    expect(await readShareFromHash(new URL(url).hash)).toEqual(share);
    expect(await readShareFromHash(`#tab=compare&share=${await encodeShare(share)}`)).toEqual(share);
    expect(await readShareFromHash('#tab=compare')).toBeNull();
    expect(await readShareFromHash('')).toBeNull();
  });

  it("describes the sharer's own dataset, which a visitor's dataset of the same shape and classes can stand in for", async () => {
    const share: Share = { dataset: 'custom-1', ownDataset: { name: 'Your dataset 1', height: 12, width: 16, classCount: 3 }, runs: presetShare(['quickstart']).runs };
    expect(await decodeShare(await encodeShare(share))).toEqual(share);
    const dataset = (height: number, width: number, classes: number): ReturnType<typeof assembleDataset> => {
      const images = (count: number) => ({ name: 'images', idx: { dims: [count, height, width], data: new Uint8Array(count * height * width) } });
      const labels = (count: number) => ({ name: 'labels', idx: { dims: [count], data: Uint8Array.from({ length: count }, (_, i) => i % classes) } });
      return assembleDataset('custom-9', 'Mine', { trainImages: images(6), trainLabels: labels(6), testImages: images(3), testLabels: labels(3) });
    };
    expect(describeOwnDataset(dataset(12, 16, 3))).toEqual({ name: 'Mine', height: 12, width: 16, classCount: 3 });
    expect(share.ownDataset && matchesOwnDataset(dataset(12, 16, 3), share.ownDataset)).toBe(true);
    expect(share.ownDataset && matchesOwnDataset(dataset(16, 12, 3), share.ownDataset)).toBe(false);
    expect(share.ownDataset && matchesOwnDataset(dataset(12, 16, 4), share.ownDataset)).toBe(false);
    expect(() => parseShare({ v: 1, ...share, ownDataset: { ...share.ownDataset, classCount: 0 } })).toThrow(ShareError);
    expect(() => parseShare({ v: 1, ...share, ownDataset: { name: 'x', height: 1, width: 1 } })).toThrow('share.ownDataset.classCount is missing');
  });

  it('keeps a link for three presets under 2,000 characters', async () => {
    const url = await shareUrl('https://playground.example.org/', presetShare(['quickstart', 'fashionCnn', 'strongest']));
    expect(url.length).toBeLessThan(2000);
    // Compression earns its keep: the JSON alone would be several times longer.
    expect(url.length).toBeLessThan(JSON.stringify(presetShare(['quickstart', 'fashionCnn', 'strongest'])).length / 3);
  });

  it('rejects a link cut short or edited, with a clear error', async () => {
    const text = await encodeShare(presetShare(['quickstart', 'strongest']));
    const cut = await decodeError(text.slice(0, Math.floor(text.length / 2)));
    expect(cut.message).toMatch(/damaged/);
    // Change one character in the middle: the checksum (or the JSON, or the validation) catches it.
    const mid = Math.floor(text.length / 2);
    const edited = `${text.slice(0, mid)}${text[mid] === 'A' ? 'B' : 'A'}${text.slice(mid + 1)}`;
    expect((await decodeError(edited)).message).toMatch(/^This share link is (damaged|invalid)/);
    expect((await decodeError('not a share!')).message).toMatch(/not base64url/);
    expect((await decodeError('')).message).toBe('This share link is empty: nothing follows "#share=" (was it cut short when copied?).');
    expect((await decodeError(toBase64Url(new TextEncoder().encode('{"v":1}')))).message).toMatch(/does not decompress/);
    const notJson = await decodeError(await encodeText('{"v": 1, '));
    expect(notJson.message).toMatch(/not JSON/);
    expect(notJson.field).toBeNull();
  });

  it('names an unknown layer type and where it is', async () => {
    const text = await encodeJson(payload((p) => ((p.runs[0]?.spec.layers as { type: string }[])[1] = { type: 'lstm' })));
    const error = await decodeError(text);
    expect(error.field).toBe('share.runs[0].spec.layers[1].type');
    expect(error.message).toContain('"lstm"');
    expect(error.message).toContain('share.runs[0].spec.layers[1].type');
    expect(error.message).toContain('not a layer type');
  });

  it('type-checks every field and names the first invalid one', () => {
    const cases: [(p: Parameters<Parameters<typeof payload>[0]>[0]) => void, string][] = [
      [(p) => (p.v = 2), 'share.v'],
      [(p) => ((p as unknown as Record<string, unknown>).dataset = 7), 'share.dataset'],
      [(p) => (p.runs = []), 'share.runs'],
      [(p) => ((p.runs[0] as unknown as Record<string, unknown>).name = null), 'share.runs[0].name'],
      [(p) => ((p.runs[0] as unknown as Record<string, unknown>).extra = 1), 'share.runs[0].extra'],
      [(p) => delete p.runs[0]?.spec.fit, 'share.runs[0].spec.fit'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[1] = { type: 'dense', units: '128', activation: 'relu', useBias: true }), 'share.runs[0].spec.layers[1].units'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[1] = { type: 'dense', units: 128, activation: 'swish', useBias: true }), 'share.runs[0].spec.layers[1].activation'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[1] = { type: 'dense', units: 128, activation: 'relu', useBias: 1 }), 'share.runs[0].spec.layers[1].useBias'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[0] = { type: 'flatten', units: 3 }), 'share.runs[0].spec.layers[0].units'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[0] = { type: 'toString' }), 'share.runs[0].spec.layers[0].type'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[0] = { type: 'dropout', rate: 1 }), 'share.runs[0].spec.layers[0].rate'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[0] = { type: 'batchNormalization', momentum: '0.9' }), 'share.runs[0].spec.layers[0].momentum'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[0] = { type: 'maxPooling2d', poolSize: 2, strides: 0, padding: 'valid' }), 'share.runs[0].spec.layers[0].strides'],
      [(p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[0] = { type: 'conv2d', filters: 8, kernelSize: 3, strides: 1, padding: 'full', activation: 'relu' }), 'share.runs[0].spec.layers[0].padding'],
      [(p) => ((p.runs[0]?.spec.compile as Record<string, unknown>).optimizer = 'adagrad'), 'share.runs[0].spec.compile.optimizer'],
      [(p) => ((p.runs[0]?.spec.compile as Record<string, unknown>).learningRate = 0), 'share.runs[0].spec.compile.learningRate'],
      [(p) => ((p.runs[0]?.spec.compile as Record<string, unknown>).loss = 'mse'), 'share.runs[0].spec.compile.loss'],
      [(p) => ((p.runs[0]?.spec.compile as Record<string, unknown>).fromLogits = 'yes'), 'share.runs[0].spec.compile.fromLogits'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).epochs = 2.5), 'share.runs[0].spec.fit.epochs'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).epochs = 1e15), 'share.runs[0].spec.fit.epochs'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).validationSplit = -0.1), 'share.runs[0].spec.fit.validationSplit'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).augmentShift = 9), 'share.runs[0].spec.fit.augmentShift'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).trainLimit = 'all'), 'share.runs[0].spec.fit.trainLimit'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).learningRateDecay = 1.5), 'share.runs[0].spec.fit.learningRateDecay'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).learningRateDecay = 0), 'share.runs[0].spec.fit.learningRateDecay'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).earlyStopping = { monitor: 'val_auc', minDelta: 0, patience: 3, restoreBestWeights: true }), 'share.runs[0].spec.fit.earlyStopping.monitor'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).earlyStopping = { monitor: 'loss', minDelta: 0, patience: -1, restoreBestWeights: true }), 'share.runs[0].spec.fit.earlyStopping.patience'],
      [(p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).earlyStopping = { monitor: 'loss', minDelta: 0, patience: 1 }), 'share.runs[0].spec.fit.earlyStopping.restoreBestWeights'],
    ];
    for (const [edit, field] of cases) {
      expect(() => parseShare(payload(edit)), field).toThrow(ShareError);
      try {
        parseShare(payload(edit));
      } catch (error) {
        expect(error instanceof ShareError ? error.field : error, field).toBe(field);
        if (field !== 'share.v') expect(error instanceof Error ? error.message : '', field).toContain(field);
      }
    }
    // A list too long is counted, not only called a list.
    expect(() => parseShare(payload((p) => p.runs.forEach((run) => (run.spec.layers = Array.from({ length: 257 }, () => ({ type: 'flatten' }))))))).toThrow(
      'This share link is invalid: share.runs[0].spec.layers should be a list of at most 256 layers, but it is a list of 257.',
    );
    // Links from before BatchNormalization had a momentum setting meant Keras's default.
    const old = parseShare(payload((p) => ((p.runs[0]?.spec.layers as Record<string, unknown>[])[1] = { type: 'batchNormalization' })));
    expect(old.runs[0]?.spec.layers[1]).toEqual({ type: 'batchNormalization', momentum: 0.99 });
    // Links from before learning-rate schedules trained at a constant rate.
    const constant = parseShare(payload((p) => delete (p.runs[0]?.spec.fit as Partial<Record<string, unknown>>).learningRateDecay));
    expect(constant.runs[0]?.spec.fit.learningRateDecay).toBe(1);
    expect(parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).learningRateDecay = 0.8))).runs[0]?.spec.fit.learningRateDecay).toBe(0.8);
    // And from before EarlyStopping, for all their epochs.
    expect(parseShare(payload((p) => delete (p.runs[0]?.spec.fit as Partial<Record<string, unknown>>).earlyStopping)).runs[0]?.spec.fit.earlyStopping).toBeNull();
    // And from before min_delta, counting any change.
    const beforeMinDelta = { monitor: 'val_accuracy', patience: 2, restoreBestWeights: false };
    expect(parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).earlyStopping = beforeMinDelta))).runs[0]?.spec.fit.earlyStopping).toEqual({ ...beforeMinDelta, minDelta: 0 });
    expect(() => parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).earlyStopping = { ...beforeMinDelta, minDelta: -1 })))).toThrow('share.runs[0].spec.fit.earlyStopping.minDelta');
    const stopping = { monitor: 'val_accuracy', minDelta: 0.01, patience: 2, restoreBestWeights: false };
    expect(parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).earlyStopping = stopping))).runs[0]?.spec.fit.earlyStopping).toEqual(stopping);
    // And from before validation_data, on their split; a test set to validate on is kept, nothing else is.
    expect(parseShare(payload((p) => delete (p.runs[0]?.spec.fit as Partial<Record<string, unknown>>).validationData)).runs[0]?.spec.fit.validationData).toBeNull();
    expect(parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).validationData = 'test'))).runs[0]?.spec.fit.validationData).toBe('test');
    expect(() => parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).validationData = 'train')))).toThrow('share.runs[0].spec.fit.validationData');
    // And from before class_weight, unweighted; weights are class indices to positive numbers.
    expect(parseShare(payload((p) => delete (p.runs[0]?.spec.fit as Partial<Record<string, unknown>>).classWeight)).runs[0]?.spec.fit.classWeight).toBeNull();
    expect(parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).classWeight = { '5': 2 }))).runs[0]?.spec.fit.classWeight).toEqual({ '5': 2 });
    // A weight of 1 is no weight, and none left is none.
    expect(parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).classWeight = { '5': 1, '3': 0 }))).runs[0]?.spec.fit.classWeight).toEqual({ '3': 0 });
    expect(parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).classWeight = {}))).runs[0]?.spec.fit.classWeight).toBeNull();
    for (const [weights, at] of [[{ five: 2 }, 'five'], [{ '5': -1 }, '5'], [{ '05': 1 }, '05'], [[2], '']] as const) {
      expect(() => parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).classWeight = weights)))).toThrow(`share.runs[0].spec.fit.classWeight${at === '' ? '' : `.${at}`}`);
    }
    // Nulls where the spec allows them are fine.
    expect(() => parseShare(payload((p) => ((p.runs[0]?.spec.fit as Record<string, unknown>).trainLimit = 500)))).not.toThrow();
  });

  it('encodes bytes as base64url and back', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toBase64Url(bytes);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64Url(text)).toEqual(bytes);
    expect(fromBase64Url(`${toBase64Url(bytes.subarray(0, 4))}==`)).toEqual(bytes.subarray(0, 4));
    expect(() => fromBase64Url('abcde')).toThrow(ShareError);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MNIST_DRAWING_LAYOUT } from '../data/drawing';
import type { Evaluation, WorkerEvent } from './protocol';
import { DEFAULT_COMPILE, DEFAULT_FIT, type ModelSpec } from './spec';
import { syntheticDataset } from './testData';
import { classifyFailure, Trainer } from './trainer';

const spec: ModelSpec = {
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' },
    { type: 'batchNormalization', momentum: 0.99 },
    { type: 'maxPooling2d', poolSize: 2, strides: null, padding: 'valid' },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'linear', useBias: true },
  ],
  compile: { ...DEFAULT_COMPILE, learningRate: 0.01, fromLogits: true },
  fit: { ...DEFAULT_FIT, epochs: 3, batchSize: 20, validationSplit: 0.1, trainLimit: 200 },
};

function engine() {
  const events: WorkerEvent[] = [];
  const trainer = new Trainer((event) => events.push(event));
  trainer.addDataset(syntheticDataset());
  return { trainer, events };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('classifyFailure', () => {
  it.each([
    ['memory access out of bounds', 'the wasm heap, measured by allocating past it'],
    ['Invalid typed array length: 4800000000', 'a tensor too large for a typed array, measured'],
    ['Array buffer allocation failed', "V8's refusal"],
    ['Cannot enlarge memory arrays to size 2147483648 bytes (OOM)', 'Emscripten'],
    ['WebGL error: OUT_OF_MEMORY', 'WebGL'],
    ['Aborted(). Build with -sASSERTIONS for more info.', 'the WASM backend on a Dense(100000) model, measured'],
  ])('names running out of memory (%s: %s) and suggests a smaller batch or model', (message) => {
    const failure = classifyFailure(new Error(message));
    expect(failure.kind).toBe('out-of-memory');
    expect(failure.message).toContain('Try a smaller batch size or model; finished runs are kept.');
  });

  it('keeps the WASM allocation check\'s own sentence, with its size, instead of wrapping it in another', () => {
    const said = 'The WASM backend ran out of memory: no room for 598.1 MB more (WebAssembly holds 4 GB at most).';
    expect(classifyFailure(new Error(said))).toEqual({ kind: 'out-of-memory', message: `${said} Try a smaller batch size or model; finished runs are kept.` });
  });

  it('names a lost WebGL context, and passes other errors through as they are', () => {
    expect(classifyFailure(new Error('WebGL error: CONTEXT_LOST_WEBGL')).kind).toBe('context-lost');
    expect(classifyFailure(new Error('something else'))).toEqual({ kind: 'error', message: 'something else' });
  });
});

describe('Trainer', () => {
  it('trains a run in order: started, batches, epochs, evaluation, finished — and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const { trainer, events } = engine();
    await trainer.train({ type: 'train', runId: 'r1', datasetId: 'synthetic', spec, backend: 'cpu' });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('runStarted');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(types.slice(-2)).toEqual(['evaluation', 'runFinished']);
    const started = events[0];
    expect(started).toMatchObject({ trainCount: 180, validationCount: 20, batchesPerEpoch: 9, backend: { name: 'cpu', renderer: null, software: false } });
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.record] : []));
    expect(new Set(epochs.map((r) => r.tensors)).size).toBe(1);
    const evaluation = events.flatMap((e) => (e.type === 'evaluation' ? [e.evaluation] : []))[0] as Evaluation;
    expect(evaluation.count).toBe(60);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(evaluation.accuracy).toBeGreaterThan(0.9);
    for (let i = 0; i < evaluation.sampleIndices.length; i++) {
      const row = evaluation.sampleProbabilities.subarray(i * 3, i * 3 + 3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    trainer.disposeRun('r1');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ends a run stopped while it waits in the queue at once, and trains the others', async () => {
    const { trainer, events } = engine();
    const first = trainer.train({ type: 'train', runId: 'r1', datasetId: 'synthetic', spec, backend: 'cpu' });
    const second = trainer.train({ type: 'train', runId: 'r2', datasetId: 'synthetic', spec, backend: 'cpu' });
    const third = trainer.train({ type: 'train', runId: 'r3', datasetId: 'synthetic', spec, backend: 'cpu' });
    trainer.stop('r2');
    // Before r1 has trained a batch, r2 has ended.
    expect(events).toEqual([{ type: 'runFinished', runId: 'r2', stopped: true, seconds: 0, earlyStop: null }]);
    await Promise.all([first, second, third]);
    const ofRun = (runId: string) => events.filter((e) => 'runId' in e && e.runId === runId).map((e) => e.type);
    expect(ofRun('r2')).toEqual(['runFinished']);
    expect(ofRun('r3').at(0)).toBe('runStarted');
    expect(ofRun('r3').at(-1)).toBe('runFinished');
    for (const id of ['r1', 'r3']) trainer.disposeRun(id);
  });

  it('starts a run paused while it waited as paused, and trains it once resumed', async () => {
    const { trainer, events } = engine();
    const first = trainer.train({ type: 'train', runId: 'r1', datasetId: 'synthetic', spec, backend: 'cpu' });
    const second = trainer.train({ type: 'train', runId: 'r2', datasetId: 'synthetic', spec, backend: 'cpu' });
    trainer.pause('r2');
    await first;
    await vi.waitFor(() => expect(events.find((e) => e.type === 'runStarted' && e.runId === 'r2')).toMatchObject({ paused: true }));
    expect(events.some((e) => e.type === 'batch' && e.runId === 'r2')).toBe(false);
    trainer.resume('r2');
    await second;
    expect(events.at(-1)).toMatchObject({ type: 'runFinished', runId: 'r2', stopped: false });
    for (const id of ['r1', 'r2']) trainer.disposeRun(id);
  });

  it('ignores a Pause that arrives after its run ended (the page sent it before it heard the end), and the Resume after it', async () => {
    const { trainer, events } = engine();
    await trainer.train({ type: 'train', runId: 'r1', datasetId: 'synthetic', spec: { ...spec, fit: { ...spec.fit, epochs: 1 } }, backend: 'cpu' });
    expect(events.at(-1)).toMatchObject({ type: 'runFinished', runId: 'r1' });
    const count = events.length;
    trainer.pause('r1');
    trainer.resume('r1');
    expect(events.length).toBe(count);
    trainer.disposeRun('r1');
  });

  it('predicts one image with the trained model, probabilities summing to 1', async () => {
    const { trainer, events } = engine();
    await trainer.train({ type: 'train', runId: 'r2', datasetId: 'synthetic', spec: { ...spec, fit: { ...spec.fit, epochs: 1 } }, backend: 'cpu' });
    const pixels = new Float32Array(64);
    for (let y = 2; y < 6; y++) for (let x = 0; x < 2; x++) pixels[y * 8 + x] = 0.8;
    await trainer.predict({ type: 'predict', requestId: 7, runId: 'r2', image: { kind: 'pixels', pixels }, size: { height: 8, width: 8 }, layout: MNIST_DRAWING_LAYOUT });
    const prediction = events.at(-1);
    if (prediction?.type !== 'prediction' || prediction.probabilities === null) throw new Error('expected probabilities');
    expect(prediction.requestId).toBe(7);
    expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(prediction.probabilities.indexOf(Math.max(...prediction.probabilities))).toBe(0);
    // A blank image predicts nothing and says so.
    await trainer.predict({ type: 'predict', requestId: 8, runId: 'r2', image: { kind: 'rgba', rgba: new Uint8ClampedArray(16 * 16 * 4).fill(255), width: 16, height: 16 }, size: { height: 8, width: 8 }, layout: MNIST_DRAWING_LAYOUT });
    expect(events.at(-1)).toMatchObject({ type: 'prediction', requestId: 8, input: null, probabilities: null });
    expect(events.at(-1)).toHaveProperty('note', 'The image is blank: there is no ink to classify.');
    expect(prediction.inkSpan).toBeNull();
    // A drawing says how much of its picture the ink spans: a 4×2 mark on a 16×16 pad, a quarter of it.
    const rgba = new Uint8ClampedArray(16 * 16 * 4).fill(255);
    for (let y = 4; y < 8; y++) for (let x = 3; x < 5; x++) rgba.fill(0, (y * 16 + x) * 4, (y * 16 + x) * 4 + 3);
    await trainer.predict({ type: 'predict', requestId: 9, runId: 'r2', image: { kind: 'rgba', rgba, width: 16, height: 16 }, size: { height: 8, width: 8 }, layout: MNIST_DRAWING_LAYOUT });
    expect(events.at(-1)).toMatchObject({ type: 'prediction', requestId: 9, inkSpan: 0.25 });
    trainer.disposeRun('r2');
  });

  it("gives a run's first-layer weights as pictures: each conv filter's kernel, exactly as the layer holds it", async () => {
    const { trainer, events } = engine();
    await trainer.train({ type: 'train', runId: 'r5', datasetId: 'synthetic', spec: { ...spec, fit: { ...spec.fit, epochs: 1 } }, backend: 'cpu' });
    await trainer.layerPictures(3, 'r5');
    const answer = events.at(-1);
    if (answer?.type !== 'layerPictures' || answer.pictures === null) throw new Error('expected pictures');
    expect(answer.pictures.layer).toEqual({ index: 0, name: 'conv2d', kind: 'conv2d', count: 4, height: 3, width: 3 });
    // The kernel is [3, 3, 1, 4]: filter f's picture is its values at [.., .., 0, f].
    const model = (trainer as unknown as { runs: Map<string, { model: tf.LayersModel }> }).runs.get('r5')?.model;
    const kernel = (await model?.getLayer('conv2d').getWeights()[0]?.array()) as number[][][][];
    const filter2 = kernel.flatMap((row) => row.map((column) => column[0]?.[2] ?? NaN));
    expect(answer.pictures.values).toHaveLength(36);
    expect(Array.from(answer.pictures.values.subarray(18, 27))).toEqual(filter2.map(Math.fround));
    // Another run's name, or a run without a model, is a note, not an error.
    await trainer.layerPictures(4, 'nobody');
    expect(events.at(-1)).toMatchObject({ type: 'layerPictures', requestId: 4, pictures: null, note: 'This run has no model in the worker: it has not started yet, or it failed.' });
    trainer.disposeRun('r5');
  });

  it("sends a run in training's pictures as they were at the last epoch's end, saying which epoch, not as they are part-way through the next", async () => {
    const events: WorkerEvent[] = [];
    const atEpochEnd = new Map<number, number[]>();
    const asked: { request: Promise<void> | null } = { request: null };
    const trainer = new Trainer((event) => {
      events.push(event);
      if (event.type !== 'epoch') return;
      const model = (trainer as unknown as { runs: Map<string, { model: tf.LayersModel }> }).runs.get('r6')?.model;
      atEpochEnd.set(event.record.epoch, Array.from(model?.getLayer('conv2d').getWeights()[0]?.dataSync() ?? []));
      // The page's request comes as a message, after the epoch's event.
      if (event.record.epoch === 1) asked.request = new Promise((resolve) => setTimeout(resolve, 0)).then(() => trainer.layerPictures(9, 'r6'));
    });
    trainer.addDataset(syntheticDataset());
    await trainer.train({ type: 'train', runId: 'r6', datasetId: 'synthetic', spec, backend: 'cpu' });
    await asked.request;
    const answer = events.find((e) => e.type === 'layerPictures');
    if (answer?.type !== 'layerPictures' || answer.pictures === null) throw new Error('expected pictures');
    // Asked during epoch 2 (or 3): filter 0's picture is the kernel's [.., .., 0, 0] at the end of the epoch it names, though training went on.
    const epoch = answer.epochsDone ?? 0;
    expect(epoch).toBeGreaterThanOrEqual(1);
    const kernel = atEpochEnd.get(epoch) ?? [];
    expect(Array.from(answer.pictures.values.subarray(0, 9))).toEqual(kernel.filter((_, i) => i % 4 === 0));
    if (epoch < 3) expect(atEpochEnd.get(3)).not.toEqual(kernel);
    // Once the run has ended, it sends the model's own weights, as final.
    await trainer.layerPictures(10, 'r6');
    expect(events.at(-1)).toMatchObject({ type: 'layerPictures', requestId: 10, epochsDone: null });
    trainer.disposeRun('r6');
  });

  it("answers a request that comes while an epoch's pictures are still being read with that epoch's, not the one before", async () => {
    const events: WorkerEvent[] = [];
    const asked: { request: Promise<void> | null } = { request: null };
    const trainer = new Trainer((event) => {
      events.push(event);
      // Asked at once, in the same task as the epoch's event: the read of its weights has only begun.
      if (event.type === 'epoch' && event.record.epoch === 1) asked.request = trainer.layerPictures(11, 'r7');
    });
    trainer.addDataset(syntheticDataset());
    await trainer.train({ type: 'train', runId: 'r7', datasetId: 'synthetic', spec, backend: 'cpu' });
    await asked.request;
    expect(events.find((e) => e.type === 'layerPictures')).toMatchObject({ requestId: 11, epochsDone: 1 });
    trainer.disposeRun('r7');
  });

  it('rejects an invalid spec with a message naming the layer, and keeps going for the next run', async () => {
    const { trainer, events } = engine();
    const bad: ModelSpec = { ...spec, layers: [{ type: 'dense', units: 0, activation: 'relu', useBias: true }, ...spec.layers.slice(-1)] };
    await trainer.train({ type: 'train', runId: 'bad', datasetId: 'synthetic', spec: bad, backend: 'cpu' });
    expect(events.at(-1)).toMatchObject({ type: 'runFailed', runId: 'bad', kind: 'invalid-spec' });
    expect(events.at(-1)).toHaveProperty('message', expect.stringMatching(/Layer 1 \(Dense\): units must be/));
    // A split that leaves nothing to train on fails as Keras's fit does, not as a run that "finishes" untrained.
    await trainer.train({ type: 'train', runId: 'empty', datasetId: 'synthetic', spec: { ...spec, fit: { ...spec.fit, trainLimit: 1, validationSplit: 0.5 } }, backend: 'cpu' });
    expect(events.at(-1)).toMatchObject({ type: 'runFailed', runId: 'empty', kind: 'invalid-spec' });
    expect(events.at(-1)).toHaveProperty('message', expect.stringMatching(/leaves none of the 1 training image to train on/));
    await trainer.train({ type: 'train', runId: 'good', datasetId: 'synthetic', spec: { ...spec, fit: { ...spec.fit, epochs: 1 } }, backend: 'cpu' });
    expect(events.at(-1)).toMatchObject({ type: 'runFinished', runId: 'good', stopped: false });
    trainer.disposeRun('good');
  });

  it('frees a failed run\'s model and data: memory is back where it was, before the run is disposed', async () => {
    const before = tf.memory().numTensors;
    const { trainer, events } = engine();
    const diverging: ModelSpec = { ...spec, compile: { ...spec.compile, optimizer: 'sgd', learningRate: 1e30, momentum: 0 } };
    await trainer.train({ type: 'train', runId: 'nan', datasetId: 'synthetic', spec: diverging, backend: 'cpu' });
    expect(events.at(-1)).toMatchObject({ type: 'runFailed', runId: 'nan', kind: 'diverged' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('exports a run\'s model files, and a model imported from them classifies exactly as the original', async () => {
    const { trainer, events } = engine();
    const oneEpoch = { ...spec, fit: { ...spec.fit, epochs: 1 } };
    await trainer.train({ type: 'train', runId: 'original', datasetId: 'synthetic', spec: oneEpoch, backend: 'cpu' });
    await trainer.exportModel('original');
    const exported = events.at(-1);
    if (exported?.type !== 'modelExported' || exported.files === null) throw new Error('expected model files');
    await trainer.importModel({ type: 'importModel', run: { runId: 'copy', spec: oneEpoch, input: { height: 8, width: 8, channels: 1 } }, files: exported.files });
    expect(events.at(-1)).toEqual({ type: 'modelImported', runId: 'copy', error: null });
    const probabilities = async (runId: string): Promise<number[]> => {
      await trainer.predict({ type: 'predict', requestId: 1, runId, image: { kind: 'pixels', pixels: new Float32Array(64).fill(0.5) }, size: { height: 8, width: 8 }, layout: MNIST_DRAWING_LAYOUT });
      const prediction = events.at(-1);
      return prediction?.type === 'prediction' && prediction.probabilities ? Array.from(prediction.probabilities) : [];
    };
    expect(await probabilities('copy')).toEqual(await probabilities('original'));
    await trainer.importModel({ type: 'importModel', run: { runId: 'broken', spec: oneEpoch, input: { height: 8, width: 8, channels: 1 } }, files: { ...exported.files, weightData: new ArrayBuffer(8) } });
    expect(events.at(-1)).toMatchObject({ type: 'modelImported', runId: 'broken', error: expect.stringMatching(/^its weights do not make its model \(/) as unknown });
    // A model.json of another model than its run's spec: refused, not drawn with under the spec's name.
    const wider = { ...oneEpoch, layers: oneEpoch.layers.map((layer) => (layer.type === 'conv2d' ? { ...layer, filters: layer.filters + 1 } : layer)) };
    await trainer.importModel({ type: 'importModel', run: { runId: 'other', spec: wider, input: { height: 8, width: 8, channels: 1 } }, files: exported.files });
    expect(events.at(-1)).toMatchObject({ type: 'modelImported', runId: 'other', error: "its model.json is not the model its run describes: layer 1 of its model (conv2d) outputs (None, 8, 8, 4), but its spec's Conv2D(5, 3×3, same, relu) outputs (None, 8, 8, 5)" });
    trainer.disposeRun('original');
    trainer.disposeRun('copy');
  });

  it('says so when a restored run\'s saved model cannot be loaded', async () => {
    const { trainer, events } = engine();
    trainer.restoreRuns([{ runId: 'gone', spec, input: { height: 8, width: 8, channels: 1 } }]);
    await trainer.predict({ type: 'predict', requestId: 3, runId: 'gone', image: { kind: 'pixels', pixels: new Float32Array(64) }, size: { height: 8, width: 8 }, layout: MNIST_DRAWING_LAYOUT });
    expect(events.at(-1)).toMatchObject({ type: 'prediction', requestId: 3, probabilities: null, note: expect.stringMatching(/^The saved model of this run could not be loaded: /) as unknown });
  });
});

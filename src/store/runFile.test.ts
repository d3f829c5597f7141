import { describe, expect, it } from 'vitest';
import type { ModelFiles } from '../training/protocol';
import { base64ToBytes, bytesToBase64 } from '../data/base64';
import { buildRunFile, fromSavedRun, notJson, parseRunFile, parseStoredRun, RUN_FILE_FORMAT, runFileName, runFileText, RunFileError, toSavedRun, weightBytes, type SavedRun } from './runFile';
import { run, saved } from './testing';

/** Two weights: a 2×3 float32 kernel and a 3-long float32 bias, 36 bytes. */
const files: ModelFiles = {
  modelJson: {
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: null,
    modelTopology: { class_name: 'Sequential', config: { name: 'm', layers: [] } },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
          { name: 'dense/bias', shape: [3], dtype: 'float32' },
        ],
      },
    ],
  },
  weightData: Float32Array.from([1, 2, 3, 4, 5, 6, 0.5, -0.5, 0]).buffer,
};


/** A valid run file as a JSON value, with one change made by `edit`. */
function fileWith(edit: (file: Record<string, unknown> & { run: Record<string, unknown> }) => void): string {
  const file = JSON.parse(runFileText(saved(), files, new Date(0))) as Record<string, unknown> & { run: Record<string, unknown> };
  edit(file);
  return JSON.stringify(file);
}

function importError(text: string, name = 'my.run.json'): string {
  try {
    parseRunFile(text, name);
  } catch (error) {
    if (error instanceof RunFileError) return error.message;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('saved runs', () => {
  it('keep a finished or stopped run without its live progress, and come back marked restored', () => {
    const record = saved();
    expect(record).not.toHaveProperty('progress');
    expect(record).not.toHaveProperty('error');
    expect(record.imageSize).toEqual({ height: 28, width: 28 });
    const restored = fromSavedRun(record);
    expect(restored).toEqual({ ...run, progress: null, restored: true });
    expect(restored).not.toHaveProperty('imageSize');
  });

  it('are not made of runs still training, failed with no reason given, or stopped before learning anything', () => {
    for (const status of ['starting', 'running', 'paused', 'failed'] as const) expect(toSavedRun({ ...run, status }, { height: 28, width: 28 })).toBeNull();
    // A failed run with what went wrong is kept, without a model; a run file never carries one.
    const failure = { kind: 'out-of-memory', message: 'The backend ran out of memory.' } as const;
    const failed = toSavedRun({ ...run, status: 'failed', error: failure }, { height: 28, width: 28 });
    expect(failed).toMatchObject({ status: 'failed', failure });
    expect(failed && fromSavedRun(failed)).toMatchObject({ status: 'failed', error: failure, restored: true });
    expect(failed && parseStoredRun(structuredClone(failed)).failure).toEqual(failure);
    expect(() => failed && parseRunFile(runFileText(failed, files, new Date(0)), 'failed.run.json')).toThrow(/run\.status should be "finished" or "stopped"/);
    expect(toSavedRun({ ...run, status: 'stopped', epochs: [], evaluation: null }, { height: 28, width: 28 })).toBeNull();
    expect(toSavedRun({ ...run, status: 'stopped', epochs: [] }, { height: 28, width: 28 })).not.toBeNull();
  });

  it('keep a run whose model was lost, marked so, which comes back without one and is never exported', () => {
    const lost = toSavedRun({ ...run, modelLost: true }, { height: 28, width: 28 });
    expect(lost?.modelLost).toBe(true);
    const back = parseStoredRun(structuredClone(lost));
    expect(back.modelLost).toBe(true);
    expect(fromSavedRun(back).modelLost).toBe(true);
    expect(toSavedRun(run, { height: 28, width: 28 })).not.toHaveProperty('modelLost');
    expect(() => lost && parseRunFile(runFileText(lost, files, new Date(0)), 'lost.run.json')).toThrow('lost.run.json cannot be imported: run.modelLost is true: its model was lost, and a run file carries one.');
  });

  it('are checked when they come back from storage, as IndexedDB kept them (typed arrays, NaN)', () => {
    const record: SavedRun = { ...saved(), epochs: run.epochs.map((epoch) => ({ ...epoch, loss: Number.NaN })) };
    const back = parseStoredRun(structuredClone(record));
    expect(back).toEqual(record);
    expect(back.evaluation?.predictions).toBeInstanceOf(Int32Array);
  });

  it('saved by an older page, read a BatchNormalization without momentum as Keras\'s default, 0.99', () => {
    const old = { ...saved(), spec: { ...run.spec, layers: [{ type: 'flatten' }, { type: 'batchNormalization' }, { type: 'dense', units: 3, activation: 'softmax', useBias: true }] } };
    expect(parseStoredRun(old).spec.layers[1]).toEqual({ type: 'batchNormalization', momentum: 0.99 });
  });

  it('saved by an older page, train at a constant learning rate and have no rate in their history', () => {
    const without = <T extends object>(value: T, key: keyof T): Partial<T> => Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) as Partial<T>;
    const fitBefore = without(run.spec.fit, 'learningRateDecay');
    const epochsBefore = run.epochs.map((epoch) => without(epoch, 'learningRate'));
    const old = parseStoredRun({ ...saved(), spec: { ...run.spec, fit: fitBefore }, epochs: epochsBefore });
    expect(old.spec.fit.learningRateDecay).toBe(1);
    expect(old.epochs[0]?.learningRate).toBeNull();
  });

  it("keep what EarlyStopping did, and read a run saved before it as having none", () => {
    const earlyStop = { monitor: 'val_loss', patience: 2, stoppedEpoch: 4, bestEpoch: 2, best: 0.25, restored: true } as const;
    const stopped = toSavedRun({ ...run, earlyStop }, { height: 28, width: 28 });
    expect(stopped && parseStoredRun(structuredClone(stopped)).earlyStop).toEqual(earlyStop);
    expect(stopped && fromSavedRun(stopped).earlyStop).toEqual(earlyStop);
    const atEnd = { ...earlyStop, stoppedEpoch: null, stoppedAtEnd: true } as const;
    const ranOut = toSavedRun({ ...run, earlyStop: atEnd }, { height: 28, width: 28 });
    expect(ranOut && parseStoredRun(structuredClone(ranOut)).earlyStop).toEqual(atEnd);
    const before = Object.fromEntries(Object.entries(saved()).filter(([key]) => key !== 'earlyStop'));
    expect(before).not.toHaveProperty('earlyStop');
    expect(parseStoredRun(before).earlyStop).toBeNull();
    // The quickstart run has 5 epochs: it cannot have stopped after a sixth.
    expect(() => parseStoredRun({ ...saved(), earlyStop: { ...earlyStop, stoppedEpoch: 6 } })).toThrow(/run\.earlyStop\.stoppedEpoch should be an epoch from 1 to 5, but it is 6/);
  });

  it('that are damaged are refused with the run named and the field, and not as an exception of another kind', () => {
    expect(() => parseStoredRun({ ...saved(), trainCount: -1 })).toThrow(new RunFileError('"Quickstart MLP #1" could not be restored from this browser: run.trainCount should be a whole number of at least 0, but it is -1.'));
    expect(() => parseStoredRun({ ...saved(), evaluation: { ...run.evaluation, predictions: undefined } })).toThrow(RunFileError);
    expect(() => parseStoredRun(null)).toThrow(/^A saved run could not be restored from this browser/);
  });
});

describe('the run file', () => {
  it('is tagged with its format and version and carries model.json and weights.bin as tfjs writes them', () => {
    const file = JSON.parse(runFileText(saved(), files, new Date(0))) as Record<string, unknown>;
    expect(file).toMatchObject({ format: RUN_FILE_FORMAT, version: 1, exportedAt: '1970-01-01T00:00:00.000Z', model: files.modelJson });
    expect(base64ToBytes(file.weights as string)).toEqual(new Uint8Array(files.weightData));
    expect(buildRunFile(saved(), files, new Date(0))).toHaveProperty('run.evaluation.predictions', [0, 1, 2, 2]);
  });

  it('reads back what it wrote: the run (typed arrays, NaN metrics) and the model files', () => {
    const { run: back, files: model } = parseRunFile(runFileText(saved(), files, new Date()), 'a.run.json');
    expect(back).toEqual(saved());
    expect(back.evaluation?.predictions).toBeInstanceOf(Int32Array);
    expect(back.evaluation?.sampleProbabilities).toBeInstanceOf(Float32Array);
    expect(back.epochs[0]?.valLoss).toBeNull();
    expect(model.modelJson).toEqual(files.modelJson);
    expect(new Float32Array(model.weightData)).toEqual(new Float32Array(files.weightData));
  });

  it('NaN metrics, which JSON cannot hold, travel as null and come back as NaN', () => {
    const withNaN: SavedRun = { ...saved(), epochs: run.epochs.map((epoch) => ({ ...epoch, loss: Number.NaN })) };
    const { run: back } = parseRunFile(runFileText(withNaN, files, new Date()), 'a.run.json');
    expect(back.epochs[0]?.loss).toBeNaN();
  });

  it('keeps the test answers of a model whose weights went NaN at its last step, in storage and in a file', () => {
    const evaluation = saved().evaluation;
    if (evaluation === null) throw new Error('the fixture has an evaluation');
    const nanModel: SavedRun = { ...saved(), evaluation: { ...evaluation, loss: Number.NaN, sampleProbabilities: evaluation.sampleProbabilities.map(() => Number.NaN) } };
    expect(parseStoredRun(structuredClone(nanModel)).evaluation?.sampleProbabilities[0]).toBeNaN();
    expect(parseRunFile(runFileText(nanModel, files, new Date()), 'a.run.json').run.evaluation?.sampleProbabilities[0]).toBeNaN();
  });

  it('measures the weights its manifest describes', () => {
    expect(weightBytes(files.modelJson.weightsManifest)).toBe(36);
    expect(weightBytes([{ paths: [], weights: [{ name: 'b', shape: [5], dtype: 'bool' }] }])).toBe(5);
  });

  it('is named after the run, without characters file systems refuse', () => {
    expect(runFileName('Quickstart MLP #1')).toBe('Quickstart MLP #1.run.json');
    expect(runFileName('a/b: "c"?')).toBe('a-b- -c-.run.json');
    expect(runFileName('  ')).toBe('run.run.json');
  });
});

describe('importing a run file explains what is wrong, naming the file', () => {
  it('refuses text that is not JSON, saying where it breaks: empty, binary, cut short, or the parser\'s position', () => {
    expect(importError('hello', 'notes.txt')).toMatch(/^notes\.txt is not a run export: it is not valid JSON \(Unexpected token .+\)\.$/);
    expect(importError('{"format": 1,}', 'a.json')).toMatch(/^a\.json is not a run export: it is not valid JSON \(.* at position 13\b.*\)\.$/);
    expect(importError('', 'empty.run.json')).toBe('empty.run.json is not a run export: the file is empty.');
    expect(importError('\ufffdPNG\r\n\u001a\n\u0000', 'picture.run.json')).toBe('picture.run.json is not a run export: it is binary data, not text (a PNG image).');
    const whole = fileWith(() => undefined);
    expect(importError(whole.slice(0, 1000), 'cut.run.json')).toMatch(/^cut\.run\.json is not a run export: it is not valid JSON \(.+\): the text stops after 1,000 characters, so the file may be cut short\.$/);
    // Cut short is read from the text (inside a string, an escape, an array), so that each browser's parser says it, in its own words.
    const stops = (content: string, message: string): boolean => notJson(content, new SyntaxError(message)).endsWith('so the file may be cut short');
    for (const cut of ['{"format": "playgr', '{"name": "a \\"b\\', '{"a": [1, 2', '{"a": {"b": "}"']) {
      expect(stops(cut, "Expected ',' or '}' after property value in JSON")).toBe(true);
      expect(stops(cut, `JSON.parse: end of data while reading object contents at line 1 column ${cut.length + 1} of the JSON data`)).toBe(true);
      expect(stops(cut, "JSON Parse error: Expected '}'")).toBe(true);
    }
    // Not where the parser places the fault before the end (an unescaped quote), nor text that is not JSON at all, nor JSON that ends whole.
    expect(stops('{"name": "5" inch"}', "Expected ',' or '}' after property value in JSON at position 13")).toBe(false);
    expect(stops('{"name": "5" inch"}', "JSON.parse: expected ',' or '}' after property value in object at line 1 column 14 of the JSON data")).toBe(false);
    expect(stops('He said "hi', 'Unexpected token H')).toBe(false);
    expect(importError('{"a": 1} x', 'extra.json')).not.toMatch(/cut short/);
    // A character that was not UTF-8, inside text, is not a binary file.
    expect(importError('{"name": "caf\ufffd", ', 'name.json')).toMatch(/^name\.json is not a run export: it is not valid JSON \(.+\): the text stops after 17 characters/);
  });

  it('refuses JSON that is not a run export, and says when it is a bare model.json', () => {
    expect(importError('{}', 'other.json')).toBe(`other.json is not a run export of this playground (it has no "format": "${RUN_FILE_FORMAT}").`);
    expect(importError(JSON.stringify(files.modelJson), 'model.json')).toMatch(/^model\.json is not a run export .* It looks like a tfjs model\.json alone; import the \.run\.json file that Export made\.$/);
  });

  it('refuses another version of the format', () => {
    expect(importError(fileWith((f) => (f.version = 2)))).toBe('my.run.json is a run export of version 2; this playground reads version 1. It may come from a newer version of the page.');
  });

  it('refuses a file without its model or its weights, or with weights cut short or damaged', () => {
    expect(importError(fileWith((f) => delete f.model))).toBe('my.run.json cannot be imported: the model is missing: the file has no "model" (its model.json).');
    expect(importError(fileWith((f) => delete f.weights))).toBe('my.run.json cannot be imported: the model\'s weights are missing: the file has no "weights" (its weights.bin).');
    expect(importError(fileWith((f) => (f.weights = bytesToBase64(new Uint8Array(32)))))).toBe(
      "my.run.json cannot be imported: the model's weights are incomplete: the model needs 36 bytes of weights, the file holds 32.",
    );
    expect(importError(fileWith((f) => (f.weights = bytesToBase64(new Uint8Array(40)))))).toBe(
      "my.run.json cannot be imported: the model's weights are more than the model has: the model needs 36 bytes of weights, the file holds 40.",
    );
    expect(importError(fileWith((f) => (f.weights = '%%%')))).toBe('my.run.json cannot be imported: the model\'s weights are damaged: "weights" is not base64 text.');
  });

  it('refuses weights that are not finite numbers, naming the weight, the value and its byte', () => {
    const withWeights = (values: number[]): string => fileWith((f) => (f.weights = bytesToBase64(new Uint8Array(Float32Array.from(values).buffer))));
    expect(importError(withWeights([1, 2, 3, 4, 5, 6, 0.5, Number.NaN, 0]))).toBe(
      'my.run.json cannot be imported: the model\'s weights are damaged: value 1 of "dense/bias" (byte 28 of its weights.bin) is NaN, where a trained model has a finite number.',
    );
    expect(importError(withWeights([1, Number.NEGATIVE_INFINITY, 3, 4, 5, 6, 0.5, -0.5, 0]))).toMatch(/value 1 of "dense\/kernel" \(byte 4 of its weights\.bin\) is -Infinity/);
  });

  it('refuses a run stopped before it trained, which this browser would not keep', () => {
    const untrained: SavedRun = { ...saved(), status: 'stopped', epochs: [], batches: [], evaluation: null };
    expect(() => parseRunFile(runFileText(untrained, files, new Date()), 'early.run.json')).toThrow(
      'early.run.json cannot be imported: run.epochs is empty and run.evaluation null: a run stopped before it trained has nothing to show.',
    );
  });

  it('names the first wrong field of the run', () => {
    expect(importError(fileWith((f) => ((f.run.epochs as Record<string, unknown>[]).forEach((epoch) => (epoch.loss = 'low')))))).toBe('my.run.json cannot be imported: run.epochs[0].loss should be a number, but it is "low".');
    expect(importError(fileWith((f) => (f.run.status = 'running')))).toBe('my.run.json cannot be imported: run.status should be "finished" or "stopped", but it is "running".');
    expect(importError(fileWith((f) => delete f.run.classNames))).toBe('my.run.json cannot be imported: run.classNames should be a list, but it is missing.');
    expect(importError(fileWith((f) => ((f.run.evaluation as Record<string, unknown>).confusion = [[1]])))).toBe(
      'my.run.json cannot be imported: run.evaluation.confusion should be 3×3, one row and column per class.',
    );
  });

  it('checks that the evaluation agrees with itself and with the run\'s classes', () => {
    const withEvaluation = (change: Record<string, unknown>): string => importError(fileWith((f) => Object.assign(f.run.evaluation as Record<string, unknown>, change)));
    const prefix = 'my.run.json cannot be imported: run.evaluation';
    expect(withEvaluation({ count: 5 })).toBe(`${prefix}.confusion should count the 5 evaluated test images, but its cells add up to 4.`);
    expect(withEvaluation({ perClass: [] })).toBe(`${prefix}.perClass should have one entry per class (3), but it has 0.`);
    expect(withEvaluation({ predictions: [0, 1, 3, 2] })).toBe(`${prefix}.predictions[2] should be a class from 0 to 2, but it is 3.`);
    expect(withEvaluation({ predictions: [0, 1, 2] })).toBe(`${prefix}.predictions should have one class per evaluated test image (4), but it has 3.`);
    expect(withEvaluation({ sampleIndices: [0, 4] })).toBe(`${prefix}.sampleIndices[1] should be a test image from 0 to 3, but it is 4.`);
    expect(withEvaluation({ mistakeProbabilities: [0.5, 0.5] })).toBe(`${prefix}.mistakeProbabilities should hold 3 per image, 3 in all, but it has 2.`);
    expect(withEvaluation({ seconds: 'fast' })).toBe(`${prefix}.seconds should be a number, but it is "fast".`);
    expect(withEvaluation({ seconds: -16 })).toBe(`${prefix}.seconds should be a number of seconds, 0 or more, but it is -16.`);
  });

  it('refuses figures no run can have, which Compare would rank as best: rates outside 0-1, negative losses, times and speeds', () => {
    const withEvaluation = (change: Record<string, unknown>): string => importError(fileWith((f) => Object.assign(f.run.evaluation as Record<string, unknown>, change)));
    const withEpoch = (change: Record<string, unknown>): string => importError(fileWith((f) => Object.assign((f.run.epochs as Record<string, unknown>[])[0] ?? {}, change)));
    const prefix = 'my.run.json cannot be imported: run';
    expect(withEvaluation({ accuracy: 1.7 })).toMatch(new RegExp(`^${prefix}\\.evaluation\\.accuracy should be the confusion matrix's \\d+ right of 4 \\(.+\\), but it is 1\\.7\\.$`));
    expect(withEvaluation({ loss: -5 })).toBe(`${prefix}.evaluation.loss should be a loss, 0 or more, but it is -5.`);
    expect(withEvaluation({ perClass: [{ precision: 5, recall: 1, f1: 1, support: 1 }, ...[1, 2].map(() => ({ precision: 1, recall: 1, f1: 1, support: 1 }))] })).toBe(
      `${prefix}.evaluation.perClass[0].precision should be a fraction from 0 to 1, but it is 5.`,
    );
    expect(withEpoch({ valAccuracy: 3 })).toBe(`${prefix}.epochs[0].valAccuracy should be a fraction from 0 to 1, but it is 3.`);
    expect(withEpoch({ accuracy: -0.1 })).toBe(`${prefix}.epochs[0].accuracy should be a fraction from 0 to 1, but it is -0.1.`);
    expect(withEpoch({ valLoss: -1 })).toBe(`${prefix}.epochs[0].valLoss should be a loss, 0 or more, but it is -1.`);
    expect(withEpoch({ seconds: -3 })).toBe(`${prefix}.epochs[0].seconds should be a number of seconds, 0 or more, but it is -3.`);
    expect(withEpoch({ samplesPerSecond: -100 })).toBe(`${prefix}.epochs[0].samplesPerSecond should be a number, 0 or more, but it is -100.`);
    expect(withEpoch({ epoch: 2 })).toBe(`${prefix}.epochs[0].epoch should be 1 (the epochs in order, from 1), but it is 2.`);
    expect(importError(fileWith((f) => ((f.run.batches as Record<string, unknown>[])[0] ?? {}).accuracy = 2))).toBe(`${prefix}.batches[0].accuracy should be a fraction from 0 to 1, but it is 2.`);
    expect(importError(fileWith((f) => (f.run.trainCount = 50_000)))).toMatch(new RegExp(`^${prefix}\\.batchesPerEpoch should be \\d+, its 50000 training images in batches of \\d+, but it is \\d+\\.$`));
  });

  it("keeps the test pass's time, and reads a run from before it was kept without one", () => {
    const timed: SavedRun = { ...saved(), evaluation: run.evaluation && { ...run.evaluation, seconds: 1.25 } };
    expect(parseRunFile(runFileText(timed, files, new Date()), 'a.run.json').run.evaluation?.seconds).toBe(1.25);
    expect(parseRunFile(runFileText(saved(), files, new Date()), 'a.run.json').run.evaluation).not.toHaveProperty('seconds');
  });

  it('checks the model spec as a share link would, naming the field', () => {
    expect(importError(fileWith((f) => ((f.run.spec as { fit: Record<string, unknown> }).fit.epochs = 0)))).toBe(
      'my.run.json cannot be imported: run.spec.fit.epochs should be a whole number from 1 to 1000, but it is 0.',
    );
  });

  it('refuses weights of a kind it does not read', () => {
    const quantized = fileWith((f) => {
      const model = f.model as { weightsManifest: { weights: Record<string, unknown>[] }[] };
      const [first] = model.weightsManifest[0]?.weights ?? [];
      if (first) first.dtype = 'string';
    });
    expect(importError(quantized)).toBe('my.run.json cannot be imported: model.weightsManifest[0].weights[0].dtype should be float32, int32 or bool, but it is "string".');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assembleDataset } from '../data/dataset';
import { encodeIdx, parseIdx } from '../data/idx';
import { PRESETS } from '../training/presets';
import { shareUrl } from '../training/specUrl';
import type { WorkerCommand } from '../training/protocol';
import type { ModelSpec } from '../training/spec';

/** What the worker was told, in order; it never answers by itself here. */
const sent: WorkerCommand[] = [];
vi.mock('./worker', () => ({
  connectWorker: () => undefined,
  sendToWorker: (command: WorkerCommand) => sent.push(command),
}));
/** The address bar: `history.replaceState` changes it, as a browser's does. */
const location = { href: 'http://localhost/', hash: '', pathname: '/', search: '' };
const history = {
  state: null,
  replaceState: (_state: unknown, _title: string, url: string) => {
    const { href, hash, pathname, search } = new URL(url, location.href);
    Object.assign(location, { href, hash, pathname, search });
  },
};
vi.stubGlobal('window', { location, history, addEventListener: () => undefined });
/** The page's localStorage, as a browser keeps it. */
const remembered = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (key: string) => remembered.get(key) ?? null,
  setItem: (key: string, value: string) => void remembered.set(key, value),
  removeItem: (key: string) => void remembered.delete(key),
});

const { selectAnnouncement, useAppStore } = await import('./index');
const { DATASET_MEASURE } = await import('./measures');
const { KEEP_DATASETS_KEY, rememberedDataset, selectActiveDataset } = await import('./datasetSlice');
const { sharedModelProblems } = await import('./compareSlice');
const { DOUBLE_CLICK_MS, draftName, lastRunNumber, rememberedDraft } = await import('./runsSlice');
const initial = useAppStore.getState();
const state = () => useAppStore.getState();

const file = (name: string, dims: number[], data: Uint8Array) => ({ name, idx: parseIdx(encodeIdx(dims, data), name, dims.length) });
/** A 2-image dataset of 2 × 2 pixels, as the worker would send it. */
const tiny = (id: string) =>
  assembleDataset(id, 'Tiny', {
    trainImages: file('train-images', [2, 2, 2], new Uint8Array(8)),
    trainLabels: file('train-labels', [2], Uint8Array.from([0, 1])),
    testImages: file('test-images', [2, 2, 2], new Uint8Array(8)),
    testLabels: file('test-labels', [2], Uint8Array.from([1, 0])),
  });

/** The request id of the last load the page asked the worker for. */
function lastLoad(): number {
  const loads = sent.filter((c): c is Extract<WorkerCommand, { type: 'loadDataset' }> => c.type === 'loadDataset');
  const last = loads.at(-1);
  if (!last) throw new Error('no load was asked for');
  return last.requestId;
}

beforeEach(() => {
  useAppStore.setState(initial, true);
  sent.length = 0;
  remembered.clear();
  performance.clearMeasures(DATASET_MEASURE);
});
afterEach(() => performance.clearMeasures(DATASET_MEASURE));

describe('dataset load measures', () => {
  it('time each load from asking to the page holding the arrays, naming the dataset and where it came from', () => {
    state().selectDataset('fashion-mnist');
    const requestId = lastLoad();
    expect(performance.getEntriesByName(DATASET_MEASURE, 'measure')).toHaveLength(0);
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId, dataset: tiny('fashion-mnist'), seconds: 0.25, fromBrowserCopy: true });
    const measures = performance.getEntriesByName(DATASET_MEASURE, 'measure') as PerformanceMeasure[];
    expect(measures).toHaveLength(1);
    expect(measures[0]?.detail).toEqual({ id: 'fashion-mnist', fromBrowserCopy: true, workerSeconds: 0.25 });
    expect(measures[0]?.duration).toBeGreaterThanOrEqual(0);
    expect(state().datasets['fashion-mnist']?.status).toBe('ready');
  });

  it('are not made for a load that failed, nor for an answer to a load the page never asked for', () => {
    state().selectDataset('fashion-mnist');
    state().handleDatasetEvent({ type: 'datasetFailed', requestId: lastLoad(), error: { kind: 'http-error', file: 'train-images-idx3-ubyte.gz', expected: 'HTTP 200 OK', found: 'HTTP 404', message: 'HTTP 404' } });
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: 9999, dataset: tiny('mnist'), seconds: 0.1, fromBrowserCopy: false });
    expect(performance.getEntriesByName(DATASET_MEASURE, 'measure')).toHaveLength(0);
  });
});

describe('download progress', () => {
  it('takes every file of one message, and a later message moves only the files it names', () => {
    state().selectDataset('fashion-mnist');
    const requestId = lastLoad();
    state().handleDatasetEvent({
      type: 'datasetProgress',
      requestId,
      progress: [
        { file: 'train-images', received: 100, total: 1000 },
        { file: 'train-labels', received: 30, total: 30 },
      ],
    });
    state().handleDatasetEvent({ type: 'datasetProgress', requestId, progress: [{ file: 'train-images', received: 400, total: 1000 }] });
    expect(state().datasets['fashion-mnist']?.progress).toEqual({
      'train-images': { file: 'train-images', received: 400, total: 1000 },
      'train-labels': { file: 'train-labels', received: 30, total: 30 },
    });
  });
});

describe('keeping datasets in this browser', () => {
  const keepCommands = () => sent.filter((c) => c.type === 'keepDatasets');
  const mnistKept = { datasetIds: ['mnist' as const], bytes: 54_950_048 };

  it('is on until turned off; off tells the worker and is remembered for the next visit, on forgets that', () => {
    expect(state().keepDatasets).toBe(true);
    state().setKeepDatasets(false);
    expect(state().keepDatasets).toBe(false);
    expect(keepCommands()).toEqual([{ type: 'keepDatasets', keep: false }]);
    expect(remembered.get(KEEP_DATASETS_KEY)).toBe('off');
    state().setKeepDatasets(true);
    expect(keepCommands().at(-1)).toEqual({ type: 'keepDatasets', keep: true });
    expect(remembered.has(KEEP_DATASETS_KEY)).toBe(false);
  });

  it('starts off on a page whose last visit turned it off', async () => {
    remembered.set(KEEP_DATASETS_KEY, 'off');
    vi.resetModules();
    const { useAppStore: fresh } = await import('./index');
    expect(fresh.getState().keepDatasets).toBe(false);
  });

  it('holds what the worker says is kept', () => {
    expect(state().keptDatasets).toBeNull();
    state().handleDatasetEvent({ type: 'keptDatasets', kept: mnistKept, available: true, error: null });
    expect(state().keptDatasets).toEqual({ kept: mnistKept, available: true, error: null });
  });

  it('announces what could not be kept or removed', () => {
    state().handleDatasetEvent({ type: 'keptDatasets', kept: mnistKept, available: true, error: '1 of 4 kept files could not be removed' });
    expect(selectAnnouncement(state())).toBe('Could not change what this browser keeps: 1 of 4 kept files could not be removed');
  });

  it('tells a worker started after a crash the setting before anything else', () => {
    state().setKeepDatasets(false);
    sent.length = 0;
    state().selectDataset('fashion-mnist');
    sent.length = 0;
    state().resendDatasets();
    expect(sent[0]).toEqual({ type: 'keepDatasets', keep: false });
    // Then the loads still unanswered (earlier tests here leave some), this one among them.
    expect(sent.slice(1).map((c) => c.type)).not.toContain('keepDatasets');
    expect(sent.slice(1).some((c) => c.type === 'loadDataset' && c.source.kind === 'builtin' && c.source.id === 'fashion-mnist')).toBe(true);
  });
});

describe('Train', () => {
  it('clicked twice in a row on the same model starts one run; on an edited model, later, or once that run failed, another', async () => {
    state().selectDataset('mnist');
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: lastLoad(), dataset: tiny('mnist'), seconds: 0.1, fromBrowserCopy: false });
    const trains = () => sent.filter((c) => c.type === 'train').length;
    state().startTraining();
    state().startTraining();
    expect(trains()).toBe(1);
    state().setDraft({ ...state().draft, fit: { ...state().draft.fit, epochs: 2 } });
    state().startTraining();
    expect(trains()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, DOUBLE_CLICK_MS + 20));
    state().startTraining();
    expect(trains()).toBe(3);
    // A run that has already failed (the engine did not download) does not swallow the next click.
    state().failActiveRuns('the training worker crashed');
    state().startTraining();
    expect(trains()).toBe(4);
  });
});

describe('a user dataset', () => {
  /** The source of the last load asked for. */
  const lastSource = () => sent.filter((c): c is Extract<WorkerCommand, { type: 'loadDataset' }> => c.type === 'loadDataset').at(-1)?.source;

  it('is numbered after the ones before it, and after those that shown runs were trained on', () => {
    state().addUserDataset([]);
    const first = lastSource();
    state().addUserDataset([]);
    const second = lastSource();
    if (first?.kind !== 'files' || second?.kind !== 'files') throw new Error('no user dataset was asked for');
    expect(Number(second.name.replace('Your dataset ', ''))).toBe(Number(first.name.replace('Your dataset ', '')) + 1);
    // A run saved on an earlier visit, on that visit's "Your dataset 41".
    const restored = { ...state().runs, old: { id: 'old', datasetId: 'custom-0123456789abcdef', datasetName: 'Your dataset 41' } } as unknown as ReturnType<typeof state>['runs'];
    useAppStore.setState({ runs: restored });
    state().addUserDataset([]);
    const third = lastSource();
    if (third?.kind !== 'files') throw new Error('no user dataset was asked for');
    expect(third.name).toBe('Your dataset 42');
    // The worker is told that name, in case these files are that dataset again.
    expect(third.knownNames).toEqual({ 'custom-0123456789abcdef': 'Your dataset 41' });
  });

  it("takes the id the worker gave its content, and gives its number back when it is a dataset the page knew", () => {
    state().addUserDataset([]);
    const asked = lastSource();
    if (asked?.kind !== 'files') throw new Error('no user dataset was asked for');
    // The worker found the files to be a dataset a run was trained on: its id and name are that run's.
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: lastLoad(), dataset: { ...tiny('custom-0123456789abcdef'), name: 'Your dataset 7' }, seconds: 0.1, fromBrowserCopy: false });
    expect(state().activeDatasetId).toBe('custom-0123456789abcdef');
    expect(state().datasets['custom-0123456789abcdef']?.name).toBe('Your dataset 7');
    expect(state().userDatasetLoading).toBe(false);
    state().addUserDataset([]);
    const next = lastSource();
    if (next?.kind !== 'files') throw new Error('no user dataset was asked for');
    expect(next.name).toBe(asked.name);
    expect(next.knownNames).toEqual({ 'custom-0123456789abcdef': 'Your dataset 7' });
  });

  it('keeps the first name when the same files are loaded twice at once', () => {
    const ask = () => {
      state().addUserDataset([]);
      const source = lastSource();
      if (source?.kind !== 'files') throw new Error('no user dataset was asked for');
      return { requestId: lastLoad(), name: source.name };
    };
    const loaded = ({ requestId, name }: { requestId: number; name: string }) =>
      state().handleDatasetEvent({ type: 'datasetLoaded', requestId, dataset: { ...tiny('custom-00000000000000aa'), name }, seconds: 0.1, fromBrowserCopy: false });
    const first = ask();
    const second = ask();
    loaded(first);
    loaded(second);
    expect(state().datasets['custom-00000000000000aa']?.name).toBe(first.name);
    expect(state().activeDatasetId).toBe('custom-00000000000000aa');
    // The second number was not used: the next files take it.
    expect(ask().name).toBe(second.name);
  });

  it('gives the number of files that failed to load to the next ones, and drops their error once another dataset is chosen', () => {
    state().addUserDataset([]);
    const failed = lastSource();
    const request = sent.filter((c): c is Extract<WorkerCommand, { type: 'loadDataset' }> => c.type === 'loadDataset').at(-1)?.requestId ?? -1;
    state().handleDatasetEvent({ type: 'datasetFailed', requestId: request, error: { kind: 'bad-magic', file: 'x', expected: 'an IDX file', found: 'text', message: 'x is not an IDX file' } });
    expect(state().userDatasetError?.kind).toBe('bad-magic');
    // Choosing another dataset puts the error behind: it no longer stands under the drop zone.
    state().selectDataset('fashion-mnist');
    expect(state().userDatasetError).toBeNull();
    state().addUserDataset([]);
    const next = lastSource();
    if (failed?.kind !== 'files' || next?.kind !== 'files') throw new Error('no user dataset was asked for');
    expect(next.name).toBe(failed.name);
  });
});

describe('the next visit', () => {
  it('opens on the built-in dataset in use last: once it has loaded, not when a load that fails is asked for', () => {
    expect(rememberedDataset()).toBeNull();
    state().selectDataset('fashion-mnist');
    expect(rememberedDataset()).toBeNull();
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: lastLoad(), dataset: tiny('fashion-mnist'), seconds: 0.1, fromBrowserCopy: false });
    expect(rememberedDataset()).toBe('fashion-mnist');
    state().selectDataset('mnist');
    const failed = { kind: 'network-error' as const, file: 'train-images-idx3-ubyte.gz', expected: 'a response', found: 'none', message: 'offline' };
    state().handleDatasetEvent({ type: 'datasetFailed', requestId: lastLoad(), error: failed });
    expect(rememberedDataset()).toBe('fashion-mnist');
    remembered.set('playground.dataset', 'custom-1');
    expect(rememberedDataset()).toBeNull();
  });

  it('falls back to MNIST when the dataset it opened on fails to load', () => {
    state().selectDataset('fashion-mnist');
    const failed = { kind: 'network-error' as const, file: 'train-images-idx3-ubyte.gz', expected: 'a response', found: 'none', message: 'offline' };
    state().handleDatasetEvent({ type: 'datasetFailed', requestId: lastLoad(), error: failed });
    const loads = sent.filter((c): c is Extract<WorkerCommand, { type: 'loadDataset' }> => c.type === 'loadDataset');
    expect(loads.map((c) => c.source.kind === 'builtin' && c.source.id)).toEqual(['fashion-mnist', 'mnist']);
    expect(state().pendingDatasetId).toBe('mnist');
  });

  it('gets back the model being edited, its preset and whether it was edited; not one with an empty field, nor a damaged one', () => {
    expect(rememberedDraft()).toBeNull();
    state().loadPreset('fashionCnn');
    expect(rememberedDraft()).toEqual({ draft: state().draft, draftPresetId: 'fashionCnn', draftModified: false });
    const edited = { ...state().draft, fit: { ...state().draft.fit, epochs: 3 } };
    state().setDraft(edited);
    expect(rememberedDraft()).toEqual({ draft: edited, draftPresetId: 'fashionCnn', draftModified: true });
    // A field emptied while typing: the last model that was one stays remembered.
    state().setDraft({ ...edited, fit: { ...edited.fit, epochs: Number.NaN } });
    expect(rememberedDraft()?.draft).toEqual(edited);
    remembered.set('playground.draft', '{"spec":{"layers":"flatten"');
    expect(rememberedDraft()).toBeNull();
    remembered.set('playground.draft', JSON.stringify({ spec: edited, presetId: 'gone', modified: true }));
    expect(rememberedDraft()).toEqual({ draft: edited, draftPresetId: null, draftModified: false });
    // An unedited preset comes back as this version defines it, not as it was stored.
    remembered.set('playground.draft', JSON.stringify({ spec: edited, presetId: 'fashionCnn', modified: false }));
    expect(rememberedDraft()).toEqual({ draft: PRESETS.fashionCnn.spec, draftPresetId: 'fashionCnn', draftModified: false });
  });
});

describe('run numbers', () => {
  it('follow the highest number of the runs restored or imported, not how many there are', () => {
    // #2 was deleted: the next run is #4, not a second #3.
    expect(lastRunNumber(0, ['Linear classifier #1', 'TensorFlow quickstart (epochs 2) #3'])).toBe(3);
    expect(lastRunNumber(5, ['Imported #2'])).toBe(5);
    expect(lastRunNumber(5, ['From another browser #40'])).toBe(40);
    // A run renamed without a number still takes one.
    expect(lastRunNumber(3, ['my best model', 'Fashion CNN #2'])).toBe(4);
    expect(lastRunNumber(3, [])).toBe(3);
  });
});

describe("the draft's name, which its runs take", () => {
  const withFit = (fit: Partial<typeof PRESETS.quickstart.spec.fit>) => ({ ...state().draft, fit: { ...state().draft.fit, ...fit } });

  it('is the preset title while unedited, and says what changed once edited', () => {
    state().loadPreset('quickstart');
    expect(draftName(state())).toBe('TensorFlow quickstart');
    state().setDraft(withFit({ epochs: 10 }));
    expect(draftName(state())).toBe('TensorFlow quickstart (epochs 10)');
    expect(state().draftModified).toBe(true);
    const [flatten, hidden, output] = state().draft.layers;
    if (!flatten || !hidden || !output) throw new Error('the quickstart has three layers');
    state().setDraft({ ...state().draft, layers: [flatten, hidden, { type: 'dropout', rate: 0.2 }, output] });
    expect(draftName(state())).toBe('TensorFlow quickstart (+Dropout(0.2), epochs 10)');
  });

  it('lists the changes that fit and counts the rest when listing them all would make a long name', () => {
    state().loadPreset('quickstart');
    state().setDraft(withFit({ epochs: 2, trainLimit: 2000 }));
    expect(draftName(state())).toBe('TensorFlow quickstart (epochs 2, training subset 2000)');
    state().loadPreset('quickstart');
    state().setDraft(withFit({ epochs: 10, batchSize: 128, validationSplit: 0.2 }));
    expect(draftName(state())).toBe('TensorFlow quickstart (epochs 10, batch 128, 1 more change)');
    // Two sessions' edits with three changes each no longer share one name.
    state().setDraft(withFit({ epochs: 3, batchSize: 128, validationSplit: 0.2 }));
    expect(draftName(state())).toBe('TensorFlow quickstart (epochs 3, batch 128, 1 more change)');
    state().setDraft(withFit({ epochs: 3, batchSize: 128, validationSplit: 0.2, trainLimit: 5000 }));
    expect(draftName(state())).toBe('TensorFlow quickstart (epochs 3, batch 128, 2 more changes)');
  });

  it('names the first change even when it alone is long', () => {
    state().loadPreset('quickstart');
    const earlyStopping = { monitor: 'val_accuracy', minDelta: 0, patience: 12, restoreBestWeights: true } as const;
    state().setDraft(withFit({ earlyStopping }));
    expect(draftName(state())).toBe('TensorFlow quickstart (early stopping val_accuracy, patience 12, best weights)');
    state().setDraft(withFit({ earlyStopping, shuffle: false }));
    expect(draftName(state())).toBe('TensorFlow quickstart (shuffle false, 1 more change)');
  });

  it('keeps an edited model the preset menu replaces, to bring back, until the model in the builder is edited', () => {
    state().loadPreset('quickstart');
    state().setDraft(withFit({ epochs: 10 }));
    const edited = state().draft;
    state().keepDraftBeforeReplacing();
    state().loadPreset('mlpDropout');
    // Stepping on through an unedited preset keeps the edited model, not the preset it passed.
    state().keepDraftBeforeReplacing();
    state().loadPreset('dlwpCh2');
    expect(state().replacedDraft?.name).toBe('TensorFlow quickstart (epochs 10)');
    state().bringBackReplacedDraft();
    expect(state().draft).toEqual(edited);
    expect(draftName(state())).toBe('TensorFlow quickstart (epochs 10)');
    expect(state().replacedDraft).toBeNull();
    // An unedited preset replaced is not kept; an edit of the new model lets the old one go.
    state().loadPreset('quickstart');
    state().keepDraftBeforeReplacing();
    expect(state().replacedDraft).toBeNull();
    state().setDraft(withFit({ epochs: 3 }));
    state().keepDraftBeforeReplacing();
    state().loadPreset('dlwpCh2');
    expect(state().replacedDraft).not.toBeNull();
    state().setDraft(withFit({ epochs: 4 }));
    expect(state().replacedDraft).toBeNull();
  });

  it('is the preset again, unmodified, once an edit is taken back', () => {
    state().loadPreset('quickstart');
    state().setDraft(withFit({ epochs: 10 }));
    state().setDraft(withFit({ epochs: 5 }));
    expect(state().draftModified).toBe(false);
    expect(draftName(state())).toBe('TensorFlow quickstart');
  });

  it('is "Custom model" for a model of one\'s own', () => {
    state().openDraft(PRESETS.quickstart.spec, null);
    expect(draftName(state())).toBe('Custom model');
  });
});

/** `spec` with its last layer a Dense of `units`. */
const endingWith = (spec: ModelSpec, units: number): ModelSpec => ({ ...spec, layers: [...spec.layers.slice(0, -1), { type: 'dense', units, activation: 'linear', useBias: true }] });

describe("a run's model, opened in the builder", () => {
  it('is in the builder as the run had it, its dataset in use, and the model it replaced can come back', () => {
    state().selectDataset('mnist');
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: lastLoad(), dataset: tiny('mnist'), seconds: 0.1, fromBrowserCopy: false });
    state().loadPreset('quickstart');
    state().setDraft({ ...endingWith(state().draft, 2), fit: { ...state().draft.fit, epochs: 3 } });
    state().startTraining();
    const id = state().currentRunId ?? '';
    const trained = state().draft;
    // Another model in the builder, edited, and another dataset in use.
    state().loadPreset('fashionCnn');
    state().setDraft({ ...state().draft, fit: { ...state().draft.fit, epochs: 4 } });
    state().selectDataset('fashion-mnist');
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: lastLoad(), dataset: tiny('fashion-mnist'), seconds: 0.1, fromBrowserCopy: false });

    state().openRunInBuilder(id);
    expect(state().draft).toEqual(trained);
    expect(draftName(state())).toBe('TensorFlow quickstart (Dense 2, epochs 3)');
    expect(state().activeDatasetId).toBe('mnist');
    expect(selectAnnouncement(state())).toMatch(/^TensorFlow quickstart \(Dense 2, epochs 3\) #\d+'s model is in the builder, and Tiny is in use\. The model the builder held comes back with "Bring it back"/);
    state().bringBackReplacedDraft();
    expect(draftName(state())).toBe('Fashion CNN (epochs 4)');
  });
});

describe('run names', () => {
  it('stay apart: a new run skips a number whose name a renamed run took, and no run takes the name of one held for Undo', () => {
    state().selectDataset('mnist');
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: lastLoad(), dataset: tiny('mnist'), seconds: 0.1, fromBrowserCopy: false });
    state().loadPreset('quickstart');
    state().setDraft(endingWith(state().draft, 2));
    state().startTraining();
    const first = state().currentRunId ?? '';
    const number = Number(state().runs[first]?.name.split('#')[1]);
    // Renamed to what the next run, of 3 epochs, would be called.
    const taken = `TensorFlow quickstart (Dense 2, epochs 3) #${number + 1}`;
    state().renameRun(first, taken);
    expect(state().runs[first]?.name).toBe(taken);
    state().setDraft({ ...state().draft, fit: { ...state().draft.fit, epochs: 3 } });
    state().startTraining();
    const second = state().currentRunId ?? '';
    const held = `TensorFlow quickstart (Dense 2, epochs 3) #${number + 2}`;
    expect(state().runs[second]?.name).toBe(held);
    state().stopRun(first);
    state().stopRun(second);
    state().deleteRun(second);
    state().renameRun(first, held);
    expect(state().runs[first]?.name).toBe(taken);
    expect(selectAnnouncement(state())).toBe(`Another run is named ${held}: ${taken} keeps its name.`);
  });
});

describe('a link to runs', () => {
  it("keeps each run's number in the visitor's banner, and the visitor's runs of them take numbers of their own", async () => {
    state().selectDataset('mnist');
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: lastLoad(), dataset: tiny('mnist'), seconds: 0.1, fromBrowserCopy: false });
    state().loadPreset('quickstart');
    // Trained here, so trainable: an output per class of the tiny dataset.
    state().setDraft(endingWith(state().draft, 2));
    const ids = [2, 3].map((epochs) => {
      state().setDraft({ ...state().draft, fit: { ...state().draft.fit, epochs } });
      state().startTraining();
      return state().currentRunId ?? '';
    });
    const names = ids.map((id) => state().runs[id]?.name ?? '');
    expect(names[0]).toMatch(/^TensorFlow quickstart \(Dense 2, epochs 2\) #\d+$/);
    expect(names[1]).toMatch(/^TensorFlow quickstart \(Dense 2, epochs 3\) #\d+$/);

    const link = await state().linkToRuns(ids);
    await state().openShareLink(new URL(link ?? '').hash);
    const incoming = state().incomingShare;
    expect(incoming?.kind === 'ok' && incoming.share.runs.map((model) => model.name)).toEqual(names);
    history.replaceState(null, '', `/${new URL(link ?? '').hash}`);
    state().queueSharedModels();
    // Queued once: the banner and the link's fragment are gone, so a reload offers nothing again.
    expect(state().incomingShare).toBeNull();
    expect(location.hash).toBe('');
    const queued = state().runOrder.slice(-2).map((id) => state().runs[id]?.name ?? '');
    const number = (name: string) => Number(name.split('#')[1]);
    expect(queued.map((name) => name.replace(/ #\d+$/, ''))).toEqual(['TensorFlow quickstart (Dense 2, epochs 2)', 'TensorFlow quickstart (Dense 2, epochs 3)']);
    expect(queued.map(number)).toEqual([number(names[1] ?? '') + 1, number(names[1] ?? '') + 2]);
    // Announced by the names they have here, not by the sharer's numbers.
    expect(selectAnnouncement(state())).toBe(`${queued.join(', ')} are queued: they train one after another.`);

    // Opened in the builder, a shared edit of a preset is that preset, modified, and named as before.
    await state().openShareLink(new URL(link ?? '').hash);
    state().loadPreset('fashionCnn');
    state().editSharedModel(0);
    expect(state().draftPresetId).toBe('quickstart');
    expect(state().draftModified).toBe(true);
    expect(draftName(state())).toBe('TensorFlow quickstart (Dense 2, epochs 2)');

    // Dismissed, the banner goes, and the link's fragment with it.
    history.replaceState(null, '', `/${new URL(link ?? '').hash}`);
    state().dismissShare();
    expect(state().incomingShare).toBeNull();
    expect(location.hash).toBe('');
  });

  it('queues only the models the builder would train, and says why of the others', async () => {
    state().selectDataset('mnist');
    state().handleDatasetEvent({ type: 'datasetLoaded', requestId: lastLoad(), dataset: tiny('mnist'), seconds: 0.1, fromBrowserCopy: false });
    const good = endingWith(PRESETS.quickstart.spec, 2);
    // A last Dense(3) on the tiny dataset's 2 classes: a link can hold it, the builder refuses it.
    const bad = endingWith(PRESETS.quickstart.spec, 3);
    const hash = new URL(await shareUrl('https://example.test/', { dataset: 'mnist', runs: [{ name: 'Bad', spec: bad }, { name: 'Good', spec: good }] })).hash;
    await state().openShareLink(hash);
    const incoming = state().incomingShare;
    if (incoming?.kind !== 'ok') throw new Error('the link did not open');
    const problems = sharedModelProblems(incoming.share, selectActiveDataset(state()));
    expect(problems[0]).toMatch(/must end with 2 outputs/);
    expect(problems[1]).toBeNull();
    const before = state().runOrder.length;
    state().queueSharedModels();
    expect(state().runOrder.slice(before).map((id) => state().runs[id]?.name.replace(/ #\d+$/, ''))).toEqual(['Good']);
  });
});

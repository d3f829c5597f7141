/**
 * The training worker's entry: it only wires messages to the pure modules. Datasets are
 * loaded here (so the page never parses bytes), and the tfjs engine is imported lazily, once
 * a dataset is in, so that loading is not held up by tfjs's start-up. All of the app's tfjs
 * work runs in this worker, never on the main thread.
 */
import type { Dataset } from '../data/dataset';
import { DataError, messageOf } from '../data/errors';
import { browserShelf, builtinFilesOf, DatasetKeeper, tabNeighbours, type FileShelf } from '../data/browserCopy';
import { loadBuiltinDataset, loadUserDataset, throttleProgress, type BuiltinLoad, type ProgressListener } from '../data/load';
import { datasetForPage, datasetTransferables, type DatasetSource, type SavedModelRef, type WorkerCommand, type WorkerEvent } from './protocol';
import type { Trainer } from './trainer';
import { WASM_FILES } from './wasmFiles';

interface WorkerScope {
  postMessage(message: WorkerEvent, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerCommand>) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}

const scope = self as unknown as WorkerScope;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

/** Datasets loaded so far, handed to the engine when it starts. */
const datasets = new Map<string, Dataset>();
/** Runs saved before a reload, likewise: restoring them does not start the engine. */
const savedRuns: SavedModelRef[] = [];
let engine: Promise<Trainer> | null = null;

/** Names what failed when tfjs's chunks do not download (a dropped connection), instead of the bare module URL. */
function engineDidNotLoad(error: unknown): never {
  throw new Error(`the training engine (TensorFlow.js) did not load: ${messageOf(error)}`);
}

function trainer(): Promise<Trainer> {
  engine ??= Promise.all([import('./trainer'), import('./backend')]).catch(engineDidNotLoad).then(([{ Trainer }, { setWasmFiles }]) => {
    setWasmFiles(WASM_FILES);
    const instance = new Trainer(post);
    for (const dataset of datasets.values()) instance.addDataset(dataset);
    instance.restoreRuns(savedRuns);
    return instance;
  });
  return engine;
}

/** Keeps a dataset for training, and hands it to the engine if that has started (else the engine takes it when it does). */
function keepDataset(dataset: Dataset): void {
  datasets.set(dataset.id, dataset);
  if (engine) void engine.then((t) => t.addDataset(dataset));
}

/** The page's "keep datasets" setting, applied to this browser's copy. */
const keeper = new DatasetKeeper(browserShelf, (report) => post({ type: 'keptDatasets', ...report }), tabNeighbours());

function load(source: DatasetSource, onProgress: ProgressListener, shelf: FileShelf | null): Promise<BuiltinLoad> {
  if (source.kind === 'builtin') return loadBuiltinDataset(source.id, source.baseUrl, { onProgress, shelf });
  const nameOf = (id: string): string => source.knownNames[id] ?? source.name;
  return loadUserDataset(source.files, nameOf).then((dataset) => ({ dataset, fromBrowserCopy: false, toKeep: [] }));
}

/**
 * How a download's progress reaches the page: all files in one message, at most every 100 ms,
 * none in the first 0.4 s (the "Loading MNIST…" heading shows at once). Each message redraws
 * the page, and the frames took a core the download and its gunzip needed: one message per
 * network chunk, then one per file and at once for a file's first and last figures, left
 * MNIST's worker-side ready time at a median of 0.55 s against 0.49 s now (2-core VM,
 * interleaved sets of 8 fresh loads).
 */
const PROGRESS = { intervalMs: 100, quietMs: 400 } as const;

async function loadDataset(requestId: number, source: DatasetSource): Promise<void> {
  const started = performance.now();
  const progress = throttleProgress((figures) => post({ type: 'datasetProgress', requestId, progress: figures }), PROGRESS);
  const shelf = source.kind === 'builtin' ? await keeper.shelfForLoad() : null;
  let loaded: BuiltinLoad;
  try {
    loaded = await load(source, progress.onProgress, shelf);
  } catch (error) {
    const name = source.kind === 'builtin' ? source.id : source.name;
    const info = error instanceof DataError ? error.toInfo() : new DataError('network-error', name, undefined, 'a loadable dataset', String(error)).toInfo();
    post({ type: 'datasetFailed', requestId, error: info });
    return;
  } finally {
    progress.cancel();
  }
  const { dataset, fromBrowserCopy, toKeep } = loaded;
  keepDataset(dataset);
  const forPage = datasetForPage(dataset);
  const seconds = (performance.now() - started) / 1000;
  post({ type: 'datasetLoaded', requestId, dataset: forPage, seconds, fromBrowserCopy }, datasetTransferables(forPage));
  // This browser keeps what it fetched, so the next page reads it from disk. A copy that
  // cannot be written (no space, say) is reported; the dataset is in use all the same.
  if (source.kind === 'builtin') keeper.loaded(dataset.id, toKeep);
  // Starts the engine now that there is something to train on. If tfjs cannot start, the
  // rejection is not the dataset's failure (it loaded): it reaches the page as a crash.
  await trainer();
}

/** One handler per command type: adding a command to the protocol without handling it fails to compile. */
const handlers: { readonly [K in WorkerCommand['type']]: (command: Extract<WorkerCommand, { type: K }>) => void } = {
  loadDataset: (command) => keeper.during(loadDataset(command.requestId, command.source)),
  keepDatasets: (command) => keeper.setKeeping(command.keep),
  addDataset: ({ dataset }) => {
    keepDataset(dataset);
    keeper.handedOver(dataset.id, builtinFilesOf(dataset));
  },
  train: (command) => void trainer().then((t) => t.train(command)),
  pause: (command) => void trainer().then((t) => t.pause(command.runId)),
  resume: (command) => void trainer().then((t) => t.resume(command.runId)),
  stop: (command) => void trainer().then((t) => t.stop(command.runId)),
  predict: (command) => void trainer().then((t) => t.predict(command)),
  layerPictures: (command) => void trainer().then((t) => t.layerPictures(command.requestId, command.runId)),
  disposeRun: (command) => void trainer().then((t) => t.disposeRun(command.runId)),
  restoreRuns: (command) => (engine ? void engine.then((t) => t.restoreRuns(command.runs)) : void savedRuns.push(...command.runs)),
  saveModel: (command) => void trainer().then((t) => t.saveModel(command.runId)),
  deleteSavedModel: (command) => void trainer().then((t) => t.deleteSavedModel(command.runId)),
  pruneSavedModels: (command) => void trainer().then((t) => t.pruneSavedModels(command.keep, command.drop)),
  exportModel: (command) => void trainer().then((t) => t.exportModel(command.runId)),
  importModel: (command) => void trainer().then((t) => t.importModel(command)),
};

// Every expected failure is answered with an event (runFailed, datasetFailed, a prediction's
// note...). Anything else is a bug or a broken engine (tfjs failing to load, say): thrown again
// here, it reaches the page as the worker's error event, and the page restarts the worker and
// recovers, instead of waiting forever for an answer.
scope.addEventListener('unhandledrejection', (event) => {
  throw event.reason instanceof Error ? event.reason : new Error(String(event.reason));
});

scope.addEventListener('message', (event) => {
  const command = event.data;
  (handlers[command.type] as (command: WorkerCommand) => void)(command);
});

post({ type: 'ready' });

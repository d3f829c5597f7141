/**
 * The training worker's entry: it only wires messages to the pure modules (data loading,
 * model building, the fit loop). All tfjs work of the app runs here, never on the main thread.
 */
import type { Dataset, ImageSet } from '../data/dataset';
import { DataError } from '../data/errors';
import { loadBuiltinDataset, loadUserDataset } from '../data/load';
import { datasetTransferables, type DatasetSource, type WorkerCommand, type WorkerEvent } from './protocol';

interface WorkerScope {
  postMessage(message: WorkerEvent, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerCommand>) => void): void;
}

const scope = self as unknown as WorkerScope;

/** Datasets the worker holds for training, by id. */
const datasets = new Map<string, Dataset>();

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

function copySet(set: ImageSet): ImageSet {
  return { ...set, images: set.images.slice(), labels: set.labels.slice() };
}

function load(source: DatasetSource, onProgress: Parameters<typeof loadBuiltinDataset>[2]): Promise<Dataset> {
  return source.kind === 'builtin'
    ? loadBuiltinDataset(source.id, source.baseUrl, onProgress)
    : loadUserDataset(source.id, source.name, source.files);
}

async function loadDataset(requestId: number, source: DatasetSource): Promise<void> {
  const started = performance.now();
  try {
    const dataset = await load(source, { onProgress: (progress) => post({ type: 'datasetProgress', requestId, progress }) });
    datasets.set(dataset.id, dataset);
    // The worker keeps its copy for training; the page gets its own, transferred.
    const copy: Dataset = { ...dataset, train: copySet(dataset.train), test: copySet(dataset.test) };
    const seconds = (performance.now() - started) / 1000;
    post({ type: 'datasetLoaded', requestId, dataset: copy, seconds }, datasetTransferables(copy));
  } catch (error) {
    const info = error instanceof DataError
      ? error.toInfo()
      : new DataError('network-error', source.kind === 'builtin' ? source.id : source.name, undefined, 'a loadable dataset', String(error)).toInfo();
    post({ type: 'datasetFailed', requestId, error: info });
  }
}

/** One handler per command type: adding a command to the protocol without handling it fails to compile. */
const handlers: { readonly [K in WorkerCommand['type']]: (command: Extract<WorkerCommand, { type: K }>) => void } = {
  loadDataset: (command) => void loadDataset(command.requestId, command.source),
};

scope.addEventListener('message', (event) => {
  const command = event.data;
  handlers[command.type](command);
});

post({ type: 'ready' });

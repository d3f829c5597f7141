/**
 * The worker's API, typed once: every command the main thread sends and every event the
 * worker streams back. Both sides import these types; nothing else crosses the boundary.
 * Big arrays (images, labels, probabilities) cross by transfer, never by copy.
 */
import type { Dataset } from '../data/dataset';
import type { BuiltinDatasetId } from '../data/datasets';
import type { DataErrorInfo } from '../data/errors';
import type { FileProgress } from '../data/load';

/** Where a dataset comes from: a built-in one under the app's base URL, or a user's files. */
export type DatasetSource =
  | { readonly kind: 'builtin'; readonly id: BuiltinDatasetId; readonly baseUrl: string }
  | { readonly kind: 'files'; readonly id: string; readonly name: string; readonly files: readonly File[] };

/** Commands from the main thread to the worker. */
export type WorkerCommand = { readonly type: 'loadDataset'; readonly requestId: number; readonly source: DatasetSource };

/** Events from the worker to the main thread. */
export type WorkerEvent =
  | { readonly type: 'ready' }
  | { readonly type: 'datasetProgress'; readonly requestId: number; readonly progress: FileProgress }
  | { readonly type: 'datasetLoaded'; readonly requestId: number; readonly dataset: Dataset; readonly seconds: number }
  | { readonly type: 'datasetFailed'; readonly requestId: number; readonly error: DataErrorInfo };

export type WorkerCommandType = WorkerCommand['type'];
export type WorkerEventType = WorkerEvent['type'];

/** The event of a given type. */
export type EventOf<T extends WorkerEventType> = Extract<WorkerEvent, { type: T }>;

/** The buffers of a dataset, for transferring it. */
export function datasetTransferables(dataset: Dataset): ArrayBuffer[] {
  const buffers = [dataset.train.images, dataset.train.labels, dataset.test.images, dataset.test.labels].map((a) => a.buffer);
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

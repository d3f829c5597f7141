/**
 * This browser's shelf of saved runs: one small IndexedDB database of our own, one record per
 * finished or stopped run (everything the dashboard shows of it; its trained model is saved
 * beside it by the worker, through tfjs). Uses the platform `indexedDB` API directly. Every
 * failure becomes a `RunStorageError` that says in words what happened; callers keep working
 * in memory. Knows nothing of React, the store or tfjs.
 */
import { parseStoredRun, storedRecordId, type SavedRun } from './runFile';
import { asClause, messageOf } from '../data/errors';

const DB_NAME = 'digit-fashion-playground';
const DB_VERSION = 1;
const RUNS = 'runs';

/** Why runs cannot be stored: no storage in this browser, a full disk, or anything else. */
export type RunStorageProblem = 'unavailable' | 'quota' | 'failed';

/** A storage failure, with a message a user can act on. */
export class RunStorageError extends Error {
  override readonly name = 'RunStorageError';
  constructor(
    message: string,
    readonly problem: RunStorageProblem,
  ) {
    super(message);
  }
}

const UNAVAILABLE = 'This browser does not let the page store runs (IndexedDB is unavailable, as in some private windows), so runs last only until the page is reloaded.';

/** An IndexedDB failure as a RunStorageError. */
export function storageError(error: unknown): RunStorageError {
  if (error instanceof RunStorageError) return error;
  const name = error instanceof DOMException ? error.name : '';
  const detail = messageOf(error);
  if (name === 'QuotaExceededError' || /quota/i.test(detail)) {
    return new RunStorageError('The browser has no more room for saved runs (its storage quota is used up). Delete or export old runs to make room.', 'quota');
  }
  if (name === 'SecurityError' || name === 'InvalidStateError') return new RunStorageError(UNAVAILABLE, 'unavailable');
  return new RunStorageError(`Saved runs could not be read or written: ${asClause(detail) || 'IndexedDB failed'}.`, 'failed');
}

let database: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  database ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new RunStorageError(UNAVAILABLE, 'unavailable'));
      return;
    }
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(RUNS)) request.result.createObjectStore(RUNS, { keyPath: 'id' });
    };
    request.onsuccess = () => {
      const db = request.result;
      // A newer version of the page in another tab wants to upgrade the database: let it, and
      // open it again (at that version) on the next use here.
      db.onversionchange = () => {
        db.close();
        database = null;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB did not open'));
    request.onblocked = () => reject(new Error('another tab holds an older version of the saved runs open'));
  }).catch((error: unknown) => {
    database = null;
    throw storageError(error);
  });
  return database;
}

/** Runs one request in its own transaction and resolves when the transaction is done. */
async function transact<T>(mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    let result: T;
    let transaction: IDBTransaction;
    try {
      transaction = db.transaction(RUNS, mode);
      const pending = request(transaction.objectStore(RUNS));
      pending.onsuccess = () => {
        result = pending.result;
      };
    } catch (error) {
      reject(storageError(error));
      return;
    }
    transaction.oncomplete = () => resolve(result);
    transaction.onerror = () => reject(storageError(transaction.error));
    transaction.onabort = () => reject(storageError(transaction.error ?? new Error('the transaction was aborted')));
  });
}

/**
 * Every saved run that reads back, oldest first, a message for each that does not (it stays
 * stored), and the ids of all records, readable or not.
 */
export async function loadSavedRuns(): Promise<{ runs: SavedRun[]; problems: string[]; ids: string[] }> {
  const records = await transact<unknown[]>('readonly', (store) => store.getAll());
  const runs: SavedRun[] = [];
  const problems: string[] = [];
  const ids: string[] = [];
  for (const record of records) {
    const id = storedRecordId(record);
    if (id !== undefined) ids.push(id);
    try {
      runs.push(parseStoredRun(record));
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
  return { runs: runs.sort((a, b) => a.startedAt - b.startedAt), problems, ids };
}

/** One saved run, or null when it has no record (or one that does not read back). */
export async function loadSavedRun(id: string): Promise<SavedRun | null> {
  const record = await transact<unknown>('readonly', (store) => store.get(id));
  if (record === undefined) return null;
  try {
    return parseStoredRun(record);
  } catch {
    return null;
  }
}

/** Saves a run, replacing its earlier record. */
export async function putSavedRun(run: SavedRun): Promise<void> {
  await transact('readwrite', (store) => store.put(run));
}

/** Deletes a run's record; one that was never saved is no error. */
export async function deleteSavedRun(id: string): Promise<void> {
  await transact('readwrite', (store) => store.delete(id));
}

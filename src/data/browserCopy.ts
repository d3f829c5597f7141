/**
 * This browser's copy of the built-in datasets' decoded files, in the origin private file
 * system, as Keras keeps `~/.keras/datasets`: a page opened again reads MNIST's 55 MB from
 * disk instead of downloading and gunzipping it again. The copy is never required. Where the
 * file system is missing, full or busy, or a kept file does not decode, the dataset comes over
 * the network as before, and a kept file that fails is written again afterwards. Files are
 * named by the SHA-256 the data manifest records (`builtinFileKey`). Saving a dataset removes
 * kept files this deploy does not name. A person can see what is kept and remove it all
 * (`listKept`, `forgetKept`). No DOM: the worker runs it.
 */
import type { Dataset } from './dataset';
import { BUILTIN_DATASETS, BUILTIN_FILE_KEYS, builtinFileKey, builtinFileSizes, isBuiltinDatasetId, isBuiltinFileKeyForm, SPLIT_FILES, type BuiltinDatasetId, type SplitFile } from './datasets';
import { encodeIdxHeader, newDataArray, viewIdx, type IdxArray } from './idx';
import { messageOf } from './errors';

/** A flat directory of files: the origin private file system's, or one in memory for tests. */
export interface FileShelf {
  /** The file's bytes, or null when the shelf has no file of that name. */
  read(name: string): Promise<Uint8Array | null>;
  /** Writes a file whole from its parts, replacing any of that name only once all are written. */
  write(name: string, parts: readonly Uint8Array[]): Promise<void>;
  names(): Promise<string[]>;
  remove(name: string): Promise<void>;
}

const DIRECTORY = 'datasets';
const WRITE_SLICE = 4 << 20;
/**
 * How long the file system may take to open, or to read a kept file, before the dataset comes
 * over the network instead. A kept MNIST reads in under 0.2 s on a 2-core VM; a file system
 * that never answered would otherwise leave the page loading for good.
 */
const SHELF_TIMEOUT_MS = 3000;

/** `promise`'s value, or `fallback` when it has not settled within `ms` (or rejects). */
export function withTimeout<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

/** What a worker's file handles have beyond the DOM typings: synchronous access, read-only where the browser allows several readers. */
interface SyncAccess {
  getSize(): number;
  read(buffer: Uint8Array, options: { at: number }): number;
  close(): void;
}
type WorkerFileHandle = FileSystemFileHandle & { createSyncAccessHandle?: (options?: { mode: 'read-only' }) => Promise<SyncAccess> };

/**
 * A file's bytes. Synchronous access reads straight into one array, in 83 ms for MNIST's 47 MB
 * training images here; the file's `arrayBuffer()` took 0.25-0.29 s in a worker, a stream 0.2 s.
 */
async function readWhole(handle: WorkerFileHandle): Promise<Uint8Array> {
  if (!handle.createSyncAccessHandle) return new Uint8Array(await (await handle.getFile()).arrayBuffer());
  const access = await handle.createSyncAccessHandle({ mode: 'read-only' });
  try {
    const bytes = newDataArray(access.getSize());
    return bytes.subarray(0, access.read(bytes, { at: 0 }));
  } finally {
    access.close();
  }
}

const isNotFound = (error: unknown): boolean => error instanceof DOMException && error.name === 'NotFoundError';

/** This origin's private file system's `datasets` directory, or null where the browser has none, refuses it, or cannot write files in it. */
export async function browserShelf(): Promise<FileShelf | null> {
  // Without writable files (Safari before 26) nothing can be kept: that is no file system for
  // this purpose, not an error to report on every load.
  if (typeof FileSystemFileHandle === 'undefined' || !('createWritable' in FileSystemFileHandle.prototype)) return null;
  const opened = (async () => (await navigator.storage.getDirectory()).getDirectoryHandle(DIRECTORY, { create: true }))();
  const directory = await withTimeout(opened, SHELF_TIMEOUT_MS, null);
  if (directory === null) return null;
  return {
    read: async (name) => {
      try {
        return await readWhole(await directory.getFileHandle(name));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    write: async (name, parts) => {
      // A writable stream writes to a scratch file that replaces the old one on close. It takes
      // no shared memory, so the parts go in slices, which are ordinary copies.
      const writable = await (await directory.getFileHandle(name, { create: true })).createWritable();
      try {
        for (const part of parts) for (let at = 0; at < part.length; at += WRITE_SLICE) await writable.write(part.slice(at, at + WRITE_SLICE));
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => undefined);
        throw error;
      }
    },
    names: async () => {
      const names: string[] = [];
      for await (const name of directory.keys()) names.push(name);
      return names;
    },
    remove: (name) => directory.removeEntry(name),
  };
}

/**
 * A kept file decoded, or null when there is none, it does not decode as the file it should
 * be, or the shelf has not answered within `timeoutMs`.
 */
export async function readKept(shelf: FileShelf, key: string, file: string, expectedDims: number, timeoutMs = SHELF_TIMEOUT_MS): Promise<IdxArray | null> {
  const bytes = await withTimeout(shelf.read(key), timeoutMs, null);
  try {
    return bytes ? viewIdx(bytes, file, expectedDims) : null;
  } catch {
    return null;
  }
}

/** Keeps decoded files under their keys. A write that fails rejects; removing stale files afterwards never does. */
export async function keepFiles(shelf: FileShelf, files: FilesToKeep): Promise<void> {
  for (const { key, idx } of files) await shelf.write(key, [encodeIdxHeader(idx.dims), idx.data]);
  await removeStale(shelf);
}

/** Removes kept files this deploy's manifest does not name (an older deploy's data), each as it can. */
async function removeStale(shelf: FileShelf): Promise<void> {
  const names = await shelf.names().catch(() => []);
  for (const name of names) if (isBuiltinFileKeyForm(name) && !BUILTIN_FILE_KEYS.has(name)) await shelf.remove(name).catch(() => undefined);
}

/** What this browser keeps: the built-in datasets whose four files are all kept, and the bytes of this deploy's kept files. */
export interface KeptDatasets {
  readonly datasetIds: readonly BuiltinDatasetId[];
  readonly bytes: number;
}

/** Lists what the shelf keeps of this deploy's data (sizes from the manifest: a kept file is the decoded IDX file). */
export async function listKept(shelf: FileShelf): Promise<KeptDatasets> {
  const names = new Set(await shelf.names());
  const datasetIds: BuiltinDatasetId[] = [];
  let bytes = 0;
  for (const spec of Object.values(BUILTIN_DATASETS)) {
    let whole = true;
    for (const split of SPLIT_FILES) {
      const key = builtinFileKey(spec, split);
      if (key !== null && names.has(key)) bytes += builtinFileSizes(spec, split)?.bytes ?? 0;
      else whole = false;
    }
    if (whole) datasetIds.push(spec.id);
  }
  return { datasetIds, bytes };
}

/**
 * Removes every kept dataset file, this deploy's and older ones'. Rejects, once it has tried
 * them all, when a file could not be removed (another tab reading it, say), with how many.
 */
export async function forgetKept(shelf: FileShelf): Promise<void> {
  const names = (await shelf.names()).filter(isBuiltinFileKeyForm);
  const results = await Promise.allSettled(names.map((name) => shelf.remove(name)));
  const failed = results.filter((result) => result.status === 'rejected').length;
  if (failed > 0) throw new Error(`${failed} of ${names.length} kept files could not be removed (another tab may be reading them)`);
}

/** What this browser keeps, after a change the keeper made. */
export interface KeptReport {
  readonly kept: KeptDatasets;
  /** False where the page gets no file system (some private windows): nothing can be kept. */
  readonly available: boolean;
  /** What could not be kept or removed, in words; null when the change came about. */
  readonly error: string | null;
}

/** A built-in dataset's fetched files, offered to be kept under their keys. */
export type FilesToKeep = readonly { readonly key: string; readonly idx: IdxArray }[];

const NOTHING_KEPT: KeptDatasets = { datasetIds: [], bytes: 0 };

/**
 * A loaded built-in dataset's four files, as they would be kept: the decoded IDX files the
 * manifest names, rebuilt from its arrays (a dataset the page hands a restarted worker comes
 * without its files). [] for a user's dataset, which is never kept.
 */
export function builtinFilesOf(dataset: Dataset): FilesToKeep {
  if (!isBuiltinDatasetId(dataset.id)) return [];
  const spec = BUILTIN_DATASETS[dataset.id];
  const { train, test } = dataset;
  const arrays: Record<SplitFile, IdxArray> = {
    trainImages: { dims: [train.count, train.height, train.width], data: train.images },
    trainLabels: { dims: [train.count], data: train.labels },
    testImages: { dims: [test.count, test.height, test.width], data: test.images },
    testLabels: { dims: [test.count], data: test.labels },
  };
  return SPLIT_FILES.flatMap((split) => {
    const key = builtinFileKey(spec, split);
    return key === null ? [] : [{ key, idx: arrays[split] }];
  });
}

/** How the keepers of the page's other tabs hear that one of them changed the shelf (a BroadcastChannel between workers). */
export interface KeeperNeighbours {
  /** Tells the others this keeper changed the shelf. */
  post(): void;
  /** Calls `onChange` when another keeper has changed it. */
  listen(onChange: () => void): void;
}

/** The page's tabs' keepers, over a BroadcastChannel; null where there is none. */
export function tabNeighbours(): KeeperNeighbours | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const channel = new BroadcastChannel('playground-kept-datasets');
  return {
    post: () => channel.postMessage('changed'),
    listen: (onChange) => channel.addEventListener('message', onChange),
  };
}

/** A change that failed: what went wrong, and how to tell that it has come about since (another tab made it). */
interface Failure {
  readonly error: string;
  readonly cameAbout: (kept: KeptDatasets) => boolean;
}

/**
 * The page's "keep datasets" setting applied to the shelf. Changes run one after another, so
 * turning keeping off while a dataset is being written removes it once written. Each change
 * ends with a report of what is kept; its failure is reported only when what it was for did
 * not come about (two tabs writing the same file: one fails, and the file is kept all the same).
 * The page's other tabs share the shelf: when one changes it, the others list it again and
 * report, so no tab shows what is no longer so (nor a failure another tab has since made good).
 */
export class DatasetKeeper {
  private keeping = true;
  /**
   * Every built-in dataset loaded (or handed over) in this worker, by id: views of its arrays,
   * no copies. Turning keeping on from off keeps them all, those loaded while it was on included.
   */
  private readonly loadedFiles = new Map<string, FilesToKeep>();
  private work: Promise<void> = Promise.resolve();
  /** The last change, had it failed and not come about: reported again until it has. */
  private failure: Failure | null = null;

  constructor(
    private readonly openShelf: () => Promise<FileShelf | null>,
    private readonly report: (report: KeptReport) => void,
    private readonly neighbours: KeeperNeighbours | null = null,
  ) {
    neighbours?.listen(() => this.queue(() => Promise.resolve()));
  }

  /** The shelf a load may read kept files from: none while keeping is off. */
  shelfForLoad(): Promise<FileShelf | null> {
    return this.keeping ? this.openShelf() : Promise.resolve(null);
  }

  /** A built-in dataset has loaded: keeps the files it fetched, or holds them while keeping is off. */
  loaded(datasetId: string, files: FilesToKeep): void {
    if (files.length === 0) return;
    this.loadedFiles.set(datasetId, files);
    if (this.keeping) this.keep(new Map([[datasetId, files]]));
  }

  /**
   * A built-in dataset the page handed this worker after the last one crashed: held while
   * keeping is off, so that turning it on keeps it as if it had loaded here; while on, its
   * files the shelf lacks (a write the crash cut short) are kept.
   */
  handedOver(datasetId: string, files: FilesToKeep): void {
    if (files.length === 0) return;
    this.loadedFiles.set(datasetId, files);
    if (!this.keeping) return;
    this.change(
      async (shelf) => {
        const names = new Set(await shelf.names());
        await keepFiles(shelf, files.filter(({ key }) => !names.has(key)));
      },
      (kept) => kept.datasetIds.some((id) => id === datasetId),
    );
  }

  /** Off removes every kept file and keeps no more; on from off keeps every dataset loaded, before it was off or since. Either way, reports. */
  setKeeping(on: boolean): void {
    const wasOn = this.keeping;
    this.keeping = on;
    if (!on) {
      this.change(forgetKept, (kept) => kept.bytes === 0);
      return;
    }
    this.keep(wasOn ? new Map() : new Map(this.loadedFiles));
  }

  /**
   * Holds the changes asked for from now on until `load` (a dataset being read or fetched)
   * settles, without hiding its failure: listing and writing the shelf beside a load competes with it for the disk and the
   * cores (a reopened MNIST took 0.24 s instead of 0.15 s with the listing beside it).
   */
  during(load: Promise<unknown>): void {
    const settled = load.then(
      () => undefined,
      () => undefined,
    );
    this.work = Promise.all([this.work, settled]).then(() => undefined);
    // Waiting handles the load's rejection; thrown again, it stays unhandled for its owner to
    // hear of (the worker reports unhandled rejections to the page as a crash).
    load.catch((error: unknown) => {
      throw error;
    });
  }

  /** Resolves once every change asked for so far has been made and reported. */
  settled(): Promise<void> {
    return this.work;
  }

  private keep(files: ReadonlyMap<string, FilesToKeep>): void {
    const all = [...files.values()].flat();
    this.change(
      (shelf) => keepFiles(shelf, all),
      (kept) => [...files.keys()].every((id) => kept.datasetIds.some((keptId) => keptId === id)),
    );
  }

  /** Makes a change to the shelf, tells the other tabs, and reports; a failure is kept until what it was for has come about. */
  private change(make: (shelf: FileShelf) => Promise<void>, cameAbout: (kept: KeptDatasets) => boolean): void {
    this.queue(async (shelf) => {
      this.failure = null;
      try {
        await make(shelf);
      } catch (reason) {
        this.failure = { error: messageOf(reason), cameAbout };
      }
      this.neighbours?.post();
    });
  }

  /** Runs `step` on the shelf after the work asked for before it, then reports what is kept (a step that does nothing lists the shelf again). */
  private queue(step: (shelf: FileShelf) => Promise<void>): void {
    this.work = this.work.then(async () => {
      const shelf = await this.openShelf();
      if (!shelf) {
        this.report({ kept: NOTHING_KEPT, available: false, error: null });
        return;
      }
      await step(shelf);
      const kept = await listKept(shelf).catch(() => NOTHING_KEPT);
      if (this.failure?.cameAbout(kept)) this.failure = null;
      this.report({ kept, available: true, error: this.failure?.error ?? null });
    });
  }
}

/**
 * This browser's copy of the built-in datasets' decoded files, in the origin private file
 * system, as Keras keeps `~/.keras/datasets`: a page opened again reads MNIST's 55 MB from
 * disk instead of downloading and gunzipping it again. The copy is never required. Where the
 * file system is missing, full or busy, or a kept file does not decode, the dataset comes over
 * the network as before, and a kept file that fails is written again afterwards. Files are
 * named by the SHA-256 the data manifest records (`builtinFileKey`). Saving a dataset removes
 * kept files this deploy does not name. No DOM: the worker runs it.
 */
import { BUILTIN_FILE_KEYS, isBuiltinFileKeyForm } from './datasets';
import { encodeIdxHeader, newDataArray, viewIdx, type IdxArray } from './idx';

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

/** This origin's private file system's `datasets` directory, or null where the browser has none or refuses it. */
export async function browserShelf(): Promise<FileShelf | null> {
  let directory: FileSystemDirectoryHandle;
  try {
    directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(DIRECTORY, { create: true });
  } catch {
    return null;
  }
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
      // no shared memory, so the parts go in slices, which are ordinary copies. Where there is
      // none (Safari before 26), nothing is kept, not even an empty file.
      if (!('createWritable' in FileSystemFileHandle.prototype)) throw new Error('this browser cannot write files it keeps');
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

/** A kept file decoded, or null when there is none or it does not decode as the file it should be. */
export async function readKept(shelf: FileShelf, key: string, file: string, expectedDims: number): Promise<IdxArray | null> {
  try {
    const bytes = await shelf.read(key);
    return bytes ? viewIdx(bytes, file, expectedDims) : null;
  } catch {
    return null;
  }
}

/** Keeps decoded files under their keys. A write that fails rejects; removing stale files afterwards never does. */
export async function keepFiles(shelf: FileShelf, files: readonly { readonly key: string; readonly idx: IdxArray }[]): Promise<void> {
  for (const { key, idx } of files) await shelf.write(key, [encodeIdxHeader(idx.dims), idx.data]);
  await removeStale(shelf);
}

/** Removes kept files this deploy's manifest does not name (an older deploy's data), each as it can. */
async function removeStale(shelf: FileShelf): Promise<void> {
  const names = await shelf.names().catch(() => []);
  for (const name of names) if (isBuiltinFileKeyForm(name) && !BUILTIN_FILE_KEYS.has(name)) await shelf.remove(name).catch(() => undefined);
}

import { describe, expect, it } from 'vitest';
import { builtinFilesOf, DatasetKeeper, forgetKept, listKept, readKept, withTimeout, type FilesToKeep, type KeeperNeighbours, type KeptReport } from './browserCopy';
import { assembleDataset } from './dataset';
import { BUILTIN_DATASETS, builtinFileKey, SPLIT_FILES, type BuiltinDatasetId } from './datasets';
import { encodeIdx, parseIdx } from './idx';
import { memoryShelf } from './testing';

/** The names this browser keeps a built-in dataset's four files under. */
const keysOf = (id: BuiltinDatasetId): string[] => SPLIT_FILES.map((split) => builtinFileKey(BUILTIN_DATASETS[id], split) ?? '');
/** A shelf holding files of these names (their contents do not matter to the listing). */
function shelfWith(...names: string[]) {
  const shelf = memoryShelf();
  for (const name of names) shelf.files.set(name, new Uint8Array(8));
  return shelf;
}
/** MNIST's four decoded files, as data/manifest.json records them: 54,950,048 bytes. */
const MNIST_BYTES = 47_040_016 + 60_008 + 7_840_016 + 10_008;
const STALE = `mnist-${'0'.repeat(64)}.idx`;

describe('withTimeout', () => {
  it('gives the value when it comes in time, and the fallback when it is late or fails', async () => {
    expect(await withTimeout(Promise.resolve(1), 50, null)).toBe(1);
    expect(await withTimeout(new Promise(() => undefined), 5, 'late')).toBe('late');
    expect(await withTimeout(Promise.reject(new Error('no')), 50, 'failed')).toBe('failed');
  });
});

describe('readKept', () => {
  it('gives up on a file system that never answers, so the dataset comes over the network', async () => {
    const shelf = memoryShelf();
    shelf.read = () => new Promise(() => undefined);
    expect(await readKept(shelf, 'any.idx', 'train-labels-idx1-ubyte.gz', 1, 10)).toBeNull();
  });

  it('decodes a kept file, and refuses one that is not the file it should be', async () => {
    const shelf = shelfWith();
    shelf.files.set('labels.idx', encodeIdx([3], Uint8Array.from([5, 0, 4])));
    expect(Array.from((await readKept(shelf, 'labels.idx', 'train-labels-idx1-ubyte.gz', 1))?.data ?? [])).toEqual([5, 0, 4]);
    expect(await readKept(shelf, 'labels.idx', 'train-images-idx3-ubyte.gz', 3)).toBeNull();
  });
});

describe('listKept', () => {
  it("lists a dataset only when all four of its files are kept, counting this deploy's files at their decoded sizes", async () => {
    expect(await listKept(shelfWith())).toEqual({ datasetIds: [], bytes: 0 });
    expect(await listKept(shelfWith(...keysOf('mnist'), STALE, 'notes.txt'))).toEqual({ datasetIds: ['mnist'], bytes: MNIST_BYTES });
    const both = await listKept(shelfWith(...keysOf('mnist'), ...keysOf('fashion-mnist')));
    expect(both).toEqual({ datasetIds: ['mnist', 'fashion-mnist'], bytes: 2 * MNIST_BYTES });
    const partial = await listKept(shelfWith(...keysOf('fashion-mnist').slice(1)));
    expect(partial).toEqual({ datasetIds: [], bytes: MNIST_BYTES - 47_040_016 });
  });
});

describe('forgetKept', () => {
  it("removes every kept dataset file, an older deploy's too, and nothing else", async () => {
    const shelf = shelfWith(...keysOf('mnist'), ...keysOf('fashion-mnist'), STALE, 'notes.txt');
    await forgetKept(shelf);
    expect([...shelf.files.keys()]).toEqual(['notes.txt']);
    expect(await listKept(shelf)).toEqual({ datasetIds: [], bytes: 0 });
  });

  it('removes what it can and says how many files it could not', async () => {
    const shelf = shelfWith(...keysOf('mnist'));
    const held = keysOf('mnist')[0];
    shelf.remove = (name) => {
      if (name === held) return Promise.reject(new DOMException('another tab has it open', 'NoModificationAllowedError'));
      shelf.files.delete(name);
      return Promise.resolve();
    };
    await expect(forgetKept(shelf)).rejects.toThrow('1 of 4 kept files could not be removed');
    expect([...shelf.files.keys()]).toEqual([held]);
  });
});

describe('DatasetKeeper', () => {
  /** MNIST's four files as a load offers them (tiny stand-ins under the real keys). */
  const mnistFiles: FilesToKeep = keysOf('mnist').map((key) => ({ key, idx: parseIdx(encodeIdx([2], Uint8Array.from([1, 2])), key, 1) }));
  const mnistKept = { datasetIds: ['mnist'], bytes: MNIST_BYTES };
  const nothingKept = { datasetIds: [], bytes: 0 };
  function keeperOn(shelf: ReturnType<typeof memoryShelf> | null) {
    const reports: KeptReport[] = [];
    const keeper = new DatasetKeeper(() => Promise.resolve(shelf), (report) => reports.push(report));
    return { keeper, reports };
  }

  it('keeps a loaded dataset and reports it kept', async () => {
    const shelf = memoryShelf();
    const { keeper, reports } = keeperOn(shelf);
    expect(await keeper.shelfForLoad()).toBe(shelf);
    keeper.loaded('mnist', mnistFiles);
    await keeper.settled();
    expect([...shelf.files.keys()].sort()).toEqual(keysOf('mnist').sort());
    expect(reports).toEqual([{ kept: mnistKept, available: true, error: null }]);
  });

  it('turned off while a dataset is being written, removes it once written; on again in the same visit, keeps it again', async () => {
    const shelf = memoryShelf();
    const { keeper, reports } = keeperOn(shelf);
    keeper.loaded('mnist', mnistFiles);
    keeper.setKeeping(false);
    await keeper.settled();
    expect([...shelf.files.keys()]).toEqual([]);
    expect(reports.at(-1)).toEqual({ kept: nothingKept, available: true, error: null });
    keeper.setKeeping(true);
    await keeper.settled();
    expect(reports.at(-1)).toEqual({ kept: mnistKept, available: true, error: null });
  });

  it('while off, reads and writes nothing, and turned on again keeps what loaded meanwhile', async () => {
    const shelf = memoryShelf();
    const { keeper, reports } = keeperOn(shelf);
    keeper.setKeeping(false);
    expect(await keeper.shelfForLoad()).toBeNull();
    keeper.loaded('mnist', mnistFiles);
    await keeper.settled();
    expect(shelf.files.size).toBe(0);
    keeper.setKeeping(true);
    await keeper.settled();
    expect(reports.map((report) => report.kept)).toEqual([nothingKept, mnistKept]);
    keeper.setKeeping(true);
    await keeper.settled();
    expect(reports.at(-1)?.kept).toEqual(mnistKept);
  });

  it('reports what could not be kept, but not a failed write of a file that is kept all the same', async () => {
    const shelf = memoryShelf();
    const { keeper, reports } = keeperOn(shelf);
    shelf.write = () => Promise.reject(new DOMException('the disk is full', 'QuotaExceededError'));
    keeper.loaded('mnist', mnistFiles);
    await keeper.settled();
    expect(reports.at(-1)).toEqual({ kept: nothingKept, available: true, error: 'the disk is full' });
    // Another tab wrote the files first.
    for (const key of keysOf('mnist')) shelf.files.set(key, new Uint8Array(8));
    keeper.loaded('mnist', mnistFiles);
    await keeper.settled();
    expect(reports.at(-1)).toEqual({ kept: mnistKept, available: true, error: null });
  });

  it('lists and writes only once a load in progress is done', async () => {
    const shelf = memoryShelf();
    const { keeper, reports } = keeperOn(shelf);
    let finishLoad: () => void = () => undefined;
    keeper.during(new Promise<void>((resolve) => (finishLoad = resolve)));
    keeper.setKeeping(true);
    keeper.loaded('mnist', mnistFiles);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reports).toEqual([]);
    expect(shelf.files.size).toBe(0);
    finishLoad();
    await keeper.settled();
    expect(reports.map((report) => report.kept)).toEqual([nothingKept, mnistKept]);
  });

  it('keeps a dataset handed over after a crash when turned on, and writes only the files the shelf lacks while on', async () => {
    const shelf = memoryShelf();
    const { keeper, reports } = keeperOn(shelf);
    keeper.setKeeping(false);
    keeper.handedOver('mnist', mnistFiles);
    await keeper.settled();
    expect(shelf.files.size).toBe(0);
    keeper.setKeeping(true);
    await keeper.settled();
    expect(reports.at(-1)).toEqual({ kept: mnistKept, available: true, error: null });

    // While on: a crash cut the last write short.
    const [lost, ...rest] = keysOf('mnist');
    shelf.files.delete(lost ?? '');
    const written: string[] = [];
    const write = shelf.write.bind(shelf);
    shelf.write = (name, parts) => {
      written.push(name);
      return write(name, parts);
    };
    keeper.handedOver('mnist', mnistFiles);
    await keeper.settled();
    expect(written).toEqual([lost]);
    expect([...shelf.files.keys()].sort()).toEqual([lost, ...rest].sort());
    expect(reports.at(-1)).toEqual({ kept: mnistKept, available: true, error: null });
  });

  /** Two tabs' keepers on one shelf, each hearing the other's changes as a BroadcastChannel delivers them. */
  function twoTabs(shelf: ReturnType<typeof memoryShelf>) {
    const listeners: (() => void)[] = [];
    const neighbours = (self: number): KeeperNeighbours => ({
      post: () => listeners.forEach((listener, i) => i !== self && setTimeout(listener)),
      listen: (onChange) => void (listeners[self] = onChange),
    });
    const tabs = [0, 1].map((i) => {
      const reports: KeptReport[] = [];
      return { keeper: new DatasetKeeper(() => Promise.resolve(shelf), (report) => reports.push(report), neighbours(i)), reports };
    });
    const settled = async () => {
      for (let round = 0; round < 3; round++) {
        await new Promise((resolve) => setTimeout(resolve));
        await Promise.all(tabs.map(({ keeper }) => keeper.settled()));
      }
    };
    return { tabs, settled };
  }

  it("shows what another tab kept, and drops a failure to forget once another tab's forgetting has made it good", async () => {
    const shelf = memoryShelf();
    const { tabs, settled } = twoTabs(shelf);
    const [a, b] = tabs;
    if (!a || !b) throw new Error('two tabs');
    b.keeper.loaded('mnist', mnistFiles);
    await settled();
    expect(a.reports.at(-1)).toEqual({ kept: mnistKept, available: true, error: null });

    // Tab A forgets while tab B is reading one file: that file stays, and A says so.
    const busy = keysOf('mnist')[0];
    const remove = shelf.remove.bind(shelf);
    shelf.remove = (name) => (name === busy ? Promise.reject(new DOMException('another tab has it open', 'NoModificationAllowedError')) : remove(name));
    a.keeper.setKeeping(false);
    await settled();
    expect(a.reports.at(-1)?.error).toBe('1 of 4 kept files could not be removed (another tab may be reading them)');
    // Tab B, done reading, follows the setting and forgets too: tab A's alert goes.
    shelf.remove = remove;
    b.keeper.setKeeping(false);
    await settled();
    expect(b.reports.at(-1)).toEqual({ kept: nothingKept, available: true, error: null });
    expect(a.reports.at(-1)).toEqual({ kept: nothingKept, available: true, error: null });
  });

  it('keeps reporting a failure that has not come about when another tab changes the shelf', async () => {
    const shelf = memoryShelf();
    const { tabs, settled } = twoTabs(shelf);
    const [a, b] = tabs;
    if (!a || !b) throw new Error('two tabs');
    const write = shelf.write.bind(shelf);
    shelf.write = () => Promise.reject(new DOMException('the disk is full', 'QuotaExceededError'));
    a.keeper.loaded('mnist', mnistFiles);
    await settled();
    shelf.write = write;
    b.keeper.setKeeping(true);
    await settled();
    expect(a.reports.at(-1)).toEqual({ kept: nothingKept, available: true, error: 'the disk is full' });
  });

  it('says so where the page gets no file system', async () => {
    const { keeper, reports } = keeperOn(null);
    keeper.setKeeping(true);
    await keeper.settled();
    expect(reports).toEqual([{ kept: nothingKept, available: false, error: null }]);
  });
});

describe('builtinFilesOf', () => {
  const file = (name: string, dims: number[], data: Uint8Array) => ({ name, idx: parseIdx(encodeIdx(dims, data), name, dims.length) });
  const files = {
    trainImages: file('train-images', [2, 2, 3], Uint8Array.from({ length: 12 }, (_, i) => i)),
    trainLabels: file('train-labels', [2], Uint8Array.from([3, 1])),
    testImages: file('test-images', [1, 2, 3], Uint8Array.from({ length: 6 }, (_, i) => 20 + i)),
    testLabels: file('test-labels', [1], Uint8Array.from([2])),
  };

  it("gives a built-in dataset's four files back under their keys, as the IDX files they were decoded from", () => {
    const dataset = assembleDataset('mnist', 'MNIST', files, BUILTIN_DATASETS.mnist.classNames);
    const kept = builtinFilesOf(dataset);
    expect(kept.map(({ key }) => key)).toEqual(keysOf('mnist'));
    expect(kept.map(({ idx }) => encodeIdx(idx.dims, idx.data))).toEqual(SPLIT_FILES.map((split) => encodeIdx(files[split].idx.dims, files[split].idx.data)));
  });

  it("gives nothing for a user's dataset", () => {
    expect(builtinFilesOf(assembleDataset('custom-x-1', 'Your dataset 1', files))).toEqual([]);
  });
});

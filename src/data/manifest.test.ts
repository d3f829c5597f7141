import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import manifest from '../../public/data/manifest.json';
import { assembleDataset, classCounts, type DatasetFiles } from './dataset';
import { BUILTIN_DATASETS, builtinFileSizes, FILE_DIMS, SPLIT_FILES } from './datasets';
import { readIdxBytes } from './stream';

const DATA = join(import.meta.dirname, '..', '..', 'public', 'data');

/** The decompressed SHA-256 of each official file (the list): a regenerated manifest cannot drift. */
const OFFICIAL_SHA256: Record<string, string> = {
  'mnist/train-images-idx3-ubyte.gz': 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  'mnist/train-labels-idx1-ubyte.gz': '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  'mnist/t10k-images-idx3-ubyte.gz': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  'mnist/t10k-labels-idx1-ubyte.gz': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
  'fashion-mnist/train-images-idx3-ubyte.gz': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'fashion-mnist/train-labels-idx1-ubyte.gz': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  'fashion-mnist/t10k-images-idx3-ubyte.gz': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  'fashion-mnist/t10k-labels-idx1-ubyte.gz': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

const key = (dataset: string, file: string): string => `${dataset}/${file}`;

describe('the data manifest', () => {
  it('lists exactly the files of the built-in datasets, under their ids', () => {
    const listed = manifest.files.map((f) => key(f.dataset, f.file)).sort();
    const registry = Object.values(BUILTIN_DATASETS).flatMap((d) => SPLIT_FILES.map((s) => key(d.id, d.files[s]))).sort();
    expect(listed).toEqual(registry);
    for (const dataset of Object.values(BUILTIN_DATASETS)) {
      expect(dataset.dir).toBe(dataset.id);
      for (const split of SPLIT_FILES) expect(builtinFileSizes(dataset, split)).not.toBeNull();
    }
  });

  it('lists every .gz file committed under public/data, and no other', () => {
    const committed = Object.values(BUILTIN_DATASETS).flatMap((d) =>
      readdirSync(join(DATA, d.dir))
        .filter((name) => name.endsWith('.gz'))
        .map((name) => key(d.id, name)),
    );
    expect(committed.sort()).toEqual(manifest.files.map((f) => key(f.dataset, f.file)).sort());
  });

  it('records the official decompressed SHA-256 of all eight files', () => {
    expect(Object.fromEntries(manifest.files.map((f) => [key(f.dataset, f.file), f.sha256]))).toEqual(OFFICIAL_SHA256);
  });

  it.each(manifest.files.map((f) => [key(f.dataset, f.file), f] as const))('%s matches its entry (sizes and hash)', (path, entry) => {
    const gz = readFileSync(join(DATA, path));
    const raw = gunzipSync(gz);
    expect(gz.length).toBe(entry.compressedBytes);
    expect(raw.length).toBe(entry.bytes);
    expect(createHash('sha256').update(raw).digest('hex')).toBe(entry.sha256);
  });
});

describe('the built-in datasets through the app’s own decoder', () => {
  it.each([
    ['mnist', 5],
    ['fashion-mnist', 9],
  ] as const)('%s decodes to (60000, 28, 28) and (10000, 28, 28) with first training label %i', async (id, firstLabel) => {
    const spec = BUILTIN_DATASETS[id];
    const entries = await Promise.all(
      SPLIT_FILES.map(async (split) => {
        const name = spec.files[split];
        const idx = await readIdxBytes(readFileSync(join(DATA, spec.dir, name)), name, FILE_DIMS[split]);
        return [split, { name, idx }] as const;
      }),
    );
    const dataset = assembleDataset(id, spec.name, Object.fromEntries(entries) as DatasetFiles, spec.classNames);
    expect([dataset.train.count, dataset.train.height, dataset.train.width]).toEqual([60000, 28, 28]);
    expect([dataset.test.count, dataset.test.height, dataset.test.width]).toEqual([10000, 28, 28]);
    expect(dataset.train.images.length).toBe(60000 * 28 * 28);
    expect(dataset.train.labels[0]).toBe(firstLabel);
    const counts = classCounts(dataset.train.labels, 10);
    expect(counts).toHaveLength(10);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60000);
    expect(Math.min(...counts)).toBeGreaterThan(5000);
    expect(classCounts(dataset.test.labels, 10).reduce((a, b) => a + b, 0)).toBe(10000);
  });
});

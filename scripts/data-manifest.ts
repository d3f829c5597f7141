/**
 * Writes public/data/manifest.json: for each committed dataset file, its compressed size and
 * its decompressed size and SHA-256. Run after changing a data file: `npm run data:manifest`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const DATA = join(import.meta.dirname, '..', 'public', 'data');
const DATASETS = ['mnist', 'fashion-mnist'];

const files = DATASETS.flatMap((dataset) =>
  readdirSync(join(DATA, dataset))
    .filter((name) => name.endsWith('.gz'))
    .sort()
    .map((file) => {
      const gz = readFileSync(join(DATA, dataset, file));
      const raw = gunzipSync(gz);
      return {
        dataset,
        file,
        compressedBytes: gz.length,
        bytes: raw.length,
        sha256: createHash('sha256').update(raw).digest('hex'),
      };
    }),
);

writeFileSync(join(DATA, 'manifest.json'), `${JSON.stringify({ files }, null, 2)}\n`);
console.log(`wrote ${files.length} entries to public/data/manifest.json`);

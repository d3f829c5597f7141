/**
 * A dataset's fingerprint: 64 bits hashed from its images, labels and shapes, so that the same
 * files loaded again (after a reload, or in another browser) are known for the same dataset,
 * and runs trained on them find it. Not a cryptographic hash: it tells datasets apart, it does
 * not guard against forgery. Pure; no I/O.
 */
import type { ImageSet } from './dataset';

/** Two 32-bit lanes of MurmurHash3's mixing, each with its own seed and constants. */
class Hasher {
  private a = 0x9747b28c;
  private b = 0x2545f491;
  private words = 0;

  word(value: number): void {
    this.a = Hasher.step(this.a, value, 0xcc9e2d51, 0x1b873593);
    this.b = Hasher.step(this.b, value, 0x85ebca6b, 0xc2b2ae35);
    this.words++;
  }

  /** The bytes in little-endian 32-bit words, the last padded with zeros; their length goes in too. */
  bytes(data: Uint8Array): void {
    this.word(data.length);
    const whole = data.length >>> 2;
    if (data.byteOffset % 4 === 0) {
      const words = new Uint32Array(data.buffer, data.byteOffset, whole);
      for (let i = 0; i < whole; i++) this.word(words[i] ?? 0);
    } else {
      for (let i = 0; i < whole; i++) {
        const at = i * 4;
        this.word(((data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16) | ((data[at + 3] ?? 0) << 24)) >>> 0);
      }
    }
    let tail = 0;
    for (let at = whole * 4, shift = 0; at < data.length; at++, shift += 8) tail |= (data[at] ?? 0) << shift;
    if (data.length % 4 !== 0) this.word(tail >>> 0);
  }

  hex(): string {
    const finish = (h: number): number => {
      let x = (h ^ this.words) >>> 0;
      x ^= x >>> 16;
      x = Math.imul(x, 0x85ebca6b);
      x ^= x >>> 13;
      x = Math.imul(x, 0xc2b2ae35);
      x ^= x >>> 16;
      return x >>> 0;
    };
    return [finish(this.a), finish(this.b)].map((h) => h.toString(16).padStart(8, '0')).join('');
  }

  private static step(h: number, value: number, c1: number, c2: number): number {
    let k = Math.imul(value, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    const mixed = h ^ k;
    return (Math.imul((mixed << 13) | (mixed >>> 19), 5) + 0xe6546b64) | 0;
  }
}

/** 16 hex digits from both splits' shapes, images and labels. */
export function datasetFingerprint(splits: { readonly train: ImageSet; readonly test: ImageSet }): string {
  const hasher = new Hasher();
  for (const split of [splits.train, splits.test]) {
    hasher.word(split.count);
    hasher.word(split.height);
    hasher.word(split.width);
    hasher.bytes(split.images);
    hasher.bytes(split.labels);
  }
  return hasher.hex();
}

/** A user dataset's id: its content's fingerprint, the same whenever the same files are loaded. */
export const userDatasetId = (fingerprint: string): string => `custom-${fingerprint}`;

/** Whether an id is a fingerprint's (`userDatasetId`), not a built-in dataset's or one from before fingerprints. */
export const isUserDatasetId = (id: string): boolean => /^custom-[0-9a-f]{16}$/.test(id);

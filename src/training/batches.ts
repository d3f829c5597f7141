/**
 * Batching with Keras's semantics: the validation split is the last fraction of the arrays,
 * taken before shuffling; each epoch shuffles the rest with a seeded generator so the same
 * seed gives the same order. Pure; no tfjs.
 */

/**
 * A forward pass's share of a training step's time per image (a forward pass against forward
 * and backward): the time left and the run's progress weigh validation and test images by it.
 */
export const FORWARD_SHARE = 1 / 3;

/**
 * mulberry32: a tiny 32-bit generator (one state word, good statistical quality for
 * shuffling). Returns floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The generator's seed for one epoch's shuffle: a multiplicative hash of the run's seed, mod 2³².
 * `Math.imul` keeps it exact for every seed Keras takes (up to 2³² − 1); a float product lost
 * its low bits past about 3.4 million.
 */
export function shuffleSeed(seed: number, epoch: number): number {
  return (Math.imul(seed, 2654435761) + Math.imul(epoch, 40503) + 1) >>> 0;
}

/** A permutation of 0..count-1, the same for the same (seed, epoch): Fisher–Yates. */
export function shuffledIndices(count: number, seed: number, epoch: number): Int32Array {
  const random = mulberry32(shuffleSeed(seed, epoch));
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = indices[i] ?? 0;
    indices[i] = indices[j] ?? 0;
    indices[j] = a;
  }
  return indices;
}

/** Keras's split: `split_at = int(count * (1 - validation_split))`; validation is [split_at, count). */
export function splitValidation(count: number, validationSplit: number): { trainCount: number; validationStart: number; validationCount: number } {
  const splitAt = validationSplit > 0 ? Math.trunc(count * (1 - validationSplit)) : count;
  return { trainCount: splitAt, validationStart: splitAt, validationCount: count - splitAt };
}

/** Batches per epoch: the last one may be partial, as in Keras. */
export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

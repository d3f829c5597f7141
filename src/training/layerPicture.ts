/**
 * The first Dense or Conv2D layer's weights as pictures, the classic view of what a network
 * learnt: a Dense unit's weight for each pixel of its input image (a template it matches), a
 * Conv2D filter's kernel (the small pattern it slides over the image). Which layer, and the
 * arithmetic that lays its kernel out one picture per unit. Pure: no tfjs.
 */
import { layerNames, summarize } from './shapes';
import type { InputShape, ModelSpec } from './spec';

/** The layer pictured: its Keras name, kind, how many units or filters, and each one's picture size. */
export interface PicturedLayer {
  readonly index: number;
  readonly name: string;
  readonly kind: 'dense' | 'conv2d';
  readonly count: number;
  readonly height: number;
  readonly width: number;
}

/**
 * The first Dense or Conv2D layer of `spec` on images of `input`, or null without one. Only
 * Flatten, Dropout, BatchNormalization, pooling and Activation can come before it: none
 * adds channels, so its input is still one picture (pooled, perhaps) of one channel. A Dense
 * that comes first sees the image flattened (modelInputShape).
 */
export function picturedLayer(spec: Pick<ModelSpec, 'layers'>, input: InputShape): PicturedLayer | null {
  const index = spec.layers.findIndex((layer) => layer.type === 'dense' || layer.type === 'conv2d');
  const layer = spec.layers[index];
  if (layer === undefined) return null;
  const name = layerNames(spec.layers)[index] ?? layer.type;
  if (layer.type === 'conv2d') return { index, name, kind: 'conv2d', count: layer.filters, height: layer.kernelSize, width: layer.kernelSize };
  if (layer.type !== 'dense') return null;
  // A Dense unit's inputs are the pixels the last Flatten before it flattened; with none, the
  // model flattens the image for it (modelInputShape), and it sees the image itself.
  const flatten = spec.layers.slice(0, index).map((l) => l.type).lastIndexOf('flatten');
  if (flatten < 0 && index > 0) return null;
  const rows = summarize({ layers: spec.layers.slice(0, Math.max(flatten, 0)) }, input).rows;
  const [height, width, channels] = flatten <= 0 ? [input.height, input.width, input.channels] : (rows[flatten - 1]?.outputShape.slice(1) ?? []);
  if (height === null || width === null || height === undefined || width === undefined || channels !== 1) return null;
  return { index, name, kind: 'dense', count: layer.units, height, width };
}

/**
 * A kernel of `rows` × `count` (Dense: [inputs, units]; Conv2D: [k, k, 1, filters], the same
 * in memory) as `count` pictures of `rows` values each, one after another.
 */
export function kernelPictures(kernel: Float32Array, rows: number, count: number): Float32Array {
  if (kernel.length !== rows * count) throw new RangeError(`a kernel of ${kernel.length} values is not ${rows} × ${count}`);
  const out = new Float32Array(kernel.length);
  for (let r = 0; r < rows; r++) for (let u = 0; u < count; u++) out[u * rows + r] = kernel[r * count + u] ?? 0;
  return out;
}

/**
 * Weights as pixels, for the first-layer pictures: a diverging scale (blue below 0, white at
 * 0, red above), each picture scaled to its own largest weight, pictures tiled in a grid with
 * a 1-pixel gap. Pure: it fills an RGBA array that a canvas then shows.
 */

/** Red for positive, blue for negative: the runs' first two colours. */
const POSITIVE = [220, 38, 38] as const;
const NEGATIVE = [37, 99, 235] as const;
const GAP = [226, 232, 240] as const;

/** The colour of `v` in [−1, 1]: white at 0, the full colour at ±1 (clamped beyond). */
export function divergingRgb(v: number): [number, number, number] {
  const t = Math.min(1, Math.abs(Number.isFinite(v) ? v : 0));
  const end = v < 0 ? NEGATIVE : POSITIVE;
  return [Math.round(255 + (end[0] - 255) * t), Math.round(255 + (end[1] - 255) * t), Math.round(255 + (end[2] - 255) * t)];
}

/** A grid of `count` pictures of `height` × `width` values, `columns` to a row. */
export interface PictureGrid {
  readonly width: number;
  readonly height: number;
  /** RGBA, row by row. */
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;
}

export function paintPictures(values: Float32Array, count: number, height: number, width: number, columns: number): PictureGrid {
  const rows = Math.ceil(count / columns);
  const gridWidth = columns * (width + 1) - 1;
  const gridHeight = rows * (height + 1) - 1;
  const rgba = new Uint8ClampedArray(gridWidth * gridHeight * 4);
  for (let i = 0; i < gridWidth * gridHeight; i++) rgba.set([...GAP, 255], i * 4);
  const size = height * width;
  for (let p = 0; p < count; p++) {
    const picture = values.subarray(p * size, (p + 1) * size);
    let largest = 0;
    for (const v of picture) largest = Math.max(largest, Math.abs(v));
    const left = (p % columns) * (width + 1);
    const top = Math.floor(p / columns) * (height + 1);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = picture[y * width + x] ?? 0;
        rgba.set([...divergingRgb(largest > 0 ? v / largest : 0), 255], ((top + y) * gridWidth + left + x) * 4);
      }
    }
  }
  return { width: gridWidth, height: gridHeight, rgba };
}

import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS } from './datasets';
import { centreOfMass, inkFromRgba, MNIST_DRAWING_LAYOUT, MNIST_STROKE, preprocessDrawing, smallDrawingWords, strokeWidthForPad, type InkRaster } from './drawing';

/** A blank pad of size w × h. */
const blank = (w: number, h = w): InkRaster => ({ width: w, height: h, data: new Float32Array(w * h) });

/** Fills the rectangle [x, x + w) × [y, y + h) with `value`. */
function fill(ink: InkRaster, x: number, y: number, w: number, h: number, value = 1): InkRaster {
  for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) ink.data[yy * ink.width + xx] = value;
  return ink;
}

/**
 * The ink's extent along each axis, in pixels: Σ (row's ink / fullest row's ink) over rows
 * (and likewise columns). A 20-px bar placed at a sub-pixel offset covers 21 rows, two of
 * them partly; its extent is still 20.
 */
function extent(pixels: Float32Array, w: number, h: number): { width: number; height: number } {
  const rows = Array.from({ length: h }, (_, y) => pixels.subarray(y * w, (y + 1) * w).reduce((a, b) => a + b, 0));
  const columns = Array.from({ length: w }, (_, x) => rows.reduce((sum, _row, y) => sum + (pixels[y * w + x] ?? 0), 0));
  const measure = (sums: number[]): number => Math.round((sums.reduce((a, b) => a + b, 0) / Math.max(...sums)) * 100) / 100;
  return { width: measure(columns), height: measure(rows) };
}

const rowSum = (pixels: Float32Array, w: number, y: number): number => pixels.subarray(y * w, (y + 1) * w).reduce((a, b) => a + b, 0);

describe('preprocessDrawing', () => {
  it('centres a small off-centre blob by its mass, within half a pixel of (14, 14)', () => {
    // An L-shaped blob in the top-left corner: its mass centre is not its box centre.
    const ink = fill(fill(blank(280), 20, 30, 20, 60), 20, 70, 50, 20);
    const result = preprocessDrawing(ink);
    expect(result).not.toBeNull();
    if (!result) return;
    expect(result.box).toEqual({ x: 20, y: 30, width: 50, height: 60 });
    expect(Math.abs(result.centreOfMass.x - 14)).toBeLessThan(0.5);
    expect(Math.abs(result.centreOfMass.y - 14)).toBeLessThan(0.5);
    const measured = centreOfMass(result.pixels, 28, 28);
    expect(measured).toEqual(result.centreOfMass);
  });

  it('keeps a tall thin stroke tall and thin: 20 px high, a few px wide', () => {
    const result = preprocessDrawing(fill(blank(280), 200, 40, 10, 200));
    expect(result).not.toBeNull();
    if (!result) return;
    const size = extent(result.pixels, 28, 28);
    expect(size.height).toBe(20);
    expect(size.width).toBeLessThanOrEqual(3);
    // The stroke's ink per row: 10 px × (20 / 200) = 1 px of full ink.
    expect(rowSum(result.pixels, 28, 14)).toBeCloseTo(1, 1);
  });

  it("lays a drawing out as Fashion-MNIST's images are: the longer side 28 px, the box centred", () => {
    // An L: its mass is off its box's centre, which Fashion-MNIST's layout ignores.
    const ink = fill(fill(blank(280), 60, 40, 40, 200), 60, 200, 120, 40);
    const result = preprocessDrawing(ink, { layout: BUILTIN_DATASETS['fashion-mnist'].drawing });
    expect(result).not.toBeNull();
    if (!result) return;
    // 200 px tall → all 28 rows; 120 px wide → 16.8 columns, with (28 − 16.8) / 2 = 5.6 px each side.
    expect(rowSum(result.pixels, 28, 0)).toBeGreaterThan(0);
    expect(rowSum(result.pixels, 28, 27)).toBeGreaterThan(0);
    const columnInk = (x: number): number => Array.from({ length: 28 }, (_, y) => result.pixels[y * 28 + x] ?? 0).reduce((a, b) => a + b, 0);
    expect([4, 5, 22, 23].map((x) => columnInk(x) > 0)).toEqual([false, true, true, false]);
    // Its mass leans to the L's upright, left of centre: MNIST's layout would have moved it.
    expect(result.centreOfMass.x).toBeLessThan(13);
  });

  it('keeps a wide short stroke wide: 20 px wide, a few px high', () => {
    const result = preprocessDrawing(fill(blank(300, 200), 10, 150, 250, 12));
    expect(result).not.toBeNull();
    if (!result) return;
    const size = extent(result.pixels, 28, 28);
    expect(size.width).toBe(20);
    expect(size.height).toBeLessThanOrEqual(3);
  });

  it('returns null for an empty pad', () => {
    expect(preprocessDrawing(blank(280))).toBeNull();
  });

  it('returns null for faint noise below the threshold', () => {
    const ink = blank(100);
    for (let i = 0; i < ink.data.length; i++) ink.data[i] = ((i * 7919) % 97) / 97 * 0.09;
    expect(preprocessDrawing(ink)).toBeNull();
    // The same noise with one real dot of ink is a drawing.
    ink.data[5050] = 1;
    expect(preprocessDrawing(ink)).not.toBeNull();
  });

  it('always produces 28×28 values in [0, 1]', () => {
    const shapes: InkRaster[] = [
      fill(blank(280), 100, 100, 3, 3),
      fill(blank(280), 0, 0, 280, 280),
      fill(blank(50, 400), 0, 0, 50, 400, 0.7),
      fill(blank(28), 27, 27, 1, 1),
      fill(fill(blank(280), 0, 0, 30, 30), 250, 250, 30, 30),
    ];
    for (const ink of shapes) {
      const result = preprocessDrawing(ink);
      expect(result).not.toBeNull();
      if (!result) continue;
      expect(result.pixels).toHaveLength(28 * 28);
      expect([result.width, result.height]).toEqual([28, 28]);
      for (const v of result.pixels) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });

  it('turns a large filled square into a 20×20 square of full ink (max ≈ 1)', () => {
    const result = preprocessDrawing(fill(blank(280), 40, 40, 200, 200));
    expect(result).not.toBeNull();
    if (!result) return;
    expect(Math.max(...result.pixels)).toBeCloseTo(1, 5);
    expect(result.pixels.reduce((a, b) => a + b, 0)).toBeCloseTo(400, 1);
    expect(extent(result.pixels, 28, 28)).toEqual({ width: 20, height: 20 });
  });

  it('anti-aliases when downscaling: a 1-px pad line keeps its ink as grey, not dropped or doubled', () => {
    // A 200-px-tall frame 1 px thick: nearest neighbour would keep or drop whole lines.
    const ink = fill(fill(blank(280), 40, 40, 200, 1), 40, 40, 1, 200);
    const result = preprocessDrawing(ink);
    expect(result).not.toBeNull();
    if (!result) return;
    // Total ink scales with the area: (200 + 199) px × 0.1 (length) × 0.1 (thickness) ≈ 4.
    expect(result.pixels.reduce((a, b) => a + b, 0)).toBeCloseTo(3.99, 1);
    expect(Math.max(...result.pixels)).toBeLessThan(0.5);
  });

  it('scales a tiny drawing up smoothly to fill the 20-px box', () => {
    const result = preprocessDrawing(fill(blank(28), 10, 10, 2, 8));
    expect(result).not.toBeNull();
    if (!result) return;
    expect(extent(result.pixels, 28, 28).height).toBe(20);
    expect(Math.max(...result.pixels)).toBeCloseTo(1, 5);
  });

  it('clamps the placement so a lopsided digit loses no ink off the edge', () => {
    // A bar with a heavy blob at its very bottom: centring the mass would push the top off the field.
    const ink = fill(fill(blank(280), 100, 20, 4, 240), 60, 200, 80, 60);
    const result = preprocessDrawing(ink);
    expect(result).not.toBeNull();
    if (!result) return;
    const scale = 20 / 240;
    const inputInk = ink.data.reduce((a, b) => a + b, 0);
    expect(result.pixels.reduce((a, b) => a + b, 0)).toBeCloseTo(inputInk * scale * scale, 1);
    expect(result.pixels.subarray(0, 28).some((v) => v > 0)).toBe(true);
  });

  it('fits the ink in 20/28 of another output size, with the centre of mass at its centre', () => {
    const result = preprocessDrawing(fill(blank(280), 60, 60, 100, 100), { size: { height: 56, width: 42 } });
    expect(result).not.toBeNull();
    if (!result) return;
    expect(result.pixels).toHaveLength(56 * 42);
    expect(extent(result.pixels, 42, 56)).toEqual({ width: 30, height: 30 });
    expect(Math.abs(result.centreOfMass.x - 21)).toBeLessThan(0.5);
    expect(Math.abs(result.centreOfMass.y - 28)).toBeLessThan(0.5);
  });

  it('turns the recommended pad stroke into an MNIST-like 2–3 px stroke', () => {
    const pad = 280;
    const stroke = strokeWidthForPad(pad);
    expect(stroke).toBe(22);
    const digit = Math.round(pad * MNIST_STROKE.digitFractionOfPad);
    const result = preprocessDrawing(fill(blank(pad), 130, 40, stroke, digit));
    expect(result).not.toBeNull();
    if (!result) return;
    const width = rowSum(result.pixels, 28, 14);
    expect(width).toBeGreaterThanOrEqual(2);
    expect(width).toBeLessThanOrEqual(3);
    expect(width).toBeCloseTo(MNIST_STROKE.outputWidth, 0);
  });
});

describe('smallDrawingWords', () => {
  it("says how thick a digit drawn small comes out once scaled to MNIST's 20×20 box, and that any drawing is answered", () => {
    // A fifth of the pad across: the pen's 0.08 of the pad is 0.4 of the box, 8 of its 20 pixels.
    expect(smallDrawingWords(0.2, MNIST_DRAWING_LAYOUT, 28, 10)).toBe(
      'Drawn small (20% of the pad across), its strokes come out about 8 pixels thick once it is scaled to fill 20×20 pixels, as MNIST\'s digits were; theirs are about 2. Draw it larger for a fairer answer. Whatever it is shown, the model picks one of its 10 classes: softmax has no "none of these".',
    );
    // A dot (the pen's own width) fills the box.
    expect(smallDrawingWords(MNIST_STROKE.fractionOfPad, MNIST_DRAWING_LAYOUT, 28, 10)).toMatch(/^Drawn small \(8% of the pad across\), its strokes come out about 20 pixels thick /);
  });

  it('is silent for a digit drawn at the size the pen is made for, and for a layout of filled silhouettes', () => {
    expect(smallDrawingWords(MNIST_STROKE.digitFractionOfPad, MNIST_DRAWING_LAYOUT, 28, 10)).toBeNull();
    expect(smallDrawingWords(0.3, MNIST_DRAWING_LAYOUT, 28, 10)).toBeNull();
    expect(smallDrawingWords(0.1, BUILTIN_DATASETS['fashion-mnist'].drawing, 28, 10)).toBeNull();
  });

  it("counts pixels in the model's own image size for a dataset laid out as MNIST's", () => {
    // 56×56 images: a box of 40, MNIST's pen 4.4 of it.
    expect(smallDrawingWords(0.2, MNIST_DRAWING_LAYOUT, 56, 3)).toMatch(/about 16 pixels thick once it is scaled to fill 40×40 pixels, as MNIST's digits were; theirs are about 4\. .* one of its 3 classes/);
  });
});

describe('centreOfMass', () => {
  it('is the intensity-weighted mean position, null without ink', () => {
    const pixels = new Float32Array(4 * 3);
    expect(centreOfMass(pixels, 4, 3)).toBeNull();
    pixels[1 * 4 + 1] = 1;
    pixels[2 * 4 + 3] = 3;
    expect(centreOfMass(pixels, 4, 3)).toEqual({ x: (1 + 9) / 4, y: (1 + 6) / 4 });
  });
});

/** An RGBA image filled with one colour, with a rectangle of another. */
function rgba(w: number, h: number, background: readonly number[], ink: readonly number[], rect: readonly [number, number, number, number]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(w * h * 4);
  const [rx, ry, rw, rh] = rect;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = x >= rx && x < rx + rw && y >= ry && y < ry + rh;
      out.set(inside ? ink : background, (y * w + x) * 4);
    }
  }
  return out;
}

describe('inkFromRgba', () => {
  const rect = [4, 5, 3, 6] as const;
  const at = (ink: InkRaster, x: number, y: number): number => ink.data[y * ink.width + x] ?? Number.NaN;

  it('reads the pad: white ink on opaque black is its luminance', () => {
    const ink = inkFromRgba(rgba(12, 14, [0, 0, 0, 255], [255, 255, 255, 255], rect), 12, 14);
    expect(at(ink, 5, 7)).toBeCloseTo(1, 5);
    expect(at(ink, 0, 0)).toBe(0);
  });

  it('inverts a photo of a dark digit on light, greyish paper, stretched to full contrast', () => {
    const ink = inkFromRgba(rgba(12, 14, [210, 205, 200, 255], [40, 40, 50, 255], rect), 12, 14);
    expect(at(ink, 5, 7)).toBeCloseTo(1, 5);
    expect(at(ink, 0, 0)).toBe(0);
    expect(at(ink, 11, 13)).toBe(0);
    const result = preprocessDrawing(ink);
    expect(result).not.toBeNull();
    expect(result?.box).toEqual({ x: 4, y: 5, width: 3, height: 6 });
  });

  it('reads black ink, and white ink, on a transparent canvas by its alpha', () => {
    const black = inkFromRgba(rgba(12, 14, [0, 0, 0, 0], [0, 0, 0, 255], rect), 12, 14);
    const white = inkFromRgba(rgba(12, 14, [0, 0, 0, 0], [255, 255, 255, 255], rect), 12, 14);
    for (const ink of [black, white]) {
      expect(at(ink, 5, 7)).toBeCloseTo(1, 5);
      expect(at(ink, 0, 0)).toBe(0);
    }
    const soft = inkFromRgba(rgba(12, 14, [0, 0, 0, 0], [0, 0, 0, 128], rect), 12, 14);
    expect(at(soft, 5, 7)).toBeCloseTo(128 / 255, 5);
  });

  it('gives a blank photo no ink, so it predicts nothing', () => {
    const ink = inkFromRgba(rgba(12, 14, [200, 200, 200, 255], [195, 195, 195, 255], rect), 12, 14);
    expect(ink.data.every((v) => v === 0)).toBe(true);
    expect(preprocessDrawing(ink)).toBeNull();
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => inkFromRgba(new Uint8ClampedArray(10), 2, 2)).toThrow(/16 RGBA bytes/);
  });
});

/**
 * A drawing (or a dropped photo) → the image a model expects, made the way its dataset's
 * images were made. MNIST's way (the default): find the ink's bounding box, scale it to fit a
 * 20×20 box keeping its aspect ratio with an anti-aliasing resampler, and place it in a 28×28
 * field so that its centre of mass sits at the centre. Fashion-MNIST's: the longer side fills
 * all 28 pixels and the box is centred (`DrawingLayout`). Pure: no DOM, no canvas, no tfjs;
 * the caller reads the canvas's RGBA bytes and hands them in.
 *
 * Conventions. Ink rasters hold ink intensity in [0, 1] (0 = paper, 1 = full ink) as a
 * Float32Array, row-major. The drawing pad draws white ink on an opaque black background,
 * like MNIST itself; `inkFromRgba` also accepts black (or any) ink on a transparent canvas and
 * photos of dark digits on light paper. Coordinates are pixel indices: pixel (x, y)'s centre is
 * at (x, y). The centre of mass goes to (width / 2, height / 2) = (14, 14): MNIST's own
 * training images have their mean centre of mass there (14.0 ± 0.3 in both axes; the spread
 * is MNIST's whole-pixel shifts, which we refine to sub-pixel).
 */
import { median } from './stats';

/** A grayscale ink image: `data[y * width + x]` is ink intensity in [0, 1]. */
export interface InkRaster {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** A rectangle of pixels: its top-left pixel and its size. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A point in pixel-index coordinates. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** How a dataset's images were laid out: a drawing is made to match. */
export interface DrawingLayout {
  /** The ink's longer side, as a fraction of the image's side: 20/28 in MNIST. */
  readonly boxFraction: number;
  /** What is put at the image's centre: the ink's centre of mass (MNIST) or its bounding box's centre. */
  readonly centre: 'mass' | 'box';
}

/** Output size (the dataset's image size), layout and the ink threshold. */
export interface PreprocessOptions {
  /** The model's image size; 28×28 by default. */
  readonly size?: { readonly height: number; readonly width: number };
  /** How the dataset's images were laid out; MNIST's by default. */
  readonly layout?: DrawingLayout;
  /** Intensity at or below which a pixel counts as paper, not ink (default 0.1). */
  readonly threshold?: number;
}

/** What `preprocessDrawing` produces. */
export interface PreprocessedDrawing {
  /** height × width intensities in [0, 1], white ink (1) on black (0), row-major. */
  readonly pixels: Float32Array;
  readonly width: number;
  readonly height: number;
  /** The ink's bounding box in the input raster. */
  readonly box: PixelBox;
  /** The output's intensity-weighted centre, in pixel-index coordinates. */
  readonly centreOfMass: Point;
}

/** MNIST's layout: digits were scaled into a 20×20 box inside the 28×28 image. */
export const MNIST_LAYOUT = { size: 28, box: 20 } as const;

/** MNIST's images as a DrawingLayout: the longer side 20/28 of the image, centred by mass. */
export const MNIST_DRAWING_LAYOUT: DrawingLayout = { boxFraction: MNIST_LAYOUT.box / MNIST_LAYOUT.size, centre: 'mass' };

/**
 * The pad stroke that comes out like MNIST's pen: about 2–3 px wide in the 28×28 image.
 * Reasoning: the ink's box is scaled to 20 px; on a 280 px pad a digit is drawn about 200 px
 * tall (`digitFractionOfPad` ≈ 0.7), so the scale factor is 20 / 200 = 0.1, and a stroke of
 * 0.08 × 280 ≈ 22 px becomes ≈ 2.2 px. Use `strokeWidthForPad(padSize)` for the pixel width.
 */
export const MNIST_STROKE = {
  /** Stroke width as a fraction of the pad's side. */
  fractionOfPad: 0.08,
  /** How tall a digit is typically drawn, as a fraction of the pad's side. */
  digitFractionOfPad: 0.7,
  /** The stroke width this gives in the 28×28 image, in pixels. */
  outputWidth: 2.2,
} as const;

/** The recommended stroke width in pixels for a square pad of `padSize` pixels. */
export function strokeWidthForPad(padSize: number): number {
  return Math.max(1, Math.round(padSize * MNIST_STROKE.fractionOfPad));
}

/** How many times MNIST's pen width a drawing's strokes may come out before `smallDrawingWords` speaks of them. */
const THICK_STROKES = 2.5;

/**
 * Why a drawing drawn small is answered badly, when it is: the pad's pen is a fixed share of
 * the pad (`MNIST_STROKE.fractionOfPad`), and the ink's box is scaled to the layout's box, so
 * a drawing spanning `span` of the pad (its longer side) comes out with strokes
 * fractionOfPad / span × box pixels wide: 0.08 / 0.2 × 20 = 8 px, against MNIST's 2.2. Said for
 * layouts centred by mass (digits), where thin strokes are what the images hold; null when the
 * strokes stay under 2.5 times MNIST's share of the box (a span over about 0.29).
 */
export function smallDrawingWords(span: number, layout: DrawingLayout, height: number, classCount: number): string | null {
  if (layout.centre !== 'mass' || !(span > 0)) return null;
  // Stroke widths as shares of the box the ink fills: the pad's pen at this span, and MNIST's pen (2.2 of 20).
  const share = MNIST_STROKE.fractionOfPad / span;
  const mnistShare = MNIST_STROKE.outputWidth / MNIST_LAYOUT.box;
  if (share < THICK_STROKES * mnistShare) return null;
  const box = Math.round(layout.boxFraction * height);
  const pixels = (value: number): number => Math.max(1, Math.min(box, Math.round(value * box)));
  return `Drawn small (${Math.max(1, Math.round(span * 100))}% of the pad across), its strokes come out about ${pixels(share)} pixels thick once it is scaled to fill ${box}×${box} pixels, as MNIST's digits were; theirs are about ${pixels(mnistShare)}. Draw it larger for a fairer answer. Whatever it is shown, the model picks one of its ${classCount} classes: softmax has no "none of these".`;
}

const DEFAULT_THRESHOLD = 0.1;

/** Smallest ink-to-background contrast `inkFromRgba` treats as ink rather than a blank image. */
const MIN_CONTRAST = 0.1;

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Indices of the pixels on the image's outer edge. */
function borderIndices(width: number, height: number): number[] {
  const indices: number[] = [];
  for (let x = 0; x < width; x++) {
    indices.push(x);
    if (height > 1) indices.push((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    indices.push(y * width);
    if (width > 1) indices.push(y * width + width - 1);
  }
  return indices;
}

/**
 * Canvas RGBA bytes → ink intensity in [0, 1], whatever the ink's colour.
 *
 * - A transparent canvas (the border's mean alpha below ½): the ink is where paint is, so
 *   intensity = alpha. Black ink and white ink both work.
 * - An opaque image: each pixel's luminance (Rec. 601: 0.299 R + 0.587 G + 0.114 B), with any
 *   transparent pixels composited over the background. The border's mean luminance decides
 *   the polarity: a light border means dark ink on light paper (a photo), which is inverted.
 *   Ink is then the distance from the background level (the border's median), stretched so the
 *   strongest ink is 1: grey paper and grey pencil become clean white-on-black.
 */
export function inkFromRgba(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): InkRaster {
  const count = width * height;
  if (rgba.length !== count * 4) throw new Error(`inkFromRgba: expected ${count * 4} RGBA bytes for ${width}×${height}, got ${rgba.length}.`);
  const data = new Float32Array(count);
  if (count === 0) return { width, height, data };
  const border = borderIndices(width, height);
  const alpha = (i: number): number => (rgba[i * 4 + 3] ?? 0) / 255;
  const borderAlpha = border.reduce((sum, i) => sum + alpha(i), 0) / border.length;

  if (borderAlpha < 0.5) {
    for (let i = 0; i < count; i++) data[i] = alpha(i);
    return { width, height, data };
  }

  const luminance = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const r = rgba[i * 4] ?? 0;
    const g = rgba[i * 4 + 1] ?? 0;
    const b = rgba[i * 4 + 2] ?? 0;
    luminance[i] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  }
  const borderLuminance = border.map((i) => luminance[i] ?? 0);
  const background = median(borderLuminance);
  const lightBackground = borderLuminance.reduce((a, b) => a + b, 0) / border.length > 0.5;
  let peak = 0;
  for (let i = 0; i < count; i++) {
    const a = alpha(i);
    const composited = a * (luminance[i] ?? 0) + (1 - a) * background;
    const ink = Math.max(0, lightBackground ? background - composited : composited - background);
    data[i] = ink;
    if (ink > peak) peak = ink;
  }
  const gain = peak >= MIN_CONTRAST ? 1 / peak : 0;
  for (let i = 0; i < count; i++) data[i] = clamp01((data[i] ?? 0) * gain);
  return { width, height, data };
}

/**
 * The intensity-weighted mean position, Σ position × intensity / Σ intensity, in pixel-index
 * coordinates; null when there is no ink at all.
 */
export function centreOfMass(pixels: ArrayLike<number>, width: number, height: number): Point | null {
  let total = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x] ?? 0;
      total += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  return total > 0 ? { x: sumX / total, y: sumY / total } : null;
}

/** The smallest box holding every pixel above `threshold`; null when there is none. */
export function inkBox(ink: InkRaster, threshold = DEFAULT_THRESHOLD): PixelBox | null {
  let x0 = ink.width;
  let y0 = ink.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < ink.height; y++) {
    for (let x = 0; x < ink.width; x++) {
      if ((ink.data[y * ink.width + x] ?? 0) > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** For one output pixel along an axis: the source pixels it reads and their weights (summing to 1). */
type AxisWeights = { readonly index: Int32Array; readonly weight: Float32Array }[];

/**
 * Resampling weights along one axis, for the map output = origin + scale × source (in edge
 * coordinates: source pixel i covers [i, i + 1)).
 *
 * Downscaling (scale ≤ 1) is area averaging: output pixel X covers the source interval
 * [(X − origin) / scale, (X + 1 − origin) / scale); each source pixel weighs by how much of it
 * lies inside, times scale, so a fully covered footprint's weights sum to 1 (a box filter, which
 * anti-aliases instead of skipping pixels as nearest neighbour would). Upscaling is linear
 * interpolation between pixel centres. Either way nothing is drawn outside
 * [origin, origin + scale × n): the content's own footprint.
 */
function axisWeights(n: number, scale: number, origin: number, outLength: number): AxisWeights {
  const result: AxisWeights = [];
  for (let X = 0; X < outLength; X++) {
    const indices: number[] = [];
    const weights: number[] = [];
    if (scale <= 1) {
      const start = (X - origin) / scale;
      const end = (X + 1 - origin) / scale;
      for (let i = Math.max(0, Math.floor(start)); i < Math.min(n, Math.ceil(end)); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 0) {
          indices.push(i);
          weights.push(overlap * scale);
        }
      }
    } else {
      // The output pixel's centre, as a source position with pixel centres at i + 0.5.
      const centre = (X + 0.5 - origin) / scale;
      if (centre >= 0 && centre < n) {
        const u = centre - 0.5;
        const i0 = Math.floor(u);
        const f = u - i0;
        const lo = Math.min(n - 1, Math.max(0, i0));
        const hi = Math.min(n - 1, Math.max(0, i0 + 1));
        if (lo === hi) {
          indices.push(lo);
          weights.push(1);
        } else {
          indices.push(lo, hi);
          weights.push(1 - f, f);
        }
      }
    }
    result.push({ index: Int32Array.from(indices), weight: Float32Array.from(weights) });
  }
  return result;
}

/** Renders `crop` (cw × ch) scaled by `scale` with its top-left edge at (ox, oy) into a width × height field. */
function render(crop: Float32Array, cw: number, ch: number, scale: number, ox: number, oy: number, width: number, height: number): Float32Array {
  const wx = axisWeights(cw, scale, ox, width);
  const wy = axisWeights(ch, scale, oy, height);
  // Separable: resample each crop row horizontally, then the columns vertically.
  const rows = new Float32Array(ch * width);
  for (let y = 0; y < ch; y++) {
    for (let X = 0; X < width; X++) {
      const w = wx[X];
      if (!w) continue;
      let sum = 0;
      for (let k = 0; k < w.index.length; k++) sum += (w.weight[k] ?? 0) * (crop[y * cw + (w.index[k] ?? 0)] ?? 0);
      rows[y * width + X] = sum;
    }
  }
  const out = new Float32Array(width * height);
  for (let Y = 0; Y < height; Y++) {
    const w = wy[Y];
    if (!w) continue;
    for (let X = 0; X < width; X++) {
      let sum = 0;
      for (let k = 0; k < w.index.length; k++) sum += (w.weight[k] ?? 0) * (rows[(w.index[k] ?? 0) * width + X] ?? 0);
      out[Y * width + X] = clamp01(sum);
    }
  }
  return out;
}

/**
 * A drawing → the model's input, as its dataset's images were made (MNIST's way unless
 * `options.layout` says otherwise); null when there is no ink (an empty pad predicts nothing).
 *
 * 1. The bounding box of the pixels above the threshold (fainter pixels count as paper).
 * 2. Scale the box by s = min(boxH / h, boxW / w), where the target box is the layout's
 *    fraction of the output (20×20 for MNIST's 28×28): the longer side fills it and the
 *    aspect ratio is kept.
 * 3. Centred by mass: place it so that its centre of mass lands on the field's centre
 *    (width/2, height/2): a sub-pixel placement, done in the same single resampling pass (no
 *    second blur), then corrected once by the measured residual. The placement is clamped so
 *    the whole box stays inside the field. Centred by box: the box's centre goes there.
 */
export function preprocessDrawing(ink: InkRaster, options: PreprocessOptions = {}): PreprocessedDrawing | null {
  const { width: W, height: H } = options.size ?? { width: MNIST_LAYOUT.size, height: MNIST_LAYOUT.size };
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (ink.data.length !== ink.width * ink.height) {
    throw new Error(`preprocessDrawing: expected ${ink.width * ink.height} pixels for ${ink.width}×${ink.height}, got ${ink.data.length}.`);
  }
  if (!(Number.isInteger(W) && Number.isInteger(H) && W >= 1 && H >= 1)) throw new Error(`preprocessDrawing: bad output size ${W}×${H}.`);
  const box = inkBox(ink, threshold);
  if (box === null) return null;

  const crop = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const v = ink.data[(box.y + y) * ink.width + box.x + x] ?? 0;
      crop[y * box.width + x] = v > threshold ? clamp01(v) : 0;
    }
  }
  const layout = options.layout ?? MNIST_DRAWING_LAYOUT;
  const scale = Math.min((H * layout.boxFraction) / box.height, (W * layout.boxFraction) / box.width);
  const pixels =
    layout.centre === 'box'
      ? render(crop, box.width, box.height, scale, (W - box.width * scale) / 2, (H - box.height * scale) / 2, W, H)
      : renderCentredByMass(crop, box.width, box.height, scale, W, H);
  const centre = centreOfMass(pixels, W, H);
  return centre === null ? null : { pixels, width: W, height: H, box, centreOfMass: centre };
}

/** The crop scaled by `scale` into a W × H field with its centre of mass at the field's centre, the whole crop kept inside. */
function renderCentredByMass(crop: Float32Array, cw: number, ch: number, scale: number, W: number, H: number): Float32Array {
  const scaledW = cw * scale;
  const scaledH = ch * scale;
  // The crop's centre of mass maps to origin + scale × (c + ½) in edge coordinates, which is
  // pixel index origin + scale × (c + ½) − ½. Solve for the origin that puts it at W/2, H/2.
  const cropCentre = centreOfMass(crop, cw, ch) ?? { x: (cw - 1) / 2, y: (ch - 1) / 2 };
  const place = (target: number, c: number, field: number, size: number): number =>
    Math.min(Math.max(target + 0.5 - scale * (c + 0.5), 0), Math.max(0, field - size));
  const ox = place(W / 2, cropCentre.x, W, scaledW);
  const oy = place(H / 2, cropCentre.y, H, scaledH);
  const pixels = render(crop, cw, ch, scale, ox, oy, W, H);

  // Pixel grids sample the moved mass unevenly by up to a fraction of a pixel: measure and correct once.
  const measured = centreOfMass(pixels, W, H);
  if (measured === null) return pixels;
  const nx = Math.min(Math.max(ox + W / 2 - measured.x, 0), Math.max(0, W - scaledW));
  const ny = Math.min(Math.max(oy + H / 2 - measured.y, 0), Math.max(0, H - scaledH));
  return nx === ox && ny === oy ? pixels : render(crop, cw, ch, scale, nx, ny, W, H);
}

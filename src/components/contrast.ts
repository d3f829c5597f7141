/**
 * Readable text on coloured cells: pick black or white, whichever contrasts more with the
 * background by WCAG's relative luminance. Contrast with black is (L + 0.05) / 0.05 and with
 * white 1.05 / (L + 0.05); they cross at L ≈ 0.179.
 */

const channel = (value: number): number => {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** WCAG's relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export const luminance = (r: number, g: number, b: number): number => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

/** Black or white text for an sRGB background. */
export function textOn(r: number, g: number, b: number): string {
  const l = luminance(r, g, b);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}

/** Black or white text for a grey level 0–255. */
export function textOnGrey(value: number): string {
  return textOn(value, value, value);
}

/** `rgb` blended over white with opacity `alpha`, as CSS and as the colour text should take on it. */
export function tint(rgb: readonly [number, number, number], alpha: number): { background: string; color: string } {
  const [r, g, b] = rgb.map((c) => Math.round(alpha * c + (1 - alpha) * 255)) as [number, number, number];
  return { background: `rgb(${r},${g},${b})`, color: textOn(r, g, b) };
}

const RIGHT = [4, 120, 87] as const;
const WRONG = [185, 28, 28] as const;

/**
 * A confusion-matrix cell's colours, the same in every matrix of the app: green for right
 * (the diagonal, or a change for the better), red for wrong, deeper as `strength` (0–1) grows.
 */
export function confusionTint(right: boolean, strength: number): { background: string; color: string } {
  return tint(right ? RIGHT : WRONG, Math.min(1, strength));
}

/**
 * A matrix cell's colours by its share of its row: the diagonal (right) deeper as its share
 * grows; a mistake by the square root of its share, so that a mistake of a few percent, as
 * most are, shows (6% was a pink hardly apart from one image's) and a 47% one still stands
 * out. The same scale in every matrix, so that two runs' matrices compare by colour too.
 */
export function shareTint(right: boolean, share: number): { background: string; color: string } {
  return confusionTint(right, right ? 0.08 + share * 0.92 : 0.04 + Math.sqrt(share) * 0.96);
}

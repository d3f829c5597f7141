import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_COLORS } from '../store';
import { NEUTRAL_LINE } from './chartParts';
import { luminance } from './contrast';

/** Recharts' axis ticks and labels, which the charts keep. */
const TICK_GREY = '#666666';
/** The background of a dark grey high-contrast theme (Windows' Dusk), lighter than black. */
const DARK_GREY = '#2d3236';

type Rgb = readonly [number, number, number];
const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
/** WCAG's contrast between two colours. */
function contrast(a: Rgb, b: Rgb): number {
  const [high, low] = [luminance(...a), luminance(...b)].sort((x, y) => y - x);
  return ((high ?? 0) + 0.05) / ((low ?? 0) + 0.05);
}
/** CIE76 ΔE between two sRGB colours (D65), how far apart they look. */
function colourDistance(a: Rgb, b: Rgb): number {
  const lab = ([r, g, bl]: Rgb): number[] => {
    const linear = [r, g, bl].map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    const [R = 0, G = 0, B = 0] = linear;
    const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
    const [x, y, z] = [f((0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047), f(0.2126 * R + 0.7152 * G + 0.0722 * B), f((0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883)];
    return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
  };
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(...p.map((v, i) => v - (q[i] ?? 0)));
}
const closestPair = (colours: readonly Rgb[]): number => Math.min(...colours.flatMap((a, i) => colours.slice(i + 1).map((b) => colourDistance(a, b))));

describe('the charts\' colours in a dark high-contrast theme', () => {
  const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');
  const factor = Number(/\(forced-colors: active\) and \(prefers-color-scheme: dark\)\s*\{[^}]*brightness\(([\d.]+)\)/.exec(css)?.[1]);
  /** As CSS's brightness() does it: each sRGB channel times the factor, at most 255. */
  const brightened = (colour: Rgb): Rgb => colour.map((c) => Math.min(255, c * factor)) as unknown as Rgb;
  const lines = [...RUN_COLORS, NEUTRAL_LINE].map(rgb);
  const black: Rgb = [0, 0, 0];

  it('are brightened there, some of them too dim on black as authored for a light page: lines under 3:1, tick labels under 4.5:1', () => {
    expect(factor).toBeGreaterThan(1);
    expect(RUN_COLORS.filter((c) => contrast(rgb(c), black) < 3)).toEqual(['#4b5563', '#92400e']);
    expect(contrast(rgb(TICK_GREY), black)).toBeLessThan(4.5);
  });

  it('read at least 4.5:1 on black once brightened, and on a dark grey theme 3:1 for lines and 4.5:1 for the tick labels', () => {
    for (const line of lines) {
      expect(contrast(brightened(line), black), String(line)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(brightened(line), rgb(DARK_GREY)), String(line)).toBeGreaterThanOrEqual(3);
    }
    expect(contrast(brightened(rgb(TICK_GREY)), black)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(brightened(rgb(TICK_GREY)), rgb(DARK_GREY))).toBeGreaterThanOrEqual(4.5);
  });

  it('keep the runs apart: the closest two run colours are at least nine tenths as far apart as before (channels clipped at 255 shift hues)', () => {
    const runs = RUN_COLORS.map(rgb);
    expect(closestPair(runs.map(brightened))).toBeGreaterThanOrEqual(0.9 * closestPair(runs));
  });
});

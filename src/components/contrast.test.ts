import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_COLORS } from '../store';
import { NEUTRAL_LINE } from './chartParts';
import { luminance } from './contrast';

/** Recharts' axis ticks and labels, which the charts keep. */
const TICK_GREY = '#666666';

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
/** Contrast against black, as WCAG counts it. */
const onBlack = ([r, g, b]: readonly number[]): number => (luminance(r ?? 0, g ?? 0, b ?? 0) + 0.05) / 0.05;

describe('the charts\' colours in a dark high-contrast theme', () => {
  const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');
  const factor = Number(/\(forced-colors: active\) and \(prefers-color-scheme: dark\)\s*\{[^}]*brightness\(([\d.]+)\)/.exec(css)?.[1]);
  const colours = [...RUN_COLORS, NEUTRAL_LINE, TICK_GREY];

  it('are brightened there, some of them too dim on black as authored for a light page: lines under 3:1, tick labels under 4.5:1', () => {
    expect(factor).toBeGreaterThan(1);
    expect(RUN_COLORS.filter((c) => onBlack(rgb(c)) < 3)).toEqual(['#4b5563', '#92400e']);
    expect(onBlack(rgb(TICK_GREY))).toBeLessThan(4.5);
  });

  it('read at least 4.5:1 against black once brightened, as CSS does it (each sRGB channel times the factor)', () => {
    for (const colour of colours) expect(onBlack(rgb(colour).map((c) => Math.min(255, c * factor))), colour).toBeGreaterThanOrEqual(4.5);
  });
});

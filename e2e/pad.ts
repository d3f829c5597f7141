/**
 * Drawing on the Draw tab's pad with the mouse, for the browser tests and the benchmark: pen
 * strokes in pad coordinates and the digits the tests draw. Imports nothing from the test
 * runner, so the benchmark can use it outside it.
 */
import type { Page } from 'playwright';

/** A pen stroke on the drawing pad: points in pad coordinates (0–280). */
export type Stroke = readonly (readonly [number, number])[];

const ellipse = (cx: number, cy: number, rx: number, ry: number): Stroke =>
  Array.from({ length: 41 }, (_, i) => [cx + rx * Math.sin((i / 40) * 2 * Math.PI), cy - ry * Math.cos((i / 40) * 2 * Math.PI)] as const);

/** A 1, a 0 and a 7 as a person draws them with a mouse, centred on the pad. */
export const DIGITS: Readonly<Record<string, readonly Stroke[]>> = {
  '1': [[[140, 45], [140, 235]]],
  '0': [ellipse(140, 140, 55, 90)],
  '7': [[[75, 55], [205, 55], [125, 240]]],
};

/** Draws strokes on the pad with the mouse, in pad coordinates (0–280). */
export async function draw(page: Page, strokes: readonly Stroke[]): Promise<void> {
  const pad = page.getByLabel(/^Drawing pad/);
  const box = await pad.boundingBox();
  if (!box) throw new Error('the pad is not on screen');
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    await page.mouse.move(box.x + first[0], box.y + first[1]);
    await page.mouse.down();
    for (const [x, y] of rest) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
    await page.mouse.up();
  }
}

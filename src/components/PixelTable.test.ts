import { describe, expect, it } from 'vitest';
import { MAX_PIXEL_SIDE, pixelWindow } from './PixelTable';

describe("the pixel table's window on an image", () => {
  it('shows all of an MNIST image, and the middle 64 × 64 of a large one', () => {
    expect(pixelWindow(28, 28)).toEqual({ top: 0, left: 0, rows: 28, columns: 28 });
    expect(pixelWindow(256, 256)).toEqual({ top: 96, left: 96, rows: MAX_PIXEL_SIDE, columns: MAX_PIXEL_SIDE });
    expect(pixelWindow(100, 20)).toEqual({ top: 18, left: 0, rows: 64, columns: 20 });
  });
});

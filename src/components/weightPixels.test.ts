import { describe, expect, it } from 'vitest';
import { divergingRgb, paintPictures } from './weightPixels';

describe('weights as pixels', () => {
  it('are white at 0, red above and blue below, full at ±1', () => {
    expect(divergingRgb(0)).toEqual([255, 255, 255]);
    expect(divergingRgb(1)).toEqual([220, 38, 38]);
    expect(divergingRgb(-1)).toEqual([37, 99, 235]);
    expect(divergingRgb(-2)).toEqual([37, 99, 235]);
    expect(divergingRgb(0.5)).toEqual([238, 147, 147]);
    expect(divergingRgb(Number.NaN)).toEqual([255, 255, 255]);
  });

  it('tile pictures in a grid with a gap, each scaled to its own largest weight', () => {
    // Three 1×2 pictures, two to a row: (0.1, −0.2), (4, 2), (0, 0).
    const grid = paintPictures(Float32Array.from([0.1, -0.2, 4, 2, 0, 0]), 3, 1, 2, 2);
    expect([grid.width, grid.height]).toEqual([5, 3]);
    const pixel = (x: number, y: number) => Array.from(grid.rgba.subarray((y * grid.width + x) * 4, (y * grid.width + x) * 4 + 3));
    expect(pixel(1, 0)).toEqual([37, 99, 235]); // −0.2 is the first picture's largest
    expect(pixel(0, 0)).toEqual(divergingRgb(0.5));
    expect(pixel(2, 0)).toEqual([226, 232, 240]); // the gap
    expect(pixel(3, 0)).toEqual([220, 38, 38]); // 4 of 4
    expect(pixel(4, 0)).toEqual(divergingRgb(0.5));
    expect(pixel(0, 2)).toEqual([255, 255, 255]); // all zero: white, not NaN
    expect(pixel(3, 2)).toEqual([226, 232, 240]); // no fourth picture
  });
});

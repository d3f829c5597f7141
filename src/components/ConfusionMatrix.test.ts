import { describe, expect, it } from 'vitest';
import { cellAfterKey } from './ConfusionMatrix';
import { shareTint } from './contrast';

describe('cellAfterKey', () => {
  const at = { truth: 4, predicted: 7 };
  it('moves one cell with the arrows, stopping at the edges', () => {
    expect(cellAfterKey('ArrowUp', false, at, 9)).toEqual({ truth: 3, predicted: 7 });
    expect(cellAfterKey('ArrowDown', false, at, 9)).toEqual({ truth: 5, predicted: 7 });
    expect(cellAfterKey('ArrowLeft', false, at, 9)).toEqual({ truth: 4, predicted: 6 });
    expect(cellAfterKey('ArrowRight', false, { truth: 4, predicted: 9 }, 9)).toEqual({ truth: 4, predicted: 9 });
    expect(cellAfterKey('ArrowUp', false, { truth: 0, predicted: 0 }, 9)).toEqual({ truth: 0, predicted: 0 });
  });

  it("goes to the row's ends with Home and End, and to the matrix's corners with Ctrl", () => {
    expect(cellAfterKey('Home', false, at, 9)).toEqual({ truth: 4, predicted: 0 });
    expect(cellAfterKey('End', false, at, 9)).toEqual({ truth: 4, predicted: 9 });
    expect(cellAfterKey('Home', true, at, 9)).toEqual({ truth: 0, predicted: 0 });
    expect(cellAfterKey('End', true, at, 9)).toEqual({ truth: 9, predicted: 9 });
  });

  it('leaves every other key to the page', () => {
    expect(cellAfterKey('Tab', false, at, 9)).toBeNull();
    expect(cellAfterKey('Enter', false, at, 9)).toBeNull();
  });
});

describe('shareTint', () => {
  /** The green channel's distance from white: how deep a mistake's red is (red stays near 255). */
  const depth = (share: number): number => 255 - Number(/rgb\(\d+,(\d+),/.exec(shareTint(false, share).background)?.[1]);

  it('shades a mistake of a few percent clearly apart from a single image, on one scale for every matrix', () => {
    // MNIST's largest confusion in an audit: 65 of 1,010 threes taken for fives (6.4%), beside one image of 1,010.
    expect(depth(0.064)).toBeGreaterThan(3 * depth(0.001));
    expect(depth(0.064)).toBeGreaterThan(60);
    // Deeper as the share grows, up to the deepest red at a whole row.
    expect(depth(0.47)).toBeGreaterThan(depth(0.064));
    expect(shareTint(false, 1).color).toBe('#fff');
  });
});

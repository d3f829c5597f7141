import { describe, expect, it } from 'vitest';
import { RUN_COLORS } from '../store';
import { isMarked, MARKER_SHAPES, MARKERS_PER_LINE, markerOf, markerStep } from './RunMarker';

describe("a run's marker", () => {
  it('differs for every colour a new run can get, so that no two runs are told apart by colour alone', () => {
    expect(new Set(RUN_COLORS.map(markerOf)).size).toBe(RUN_COLORS.length);
    expect(markerOf(RUN_COLORS[0])).toBe('circle');
    expect(markerOf(RUN_COLORS[1].toUpperCase())).toBe(markerOf(RUN_COLORS[1]));
  });

  it('is one of the shapes, and the same every time, for a colour from elsewhere (an older run file)', () => {
    expect(MARKER_SHAPES).toContain(markerOf('#123456'));
    expect(markerOf('#123456')).toBe(markerOf('#123456'));
  });
});

describe('markerStep', () => {
  it('marks every point of a short line, and at most MARKERS_PER_LINE and the first of a long one', () => {
    expect([1, 25, 26, 100, 1000].map(markerStep)).toEqual([1, 1, 2, 4, 40]);
    for (const points of [26, 99, 1000]) {
      const marked = Array.from({ length: points }, (_, i) => i).filter((i) => isMarked(i, markerStep(points)));
      expect(marked.length).toBeLessThanOrEqual(MARKERS_PER_LINE + 1);
      expect(marked[0]).toBe(0);
    }
    expect(Array.from({ length: 10 }, (_, i) => i).filter((i) => isMarked(i, 1))).toHaveLength(10);
  });
});

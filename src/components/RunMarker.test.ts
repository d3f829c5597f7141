import { describe, expect, it } from 'vitest';
import { RUN_COLORS } from '../store';
import { MARKER_SHAPES, markerOf } from './RunMarker';

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

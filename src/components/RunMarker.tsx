/**
 * Each run's marker: a shape drawn at its points in the overlaid curves and beside its name in
 * Compare's key, queue and tables, so that runs are told apart without their colours. Under a
 * simulated deuteranopia, RUN_COLORS' blue #1 and violet #5 are the same colour (CIELAB
 * distance 1.7), and green #3 and pink #6 nearly so (2.9); each colour gets a shape of its own.
 * SVG only; no data here.
 */
import type { ReactNode } from 'react';
import { RUN_COLORS } from '../store';

/** The ten shapes, one per colour of RUN_COLORS, in its order. */
export const MARKER_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus', 'star', 'triangle-down', 'ring', 'hollow-square'] as const;
export type MarkerShape = (typeof MARKER_SHAPES)[number];

/**
 * A run's shape: its colour's place in RUN_COLORS; for a colour from elsewhere (a run file
 * from another version), one picked by the colour's text, the same every time.
 */
export function markerOf(color: string): MarkerShape {
  const index = (RUN_COLORS as readonly string[]).indexOf(color.toLowerCase());
  let pick = index;
  if (pick < 0) {
    pick = 0;
    for (let i = 0; i < color.length; i += 1) pick += color.charCodeAt(i);
  }
  return MARKER_SHAPES[pick % MARKER_SHAPES.length] ?? 'circle';
}

/** A star's outline through five outer and five inner points, radius `r`. */
function starPoints(r: number): string {
  return Array.from({ length: 10 }, (_, i) => {
    const radius = i % 2 === 0 ? r * 1.25 : r * 0.5;
    const angle = (Math.PI / 5) * i - Math.PI / 2;
    return `${(radius * Math.cos(angle)).toFixed(2)},${(radius * Math.sin(angle)).toFixed(2)}`;
  }).join(' ');
}

/** A marker of radius about `r` centred on (x, y). */
export function RunMarker({ shape, color, x, y, r = 4 }: { readonly shape: MarkerShape; readonly color: string; readonly x: number; readonly y: number; readonly r?: number }) {
  const filled = { fill: color, stroke: color, strokeWidth: 1 };
  const outlined = { fill: '#fff', stroke: color, strokeWidth: 2 };
  const lines = { stroke: color, strokeWidth: 2.5, strokeLinecap: 'round' as const };
  const body = ((): ReactNode => {
    switch (shape) {
      case 'circle':
        return <circle r={r} {...filled} />;
      case 'square':
        return <rect x={-r * 0.85} y={-r * 0.85} width={r * 1.7} height={r * 1.7} {...filled} />;
      case 'triangle':
        return <polygon points={`0,${-r * 1.15} ${r * 1.05},${r * 0.75} ${-r * 1.05},${r * 0.75}`} {...filled} />;
      case 'diamond':
        return <polygon points={`0,${-r * 1.2} ${r * 1.2},0 0,${r * 1.2} ${-r * 1.2},0`} {...filled} />;
      case 'cross':
        return <path d={`M${-r},${-r}L${r},${r}M${-r},${r}L${r},${-r}`} {...lines} />;
      case 'plus':
        return <path d={`M0,${-r * 1.2}V${r * 1.2}M${-r * 1.2},0H${r * 1.2}`} {...lines} />;
      case 'star':
        return <polygon points={starPoints(r)} {...filled} />;
      case 'triangle-down':
        return <polygon points={`0,${r * 1.15} ${r * 1.05},${-r * 0.75} ${-r * 1.05},${-r * 0.75}`} {...filled} />;
      case 'ring':
        return <circle r={r * 0.85} {...outlined} />;
      case 'hollow-square':
        return <rect x={-r * 0.75} y={-r * 0.75} width={r * 1.5} height={r * 1.5} {...outlined} />;
    }
  })();
  return (
    <g transform={`translate(${x},${y})`} data-marker={shape}>
      {body}
    </g>
  );
}

/** A run's colour and marker beside its name, in HTML: hidden from assistive technology, which reads the name. */
export function RunSwatch({ color }: { readonly color: string }) {
  return (
    <svg className="run-swatch" width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
      <RunMarker shape={markerOf(color)} color={color} x={0} y={0} r={4.5} />
    </svg>
  );
}

/** A line's sample in Compare's key: the run's colour, as a line through its marker. */
export function RunLineSwatch({ color }: { readonly color: string }) {
  return (
    <svg width="28" height="12" viewBox="0 0 28 12" aria-hidden="true">
      <line x1="0" y1="6" x2="28" y2="6" stroke={color} strokeWidth={2} />
      <RunMarker shape={markerOf(color)} color={color} x={14} y={6} />
    </svg>
  );
}

type DotRenderer = (props: { readonly cx?: number; readonly cy?: number }) => ReactNode;
const dotRenderers = new Map<string, DotRenderer>();

/** The most markers a line carries: past it they would merge into a thick line, and cost thousands of SVG shapes to redraw. */
export const MARKERS_PER_LINE = 25;

/** Which points of a line of `points` carry its run's marker: every one, or every `step`-th (the first too). */
export function markerStep(points: number): number {
  return Math.max(1, Math.ceil(points / MARKERS_PER_LINE));
}

/** Whether the point at `index` (from 0) carries the marker, every `step`-th being marked: the first, and then the `step`-th, the 2·`step`-th… */
export function isMarked(index: number, step: number): boolean {
  return index === 0 || (index + 1) % step === 0;
}

/**
 * The `dot` of a run's Recharts line: its marker at each point. One function per colour for
 * the page's life, since Recharts redraws a line whose props are new objects.
 */
export function markerDot(color: string): DotRenderer {
  let renderer = dotRenderers.get(color);
  if (!renderer) {
    const shape = markerOf(color);
    renderer = ({ cx, cy }) => (cx === undefined || cy === undefined ? null : <RunMarker shape={shape} color={color} x={cx} y={cy} />);
    dotRenderers.set(color, renderer);
  }
  return renderer;
}

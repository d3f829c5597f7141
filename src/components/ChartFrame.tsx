/**
 * A chart's box, in place of Recharts's ResponsiveContainer: it measures its own width and
 * keeps the last one above zero. In a hidden tab (display: none) the box measures 0, and
 * ResponsiveContainer would unmount the chart, so every visit to the tab paid for a whole new
 * chart; here the chart keeps its size and its DOM, and showing the tab redraws nothing.
 * A chart whose tab has never been shown is drawn anyway once the page is idle, at the width
 * of its nearest laid-out ancestor: mounting a Recharts chart is what made the first click on
 * its tab slow (50-300 ms), and redrawing it at its real width when shown costs far less.
 * "Idle" also means no dataset loading: the page's main thread is idle then, but the
 * download's gunzip and the worker need the cores (the never-shown charts took about 300 ms of
 * main thread during MNIST's first load on a 2-core machine).
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { selectLoadingDataset, useAppStore } from '../store';
import { useDelayedValue } from './useThrottledValue';

interface ChartFrameProps {
  readonly height: number;
  /** The chart, drawn at the frame's width in pixels (never 0). */
  readonly children: (width: number) => ReactNode;
  /** Draw the chart this long after the frame is measured: charts shown together then mount in tasks of their own. */
  readonly delayMs?: number;
}

/** Runs `task` when the page is next idle (within a few seconds); returns a cancel. */
function whenIdle(task: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(task, { timeout: IDLE_TIMEOUT_MS });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(task, IDLE_TIMEOUT_MS);
  return () => clearTimeout(handle);
}

const IDLE_TIMEOUT_MS = 3000;

/** The width of the nearest ancestor that has one: a hidden tab's container. */
function laidOutAncestorWidth(element: HTMLElement): number {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const width = node.getBoundingClientRect().width;
    if (width > 0) return width;
  }
  return 0;
}

/** A full-width box of `height` pixels, hidden from assistive technology: every chart has a table beside it. */
export function ChartFrame({ height, children, delayMs = 0 }: ChartFrameProps) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const loadingDataset = useAppStore(selectLoadingDataset);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = (measured: number): void => {
      const rounded = Math.round(measured);
      if (rounded > 0) setWidth(rounded);
    };
    measure(element.getBoundingClientRect().width);
    const observer = new ResizeObserver(([entry]) => {
      if (entry) measure(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const drawn = width > 0;
  useEffect(() => {
    const element = box.current;
    if (drawn || loadingDataset || !element) return;
    return whenIdle(() => setWidth((current) => (current > 0 ? current : Math.round(laidOutAncestorWidth(element)))));
  }, [drawn, loadingDataset]);
  const drawnWidth = useDelayedValue(width, delayMs);
  return (
    <div ref={box} className="chart" aria-hidden="true" style={{ height }}>
      {drawnWidth > 0 && children(drawnWidth)}
    </div>
  );
}

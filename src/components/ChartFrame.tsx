/**
 * A chart's box, in place of Recharts's ResponsiveContainer: it measures its own width and
 * keeps the last one above zero, so a chart in a hidden tab keeps its size and its DOM, and
 * showing the tab redraws nothing (unless the window was resized meanwhile: a hidden box
 * reports no resizes, and is measured again when shown).
 * A chart whose tab has never been shown is drawn anyway once the page is idle: mounting a
 * Recharts chart is what made the first click on its tab slow (50-300 ms). "Idle" also means
 * no dataset loading: the page's main thread is idle then, but the download's gunzip and the
 * worker need the cores (the never-shown charts took about 300 ms of main thread during
 * MNIST's first load on a 2-core machine). Such a chart is measured only then, as measuring
 * lays out its hidden tab (styles.css keeps hidden tabs' layout, but builds it only when
 * asked); where it measures 0 (a tab hidden with display: none), it takes the width of its
 * nearest laid-out ancestor.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { selectLoadingDataset, useAppStore } from '../store';
import { usePanelShown } from './Tabs';
import { useDelayedValue } from './useThrottledValue';

interface ChartFrameProps {
  readonly height: number;
  /** The chart, drawn at the frame's width in pixels (never 0). */
  readonly children: (width: number) => ReactNode;
  /** Draw the chart this long after the frame is measured: charts shown together then mount in tasks of their own. */
  readonly delayMs?: number;
  /** What goes under the chart (its key): laid out from the start, shown once the chart is drawn. */
  readonly footer?: ReactNode;
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

/** The element's width, or else that of its nearest ancestor that has one: a hidden tab's container. */
function widthOrAncestors(element: HTMLElement): number {
  for (let node: HTMLElement | null = element; node; node = node.parentElement) {
    const width = node.getBoundingClientRect().width;
    if (width > 0) return width;
  }
  return 0;
}

const HIDDEN_FOOTER = { visibility: 'hidden' } as const;

/** A full-width box of `height` pixels, hidden from assistive technology: every chart has a table beside it. */
export function ChartFrame({ height, children, delayMs = 0, footer }: ChartFrameProps) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const shown = usePanelShown();
  const loadingDataset = useAppStore(selectLoadingDataset);
  // Whether to draw: from the first time the chart's tab is shown, or once the page is idle.
  const [wanted, setWanted] = useState(shown);
  if (shown && !wanted) setWanted(true);
  const shownAtMount = useRef(shown);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = (measured: number): void => {
      const rounded = Math.round(measured);
      if (rounded > 0) setWidth(rounded);
    };
    if (shownAtMount.current) measure(element.getBoundingClientRect().width);
    const observer = new ResizeObserver(([entry]) => {
      if (entry) measure(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const element = box.current;
    if (wanted || loadingDataset || !element) return;
    return whenIdle(() => {
      setWidth((current) => (current > 0 ? current : Math.round(widthOrAncestors(element))));
      setWanted(true);
    });
  }, [wanted, loadingDataset]);
  const drawnWidth = useDelayedValue(wanted ? width : 0, delayMs);
  const chart = (
    <div ref={box} className="chart" aria-hidden="true" style={{ height }}>
      {drawnWidth > 0 && children(drawnWidth)}
    </div>
  );
  if (footer === undefined) return chart;
  return (
    <>
      {chart}
      <div style={drawnWidth > 0 ? undefined : HIDDEN_FOOTER}>{footer}</div>
    </>
  );
}

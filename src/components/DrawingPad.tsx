/**
 * A square pad to draw on with a mouse, a finger or a pen (pointer events, no scrolling while
 * drawing, crisp on high-DPI screens yet read at one pixel per CSS pixel on every screen):
 * white ink on black like MNIST, a stroke about as wide
 * as MNIST's pen once scaled, Clear and Undo. It reports every change as it happens, with a
 * way to read its pixels later: the store reads them only when the worker is free for them.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent } from 'react';
import { strokeWidthForPad } from '../data/drawing';
import { counted } from './words';

type Point = readonly [number, number];

/** The pad's side in CSS pixels. */
export const PAD_SIZE = 280;

/** The canvas's pixels: RGBA, in device pixels. */
export interface PadImage {
  readonly rgba: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** A change on the pad: whether it now holds no stroke, and how to read its pixels (null once the pad is gone). */
export interface PadChange {
  readonly empty: boolean;
  readonly read: () => PadImage | null;
}

interface DrawingPadProps {
  readonly onChange: (change: PadChange) => void;
}

/**
 * Paints white strokes on black, in pad coordinates, onto a canvas of `scale` device pixels per
 * pad pixel. Only canvases at scale 1 are read back, so only they ask to be kept for reading.
 */
function paintStrokes(target: HTMLCanvasElement, scale: number, all: readonly (readonly Point[])[]): void {
  const context = target.getContext('2d', { willReadFrequently: scale === 1 });
  if (!context) return;
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.fillStyle = '#000';
  context.fillRect(0, 0, PAD_SIZE, PAD_SIZE);
  context.strokeStyle = '#fff';
  context.fillStyle = '#fff';
  context.lineWidth = strokeWidthForPad(PAD_SIZE);
  context.lineCap = 'round';
  context.lineJoin = 'round';
  for (const stroke of all) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    context.beginPath();
    if (rest.length === 0) {
      context.arc(first[0], first[1], context.lineWidth / 2, 0, 2 * Math.PI);
      context.fill();
      continue;
    }
    context.moveTo(first[0], first[1]);
    for (const [x, y] of rest) context.lineTo(x, y);
    context.stroke();
  }
}

export function DrawingPad({ onChange }: DrawingPadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [strokes, setStrokes] = useState<Point[][]>([]);
  const drawing = useRef<Point[] | null>(null);
  /** Counts the pad's changes; `readVersion` is the change the last read saw. */
  const version = useRef(0);
  const readVersion = useRef(0);
  const [ratio] = useState(() => Math.max(1, Math.min(3, window.devicePixelRatio || 1)));

  /**
   * Where the pad is read from: on a high-density screen, a second canvas at one pixel per CSS
   * pixel with the same strokes, so that the model gets the same image on every screen (and
   * the read is 280×280, not 840×840 at 3×); on an ordinary screen, the pad itself.
   */
  const readable = useRef<HTMLCanvasElement | null>(null);
  const readCanvas = useCallback((): HTMLCanvasElement | null => {
    if (ratio === 1) return canvas.current;
    if (!readable.current) {
      readable.current = document.createElement('canvas');
      readable.current.width = PAD_SIZE;
      readable.current.height = PAD_SIZE;
    }
    return readable.current;
  }, [ratio]);

  const paint = useCallback(
    (all: readonly (readonly Point[])[]) => {
      const onScreen = canvas.current;
      if (!onScreen) return;
      paintStrokes(onScreen, ratio, all);
      const copy = readCanvas();
      if (copy && copy !== onScreen) paintStrokes(copy, 1, all);
    },
    [ratio, readCanvas],
  );

  const read = useCallback((): PadImage | null => {
    const element = readCanvas();
    const context = element?.getContext('2d', { willReadFrequently: true });
    if (!element || !context) return null;
    readVersion.current = version.current;
    const data = context.getImageData(0, 0, element.width, element.height);
    return { rgba: data.data, width: element.width, height: element.height };
  }, [readCanvas]);

  const changed = (all: readonly (readonly Point[])[]): void => {
    version.current++;
    onChange({ empty: all.length === 0, read });
  };

  useEffect(() => paint(strokes), [paint, strokes]);

  const point = (event: PointerEvent<HTMLCanvasElement>): Point => {
    const rect = event.currentTarget.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * PAD_SIZE, ((event.clientY - rect.top) / rect.height) * PAD_SIZE];
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>): void => {
    // A mouse draws with its main button only: the right one opens the page's menu, the middle one scrolls.
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = [point(event)];
    const all = [...strokes, drawing.current];
    paint(all);
    changed(all);
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>): void => {
    if (!drawing.current) return;
    const coalesced = 'getCoalescedEvents' in event.nativeEvent ? event.nativeEvent.getCoalescedEvents() : [];
    const rect = event.currentTarget.getBoundingClientRect();
    const points: Point[] = coalesced.length > 0
      ? coalesced.map((e) => [((e.clientX - rect.left) / rect.width) * PAD_SIZE, ((e.clientY - rect.top) / rect.height) * PAD_SIZE] as const)
      : [point(event)];
    drawing.current.push(...points);
    const all = [...strokes, drawing.current];
    paint(all);
    changed(all);
  };

  const onPointerUp = (): void => {
    const stroke = drawing.current;
    drawing.current = null;
    if (!stroke) return;
    const all = [...strokes, stroke];
    setStrokes(all);
    paint(all);
    // The lifted pen adds no point: ask again only if the last read missed part of the stroke.
    if (readVersion.current !== version.current) onChange({ empty: false, read });
  };

  const clearButton = useRef<HTMLButtonElement>(null);
  const undo = (): void => {
    const all = strokes.slice(0, -1);
    setStrokes(all);
    paint(all);
    changed(all);
    // The last stroke gone, Undo is disabled: the focus goes to Clear beside it, not to the page.
    if (all.length === 0) clearButton.current?.focus();
  };

  const clear = (): void => {
    setStrokes([]);
    paint([]);
    changed([]);
  };

  return (
    <div className="drawing-pad">
      {/* A canvas is not in the accessibility tree by itself: the image around it says what it is and holds. */}
      <div className="pad-surface" role="img" aria-label={`Drawing pad: draw a digit or an item of clothing with the mouse, a finger or a pen. ${strokes.length === 0 ? 'Empty' : counted(strokes.length, 'stroke')}.`}>
        <canvas
          ref={canvas}
          width={PAD_SIZE * ratio}
          height={PAD_SIZE * ratio}
          style={{ width: PAD_SIZE, maxWidth: '100%', aspectRatio: '1', height: 'auto', touchAction: 'none' }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
        />
      </div>
      <div className="buttons">
        <button type="button" onClick={undo} disabled={strokes.length === 0}>
          Undo stroke
        </button>
        <button type="button" ref={clearButton} onClick={clear}>
          Clear
        </button>
      </div>
    </div>
  );
}

/**
 * A square pad to draw on with a mouse, a finger or a pen (pointer events, no scrolling while
 * drawing, crisp on high-DPI screens): white ink on black like MNIST, a stroke about as wide
 * as MNIST's pen once scaled, Clear and Undo. It reports its pixels while drawing (throttled)
 * and at the end of every stroke.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent } from 'react';
import { strokeWidthForPad } from '../data/drawing';

type Point = readonly [number, number];

/** The pad's side in CSS pixels. */
export const PAD_SIZE = 280;
const LIVE_INTERVAL_MS = 100;

interface DrawingPadProps {
  /** Called with the canvas's RGBA pixels (device pixels), or null when the pad is empty. */
  readonly onImage: (image: { rgba: Uint8ClampedArray; width: number; height: number } | null) => void;
}

export function DrawingPad({ onImage }: DrawingPadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [strokes, setStrokes] = useState<Point[][]>([]);
  const drawing = useRef<Point[] | null>(null);
  const lastSent = useRef(0);
  const [ratio] = useState(() => Math.max(1, Math.min(3, window.devicePixelRatio || 1)));

  const paint = useCallback(
    (all: readonly (readonly Point[])[]) => {
      const context = canvas.current?.getContext('2d', { willReadFrequently: true });
      if (!context) return;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
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
    },
    [ratio],
  );

  const send = useCallback(
    (all: readonly (readonly Point[])[]) => {
      const element = canvas.current;
      const context = element?.getContext('2d', { willReadFrequently: true });
      if (!element || !context) return;
      if (all.length === 0) {
        onImage(null);
        return;
      }
      const data = context.getImageData(0, 0, element.width, element.height);
      onImage({ rgba: data.data, width: element.width, height: element.height });
    },
    [onImage],
  );

  useEffect(() => paint(strokes), [paint, strokes]);

  const point = (event: PointerEvent<HTMLCanvasElement>): Point => {
    const rect = event.currentTarget.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * PAD_SIZE, ((event.clientY - rect.top) / rect.height) * PAD_SIZE];
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>): void => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = [point(event)];
    paint([...strokes, drawing.current]);
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
    const now = performance.now();
    if (now - lastSent.current >= LIVE_INTERVAL_MS) {
      lastSent.current = now;
      send(all);
    }
  };

  const onPointerUp = (): void => {
    const stroke = drawing.current;
    drawing.current = null;
    if (!stroke) return;
    const all = [...strokes, stroke];
    setStrokes(all);
    paint(all);
    send(all);
  };

  const undo = (): void => {
    const all = strokes.slice(0, -1);
    setStrokes(all);
    paint(all);
    send(all);
  };

  const clear = (): void => {
    setStrokes([]);
    paint([]);
    send([]);
  };

  return (
    <div className="drawing-pad">
      <canvas
        ref={canvas}
        width={PAD_SIZE * ratio}
        height={PAD_SIZE * ratio}
        style={{ width: PAD_SIZE, height: PAD_SIZE, touchAction: 'none' }}
        aria-label="Drawing pad: draw a digit or an item of clothing with the mouse, a finger or a pen"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      />
      <div className="buttons">
        <button type="button" onClick={undo} disabled={strokes.length === 0}>
          Undo stroke
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </div>
    </div>
  );
}

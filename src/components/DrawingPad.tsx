/**
 * A square pad to draw on with a mouse, a finger or a pen (pointer events, no scrolling while
 * drawing, crisp on high-DPI screens yet read at one pixel per CSS pixel on every screen), or
 * with the keyboard (arrow keys move a pen, Space puts it down and lifts it, Ctrl+Z undoes):
 * white ink on black like MNIST, a stroke about as wide
 * as MNIST's pen once scaled, Clear and Undo. It reports every change as it happens, with a
 * way to read its pixels later: the store reads them only when the worker is free for them.
 */
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
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

/** A keyboard pen's step in pad pixels: one pixel of the 28×28 image; with Shift, a fifth of one. */
const KEY_STEP = PAD_SIZE / 28;
const FINE_KEY_STEP = KEY_STEP / 5;

/** Where each key moves the keyboard pen: the arrows, and the keys at a numeric keypad's corners for diagonals. */
const KEY_MOVES: Readonly<Record<string, Point>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  Home: [-1, -1],
  PageUp: [1, -1],
  End: [-1, 1],
  PageDown: [1, 1],
};

const clampToPad = (value: number): number => Math.min(PAD_SIZE, Math.max(0, value));

/** Where the keyboard's pen starts: the pad's centre. */
const PAD_CENTRE: Point = [PAD_SIZE / 2, PAD_SIZE / 2];

/** The pad's strokes in words: "Empty", "2 strokes". */
const strokesWords = (count: number): string => (count === 0 ? 'Empty' : counted(count, 'stroke'));

/** The keyboard pen's place in the 28×28 grid's words: "column 14, row 10". */
const gridPlace = ([x, y]: Point): string => `column ${Math.round(x / KEY_STEP)}, row ${Math.round(y / KEY_STEP)}`;

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
  /** The keyboard pen: where it is, whether it is down (drawing), and what it last did, for the live region; null until a key moves it. */
  const [pen, setPen] = useState<{ readonly at: Point; readonly down: boolean; readonly said: string } | null>(null);
  const instructionsId = useId();
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

  /** Takes the last stroke off the pad; returns the strokes left. */
  const takeBackStroke = (): Point[][] => {
    const all = strokes.slice(0, -1);
    setStrokes(all);
    paint(all);
    changed(all);
    return all;
  };

  /** The stroke under way, drawn on and reported, with the points it grew by. */
  const extendStroke = (stroke: Point[], points: readonly Point[]): void => {
    stroke.push(...points);
    const all = [...strokes, stroke];
    paint(all);
    changed(all);
  };

  /** Ends the stroke under way, if any: it joins the pad's strokes (what Undo takes back). */
  const endStroke = (): void => {
    const stroke = drawing.current;
    drawing.current = null;
    if (!stroke) return;
    const all = [...strokes, stroke];
    setStrokes(all);
    paint(all);
    // The lifted pen adds no point: ask again only if the last read missed part of the stroke.
    if (readVersion.current !== version.current) onChange({ empty: false, read });
  };

  /** Lifts the keyboard's pen where it is, its stroke kept, and says `said`. */
  const liftPen = (at: Point, said: string): void => {
    endStroke();
    setPen({ at, down: false, said });
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>): void => {
    // A mouse draws with its main button only: the right one opens the page's menu, the middle one scrolls.
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    // A press while the keyboard's pen draws lifts that pen, keeping its stroke; the next press draws.
    if (pen?.down) {
      liftPen(pen.at, 'Pen up.');
      return;
    }
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = [];
    extendStroke(drawing.current, [point(event)]);
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>): void => {
    // The keyboard's pen is not moved by a hovering mouse.
    if (!drawing.current || pen?.down) return;
    const coalesced = 'getCoalescedEvents' in event.nativeEvent ? event.nativeEvent.getCoalescedEvents() : [];
    const rect = event.currentTarget.getBoundingClientRect();
    const points: Point[] = coalesced.length > 0
      ? coalesced.map((e) => [((e.clientX - rect.left) / rect.width) * PAD_SIZE, ((e.clientY - rect.top) / rect.height) * PAD_SIZE] as const)
      : [point(event)];
    extendStroke(drawing.current, points);
  };

  const onPointerUp = (): void => {
    if (!pen?.down) endStroke();
  };

  /** The keyboard's pen: arrows (and Home, End, Page Up, Page Down for diagonals) move it, drawing while it is down. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      if (pen?.down) {
        // The stroke under way is the last one: dropped, the pen lifted.
        drawing.current = null;
        setPen({ ...pen, down: false, said: `Stroke undone, pen up. ${strokesWords(strokes.length)}.` });
        paint(strokes);
        changed(strokes);
      } else if (strokes.length > 0) {
        const left = takeBackStroke().length;
        setPen({ at: pen?.at ?? PAD_CENTRE, down: false, said: `Stroke undone. ${strokesWords(left)}.` });
      }
      return;
    }
    const at = pen?.at ?? PAD_CENTRE;
    const down = pen?.down ?? false;
    const move = KEY_MOVES[event.key];
    if (move) {
      event.preventDefault();
      const step = event.shiftKey ? FINE_KEY_STEP : KEY_STEP;
      const next: Point = [clampToPad(at[0] + move[0] * step), clampToPad(at[1] + move[1] * step)];
      setPen({ at: next, down, said: `${down ? 'Drawing' : 'Pen up'} at ${gridPlace(next)}.` });
      if (down && drawing.current) extendStroke(drawing.current, [next]);
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (down) liftPen(at, `Pen up at ${gridPlace(at)}.`);
      else {
        drawing.current = [];
        extendStroke(drawing.current, [at]);
        setPen({ at, down: true, said: `Pen down at ${gridPlace(at)}.` });
      }
    } else if (event.key === 'Escape' && down) {
      liftPen(at, `Pen up at ${gridPlace(at)}.`);
    }
  };

  /** Leaving the pad lifts the keyboard's pen, as lifting a mouse's button would. */
  const onBlur = (): void => {
    if (pen?.down) liftPen(pen.at, 'Pen up.');
  };

  const clearButton = useRef<HTMLButtonElement>(null);
  const undo = (): void => {
    const all = takeBackStroke();
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
      {/* A canvas is not in the accessibility tree by itself: the application around it says what it is and holds, and takes the keys. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- "application" is ARIA's role for a widget that handles its own keys */}
      <div
        className="pad-surface"
        role="application"
        aria-roledescription="drawing pad"
        tabIndex={0}
        aria-label={`Drawing pad: draw a digit or an item of clothing with the mouse, a finger, a pen or the keyboard. ${strokesWords(strokes.length)}.`}
        aria-describedby={instructionsId}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
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
        {pen && (
          <span
            className={pen.down ? 'pad-pen down' : 'pad-pen'}
            aria-hidden="true"
            style={{ left: `${(pen.at[0] / PAD_SIZE) * 100}%`, top: `${(pen.at[1] / PAD_SIZE) * 100}%` }}
          />
        )}
        <span className="sr-only" aria-live="polite">
          {pen?.said ?? ''}
        </span>
      </div>
      <div className="buttons">
        <button type="button" onClick={undo} disabled={strokes.length === 0}>
          Undo stroke
        </button>
        <button type="button" ref={clearButton} onClick={clear}>
          Clear
        </button>
      </div>
      <p id={instructionsId} className="muted pad-keys">
        Keys, once the pad has the focus: arrows move the pen (Home, End, Page Up, Page Down diagonally; Shift: small steps), Space puts it down or lifts it, Ctrl+Z
        undoes a stroke.
      </p>
    </div>
  );
}

/**
 * Values passed on later than they change, for views whose redraw costs more than the change
 * is worth: throttled (a chart fed by every streamed batch redraws at most once per interval)
 * or delayed (charts shown together mount and redraw in tasks of their own).
 * React only; no data of its own.
 */
import { useEffect, useRef, useState } from 'react';

/**
 * `value`, refreshed at most once every `intervalMs`. The newest value always shows within
 * `intervalMs` of its arrival; values that arrive in between are skipped, never queued.
 * While `held`, the value shown stays as it is; once released, the newest one shows.
 */
export function useThrottledValue<T>(value: T, intervalMs: number, held = false): T {
  const [shown, setShown] = useState(value);
  const lastShown = useRef(0);
  useEffect(() => {
    if (held || Object.is(value, shown)) return;
    const wait = Math.max(0, lastShown.current + intervalMs - performance.now());
    const timer = setTimeout(() => {
      lastShown.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs, held]);
  return shown;
}

/**
 * `value`, shown `delayMs` after it arrives: when one is already waiting, a newer value takes
 * its place and is shown at the same moment, so a value that changes faster than `delayMs`
 * still shows every `delayMs`, never later. With no delay, `value` itself, at once.
 */
export function useDelayedValue<T>(value: T, delayMs: number): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(
    () => () => {
      // Effects can be torn down and set up again (Fast Refresh, a hidden Activity): a timer
      // cleared here must not look pending afterwards, or no value would show again.
      clearTimeout(timer.current);
      timer.current = undefined;
    },
    [],
  );
  useEffect(() => {
    latest.current = value;
    if (delayMs <= 0 || timer.current !== undefined || Object.is(value, shown)) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      setShown(latest.current);
    }, delayMs);
  }, [value, shown, delayMs]);
  return delayMs <= 0 ? value : shown;
}

/**
 * `value` once it has stayed the same for `quietMs`: a screen reader's live region fed by it
 * reads the answer a drawing settles on, not each of the dozens it passes through.
 */
export function useSettledValue<T>(value: T, quietMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), quietMs);
    return () => clearTimeout(timer);
  }, [value, quietMs]);
  return settled;
}

/**
 * Keyboard focus for buttons that go away on their own (Pause and Stop when a run ends): the
 * browser drops focus to the page's top when a focused element is removed, so it is handed to
 * a fallback that stays. React only; no data of its own.
 */
import { useEffect, useRef, type FocusEvent, type RefObject } from 'react';

/**
 * Focus handlers to put on the buttons that exist while `present`; when `present` turns false
 * and one of them had focus (and it has not moved to another element since), `fallback` gets it.
 */
export function useFocusFallback(present: boolean, fallback: RefObject<HTMLElement | null>): {
  readonly onFocus: () => void;
  readonly onBlur: (event: FocusEvent<HTMLButtonElement>) => void;
} {
  const focused = useRef(false);
  useEffect(() => {
    if (present || !focused.current) return;
    focused.current = false;
    if (document.activeElement === document.body || document.activeElement === null) fallback.current?.focus({ preventScroll: true });
  }, [present, fallback]);
  return {
    onFocus: () => {
      focused.current = true;
    },
    // A removed element's blur, if any, has no related target: focus then went nowhere.
    onBlur: (event) => {
      if (event.relatedTarget !== null) focused.current = false;
    },
  };
}

/** Asks before the page is reloaded or closed while a run trains or waits: it would be lost (a run is kept once it ends). */
import { useEffect } from 'react';
import { isActiveRun, useAppStore } from '../store';

export function LeaveWarning() {
  const active = useAppStore((state) => Object.values(state.runs).some(isActiveRun));
  useEffect(() => {
    if (!active) return;
    // The browser asks in its own words; preventDefault is what asks it to.
    const warn = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
  return null;
}

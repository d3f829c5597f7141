/** Asks before the page is reloaded or closed while that would lose a run (see selectLeavingLosesRuns). */
import { useEffect } from 'react';
import { selectLeavingLosesRuns, useAppStore } from '../store';

export function LeaveWarning() {
  const active = useAppStore(selectLeavingLosesRuns);
  useEffect(() => {
    if (!active) return;
    // The browser asks in its own words; preventDefault is what asks it to.
    const warn = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
  return null;
}

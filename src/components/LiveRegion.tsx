/** The polite aria-live region that announces status changes (dataset loaded, run finished, errors). */
import { useAppStore } from '../store';

export function LiveRegion() {
  const announcement = useAppStore((state) => state.announcement);
  return (
    <div className="live-region" role="status" aria-live="polite" aria-atomic="true">
      {announcement}
    </div>
  );
}

/**
 * The polite live region that says what happens (dataset loaded, run started or finished,
 * errors): a log, each piece added as its own line, so that a screen reader reads the new
 * piece alone, after the one before it (store/announcer.ts paces them).
 */
import { useAppStore } from '../store';

export function LiveRegion() {
  const announcements = useAppStore((state) => state.announcements);
  return (
    <div className="live-region" role="log" aria-live="polite" aria-relevant="additions">
      {announcements.map((piece) => (
        <p key={piece.id}>{piece.text}</p>
      ))}
    </div>
  );
}

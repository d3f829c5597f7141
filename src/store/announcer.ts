/**
 * When the page's polite live region says something, so that a screen reader can keep up:
 * news (a run started, paused or ended, a dataset loaded, a run deleted) is said at once, each
 * piece added on its own, so that a listener hears only the new one and a piece that follows
 * another closely does not cut it off; progress (an epoch's figures) at most once every few
 * seconds, the latest only, and not within a second of news. Pure: the caller shows the text,
 * and gives the clock.
 */

/** News or progress: progress lines may be skipped, news never. */
export type AnnouncementKind = 'news' | 'progress';

/** Least time between news and a progress line after it. */
export const NEWS_HOLD_MS = 1000;
/** Least time between two progress lines: one takes about 4 s to speak ("Epoch 3 of 5 finished: loss 0.0712, …"). */
export const PROGRESS_GAP_MS = 5000;

/** Says things through `show`, at a pace a listener can follow. */
export interface Announcer {
  say(text: string, kind: AnnouncementKind): void;
}

/** An announcer that adds each piece it says with `show`; `now` is the clock in milliseconds. */
export function createAnnouncer(show: (text: string) => void, now: () => number = () => performance.now()): Announcer {
  let lastNewsAt = Number.NEGATIVE_INFINITY;
  let lastProgressAt = Number.NEGATIVE_INFINITY;
  let waiting: { readonly timer: ReturnType<typeof setTimeout>; text: string } | null = null;

  const progress = (text: string): void => {
    lastProgressAt = now();
    show(text);
  };

  return {
    say(text, kind) {
      if (kind === 'news') {
        // A progress line still waiting is stale once there is news (the run ended, say).
        if (waiting) clearTimeout(waiting.timer);
        waiting = null;
        lastNewsAt = now();
        show(text);
        return;
      }
      if (waiting) {
        waiting.text = text;
        return;
      }
      const wait = Math.max(lastProgressAt + PROGRESS_GAP_MS, lastNewsAt + NEWS_HOLD_MS) - now();
      if (wait <= 0) {
        progress(text);
        return;
      }
      const timer = setTimeout(() => {
        const latest = waiting?.text;
        waiting = null;
        if (latest !== undefined) progress(latest);
      }, wait);
      waiting = { timer, text };
    },
  };
}

/**
 * When the page's polite live region changes, so that a screen reader can keep up: news (a
 * run started, paused or ended, a dataset loaded, a run deleted) is said at once, and news
 * that follows other news within a second is said with it rather than over it; progress (an
 * epoch's figures) is said at most once every few seconds, the latest only, and never over
 * news just said. Pure: the caller shows the text, and gives the clock.
 */

/** News or progress: progress lines may be skipped, news never. */
export type AnnouncementKind = 'news' | 'progress';

/** News within this long of the last news is joined to it: a screen reader may skip text replaced sooner. */
export const NEWS_JOIN_MS = 1000;
/** Least time between two progress lines: one takes about 4 s to speak ("Epoch 3 of 5 finished: loss 0.0712, …"). */
export const PROGRESS_GAP_MS = 5000;
/** Most pieces of news said as one. */
const MAX_JOINED = 3;

/** Says things through `show`, at a pace a listener can follow. */
export interface Announcer {
  say(text: string, kind: AnnouncementKind): void;
}

/**
 * An announcer that shows its text with `show`; `current` reads what is shown now (news is
 * joined only to text still shown), and `now` is the clock in milliseconds.
 */
export function createAnnouncer(show: (text: string) => void, current: () => string, now: () => number = () => performance.now()): Announcer {
  let shown: { readonly text: string; readonly at: number; readonly kind: AnnouncementKind; readonly pieces: number } | null = null;
  let lastProgressAt = Number.NEGATIVE_INFINITY;
  let waiting: { readonly timer: ReturnType<typeof setTimeout>; text: string } | null = null;

  const put = (text: string, kind: AnnouncementKind, pieces: number): void => {
    shown = { text, at: now(), kind, pieces };
    if (kind === 'progress') lastProgressAt = shown.at;
    show(text);
  };
  const progressDue = (): number => Math.max(lastProgressAt + PROGRESS_GAP_MS, shown?.kind === 'news' ? shown.at + NEWS_JOIN_MS : Number.NEGATIVE_INFINITY);

  return {
    say(text, kind) {
      if (kind === 'news') {
        // A progress line still waiting is stale once there is news (the run ended, say).
        if (waiting) clearTimeout(waiting.timer);
        waiting = null;
        const join = shown?.kind === 'news' && shown.text === current() && now() - shown.at < NEWS_JOIN_MS && shown.pieces < MAX_JOINED && shown.text !== text;
        if (join && shown) put(`${shown.text} ${text}`, 'news', shown.pieces + 1);
        else put(text, 'news', 1);
        return;
      }
      const wait = progressDue() - now();
      if (wait <= 0 && !waiting) {
        put(text, 'progress', 1);
        return;
      }
      if (waiting) {
        waiting.text = text;
        return;
      }
      const timer = setTimeout(() => {
        const latest = waiting?.text;
        waiting = null;
        if (latest !== undefined) put(latest, 'progress', 1);
      }, wait);
      waiting = { timer, text };
    },
  };
}

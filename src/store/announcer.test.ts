import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnnouncer, NEWS_JOIN_MS, PROGRESS_GAP_MS } from './announcer';

/** An announcer on fake timers, and what it showed, in order. */
function listener() {
  const shown: string[] = [];
  const announcer = createAnnouncer(
    (text) => shown.push(text),
    () => shown.at(-1) ?? '',
    () => Date.now(),
  );
  return { announcer, shown };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the live region', () => {
  it('says each piece of news at once, joining news that follows within a second so that neither is cut short', () => {
    const { announcer, shown } = listener();
    announcer.say('Restored 11 saved runs.', 'news');
    vi.advanceTimersByTime(200);
    announcer.say('Fashion-MNIST loaded.', 'news');
    expect(shown).toEqual(['Restored 11 saved runs.', 'Restored 11 saved runs. Fashion-MNIST loaded.']);
    vi.advanceTimersByTime(NEWS_JOIN_MS);
    announcer.say('Training paused.', 'news');
    expect(shown.at(-1)).toBe('Training paused.');
  });

  it('says an epoch line at most once every few seconds, the latest only, and never over news just said', () => {
    const { announcer, shown } = listener();
    announcer.say('Training Linear #17 on MNIST.', 'news');
    // A 30-epoch run on 1,000 images: 27 epochs in 0.6 s.
    for (let epoch = 1; epoch <= 30; epoch++) announcer.say(`Epoch ${epoch} of 30 finished.`, 'progress');
    expect(shown).toEqual(['Training Linear #17 on MNIST.']);
    vi.advanceTimersByTime(NEWS_JOIN_MS);
    expect(shown).toEqual(['Training Linear #17 on MNIST.', 'Epoch 30 of 30 finished.']);
    announcer.say('Epoch 1 of 2 finished.', 'progress');
    vi.advanceTimersByTime(PROGRESS_GAP_MS - 1);
    expect(shown.at(-1)).toBe('Epoch 30 of 30 finished.');
    vi.advanceTimersByTime(1);
    expect(shown.at(-1)).toBe('Epoch 1 of 2 finished.');
  });

  it('drops an epoch line still waiting when news comes: the run has ended', () => {
    const { announcer, shown } = listener();
    announcer.say('Epoch 1 of 2 finished.', 'progress');
    announcer.say('Epoch 2 of 2 finished.', 'progress');
    announcer.say('Linear #17 finished. Test accuracy 77.69%.', 'news');
    vi.advanceTimersByTime(PROGRESS_GAP_MS * 2);
    expect(shown).toEqual(['Epoch 1 of 2 finished.', 'Linear #17 finished. Test accuracy 77.69%.']);
  });

  it('joins news only to text still shown, and at most three pieces', () => {
    const { announcer, shown } = listener();
    announcer.say('A.', 'news');
    shown.push('');
    announcer.say('B.', 'news');
    announcer.say('C.', 'news');
    announcer.say('D.', 'news');
    announcer.say('E.', 'news');
    expect(shown.slice(2)).toEqual(['B.', 'B. C.', 'B. C. D.', 'E.']);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnnouncer, NEWS_HOLD_MS, PROGRESS_GAP_MS } from './announcer';

/** An announcer on fake timers, and what it added, in order. */
function listener() {
  const said: string[] = [];
  const announcer = createAnnouncer(
    (text) => said.push(text),
    () => Date.now(),
  );
  return { announcer, said };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the live region', () => {
  it('says each piece of news at once, on its own, however close together', () => {
    const { announcer, said } = listener();
    announcer.say('Restored 11 saved runs.', 'news');
    vi.advanceTimersByTime(200);
    announcer.say('Fashion-MNIST loaded.', 'news');
    announcer.say('Training paused.', 'news');
    expect(said).toEqual(['Restored 11 saved runs.', 'Fashion-MNIST loaded.', 'Training paused.']);
  });

  it('says an epoch line at most once every few seconds, the latest only, and not within a second of news', () => {
    const { announcer, said } = listener();
    announcer.say('Training Linear #17 on MNIST.', 'news');
    // A 30-epoch run on 1,000 images: 27 epochs in 0.6 s.
    for (let epoch = 1; epoch <= 30; epoch++) announcer.say(`Epoch ${epoch} of 30 finished.`, 'progress');
    expect(said).toEqual(['Training Linear #17 on MNIST.']);
    vi.advanceTimersByTime(NEWS_HOLD_MS);
    expect(said).toEqual(['Training Linear #17 on MNIST.', 'Epoch 30 of 30 finished.']);
    announcer.say('Epoch 1 of 2 finished.', 'progress');
    vi.advanceTimersByTime(PROGRESS_GAP_MS - 1);
    expect(said.at(-1)).toBe('Epoch 30 of 30 finished.');
    vi.advanceTimersByTime(1);
    expect(said.at(-1)).toBe('Epoch 1 of 2 finished.');
  });

  it('drops an epoch line still waiting when news comes: the run has ended', () => {
    const { announcer, said } = listener();
    announcer.say('Epoch 1 of 2 finished.', 'progress');
    announcer.say('Epoch 2 of 2 finished.', 'progress');
    announcer.say('Linear #17 finished. Test accuracy 77.69%.', 'news');
    vi.advanceTimersByTime(PROGRESS_GAP_MS * 2);
    expect(said).toEqual(['Epoch 1 of 2 finished.', 'Linear #17 finished. Test accuracy 77.69%.']);
  });
});

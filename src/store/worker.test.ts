import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchedDelivery, EVENT_BATCH_MS } from './worker';

describe('batchedDelivery', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('hands on an event after a quiet spell at once, and a burst together, in order, one interval later', () => {
    const calls: number[][] = [];
    const events = batchedDelivery<number>((batch) => calls.push([...batch]));
    events.push(1);
    expect(calls).toEqual([[1]]);
    // A run of 3 ms epochs: a burst, delivered as one batch when the interval has passed.
    for (let i = 2; i <= 6; i++) events.push(i);
    expect(calls).toEqual([[1]]);
    vi.advanceTimersByTime(EVENT_BATCH_MS);
    expect(calls).toEqual([[1], [2, 3, 4, 5, 6]]);
    // Quiet again: the next one goes at once.
    vi.advanceTimersByTime(EVENT_BATCH_MS);
    events.push(7);
    expect(calls).toEqual([[1], [2, 3, 4, 5, 6], [7]]);
  });

  it('hands on an urgent event at once, with those waiting before it', () => {
    const calls: string[][] = [];
    const events = batchedDelivery<string>((batch) => calls.push([...batch]), (event) => event.startsWith('!'));
    events.push('a');
    events.push('b');
    events.push('!prediction');
    expect(calls).toEqual([['a'], ['b', '!prediction']]);
    vi.advanceTimersByTime(EVENT_BATCH_MS * 2);
    expect(calls).toEqual([['a'], ['b', '!prediction']]);
  });

  it('flushes what waits on demand (a crash), and has nothing to flush twice', () => {
    const calls: string[][] = [];
    const events = batchedDelivery<string>((batch) => calls.push([...batch]));
    events.push('a');
    events.push('b');
    events.flush();
    events.flush();
    vi.advanceTimersByTime(EVENT_BATCH_MS * 2);
    expect(calls).toEqual([['a'], ['b']]);
  });
});

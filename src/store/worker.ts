/**
 * The store's one connection to the training worker: started on first use, its events handed
 * to the listener the store registers. Slices send commands through `sendToWorker`.
 */
import { startTrainer, type TrainerClient } from '../training/client';
import type { WorkerCommand, WorkerEvent } from '../training/protocol';

interface Listeners {
  onEvent: (event: WorkerEvent) => void;
  /** The worker was replaced: it crashed (`crashed`), or said its backend was broken; `message` says what happened. */
  onCrash: (message: string, crashed: boolean) => void;
}

/**
 * Events that arrive closer together than this are handed on together, in one task, so that
 * React draws them once: a run of 3 ms epochs sends hundreds a second, and one redraw each
 * would take the page. An event after a quiet spell (a batch's report every 100 ms) is
 * handed on at once, and so is a prediction.
 */
export const EVENT_BATCH_MS = 16;

/**
 * `deliver`, called with the events in the order they came: at once when the last call was
 * `intervalMs` ago or more, or for an `urgent` event (with those waiting before it), else with
 * all that came since, `intervalMs` after the last call.
 */
export function batchedDelivery<T>(
  deliver: (events: readonly T[]) => void,
  urgent: (event: T) => boolean = () => false,
  intervalMs = EVENT_BATCH_MS,
): { push: (event: T) => void; flush: () => void } {
  let queue: T[] = [];
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    last = performance.now();
    const events = queue;
    queue = [];
    deliver(events);
  };
  return {
    push(event) {
      queue.push(event);
      if (urgent(event)) return flush();
      if (timer !== undefined) return;
      const wait = last + intervalMs - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    flush,
  };
}

let client: TrainerClient | null = null;
let listeners: Listeners = { onEvent: () => undefined, onCrash: () => undefined };

/** Registers where worker events and crashes go. */
export function connectWorker(next: Listeners): void {
  listeners = next;
}

/** Sends a command to the worker, starting it if needed. */
export function sendToWorker(command: WorkerCommand, transfer: Transferable[] = []): void {
  if (client === null) {
    // A drawing's answer is awaited by the hand drawing it: never held back.
    const events = batchedDelivery<WorkerEvent>(
      (batch) => {
        for (const event of batch) listeners.onEvent(event);
      },
      (event) => event.type === 'prediction',
    );
    client = startTrainer(events.push, (message, crashed) => {
      // What the worker said before it was replaced comes first.
      events.flush();
      listeners.onCrash(message, crashed);
    });
  }
  client.send(command, transfer);
}

/**
 * The main thread's handle on the training worker: creates it once, sends typed commands,
 * hands typed events to one listener, and restarts the worker if it crashes. Imports no tfjs.
 */
import type { WorkerCommand, WorkerEvent } from './protocol';

export type WorkerListener = (event: WorkerEvent) => void;
export type CrashListener = (message: string) => void;

/** A running training worker. */
export interface TrainerClient {
  send(command: WorkerCommand, transfer?: Transferable[]): void;
  terminate(): void;
}

/** Starts the training worker; `onEvent` receives every event, `onCrash` an uncaught worker error. */
export function startTrainer(onEvent: WorkerListener, onCrash: CrashListener): TrainerClient {
  let worker: Worker | null = null;
  const spawn = (): Worker => {
    const next = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    next.addEventListener('message', (event: MessageEvent<WorkerEvent>) => onEvent(event.data));
    next.addEventListener('error', (event) => {
      event.preventDefault();
      next.terminate();
      worker = spawn();
      onCrash(event.message || 'the training worker stopped unexpectedly');
    });
    return next;
  };
  worker = spawn();
  return {
    send(command, transfer = []) {
      (worker ?? (worker = spawn())).postMessage(command, transfer);
    },
    terminate() {
      worker?.terminate();
      worker = null;
    },
  };
}

/**
 * The main thread's handle on the training worker: creates it once, sends typed commands,
 * hands typed events to one listener, and restarts the worker if it crashes. Imports no tfjs.
 */
import type { WorkerCommand, WorkerEvent } from './protocol';

export type WorkerListener = (event: WorkerEvent) => void;
/**
 * Told when the worker was replaced: `crashed` for an uncaught error (`message` is its text),
 * false when the worker itself said its backend was broken (`message` says why).
 */
export type CrashListener = (message: string, crashed: boolean) => void;

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
    const replace = (message: string, crashed: boolean): void => {
      next.terminate();
      worker = spawn();
      onCrash(message, crashed);
    };
    next.addEventListener('message', (event: MessageEvent<WorkerEvent>) => {
      // Nothing from a worker already replaced.
      if (worker !== next) return;
      if (event.data.type === 'backendBroken') replace(event.data.reason, false);
      else onEvent(event.data);
    });
    next.addEventListener('error', (event) => {
      event.preventDefault();
      replace(event.message || 'the training worker stopped unexpectedly', true);
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

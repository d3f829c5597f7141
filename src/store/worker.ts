/**
 * The store's one connection to the training worker: started on first use, its events handed
 * to the listener the store registers. Slices send commands through `sendToWorker`.
 */
import { startTrainer, type TrainerClient } from '../training/client';
import type { WorkerCommand, WorkerEvent } from '../training/protocol';

interface Listeners {
  onEvent: (event: WorkerEvent) => void;
  onCrash: (message: string) => void;
}

let client: TrainerClient | null = null;
let listeners: Listeners = { onEvent: () => undefined, onCrash: () => undefined };

/** Registers where worker events and crashes go. */
export function connectWorker(next: Listeners): void {
  listeners = next;
}

/** Sends a command to the worker, starting it if needed. */
export function sendToWorker(command: WorkerCommand, transfer: Transferable[] = []): void {
  client ??= startTrainer(
    (event) => listeners.onEvent(event),
    (message) => listeners.onCrash(message),
  );
  client.send(command, transfer);
}

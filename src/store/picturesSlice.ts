/**
 * The pictures slice: the first-layer weights of the run on show, as pictures (see
 * training/layerPicture.ts), with the epochs that run had done when they were asked for.
 * Requests carry ids: an answer for a run or an epoch since left behind is dropped.
 */
import type { StateCreator } from 'zustand';
import type { LayerPictures, WorkerEvent } from '../training/protocol';
import type { AppState } from './index';
import { isActiveRun } from './runsSlice';
import { sendToWorker } from './worker';

/** The latest answer: a run's pictures, or why it has none. */
export interface ShownLayerPictures {
  readonly runId: string;
  /** The epochs its weights had trained (0: as initialised): for a run in training, the worker's word; else the run's epochs when asked. */
  readonly epochsDone: number;
  /** True when asked for after the run had ended: its final weights. */
  readonly ended: boolean;
  readonly pictures: LayerPictures | null;
  readonly note: string | null;
}

export interface PicturesSlice {
  readonly layerPictures: ShownLayerPictures | null;
  /** Asks the worker for a run's first-layer weights as they are now. */
  readonly requestLayerPictures: (runId: string) => void;
  readonly handlePicturesEvent: (event: WorkerEvent) => void;
}

export const createPicturesSlice: StateCreator<AppState, [], [], PicturesSlice> = (set, get) => {
  let nextRequestId = 1;
  let asked: { readonly requestId: number; readonly runId: string; readonly epochsDone: number; readonly ended: boolean } | null = null;
  return {
    layerPictures: null,
    requestLayerPictures: (runId) => {
      const run = get().runs[runId];
      if (!run) return;
      const ended = !isActiveRun(run);
      asked = { requestId: nextRequestId++, runId, epochsDone: run.epochs.length, ended };
      sendToWorker({ type: 'layerPictures', requestId: asked.requestId, runId });
    },
    handlePicturesEvent: (event) => {
      if (event.type !== 'layerPictures' || event.requestId !== asked?.requestId) return;
      // The worker says which epoch's weights a run in training sent (kept at that epoch's end).
      const { runId } = asked;
      const kept = event.epochsDone !== null;
      set({ layerPictures: { runId, epochsDone: event.epochsDone ?? asked.epochsDone, ended: kept ? false : asked.ended, pictures: event.pictures, note: event.note } });
    },
  };
};

/**
 * The drawing slice: which run classifies drawings, and the latest prediction (the image the
 * model received, its probabilities, and how long the round trip took). Requests carry ids
 * so that a late answer to an older drawing never replaces a newer one.
 */
import type { StateCreator } from 'zustand';
import type { PredictImage, WorkerEvent } from '../training/protocol';
import type { AppState } from './index';
import { sendToWorker } from './worker';

/** The latest answer to a drawing or an image to classify. */
export interface DrawingPrediction {
  readonly requestId: number;
  readonly runId: string | null;
  readonly input: Float32Array | null;
  readonly probabilities: Float32Array | null;
  readonly note: string | null;
  /** Pad to bars: from sending the image to receiving the answer, on the page's clock. */
  readonly roundTripMs: number;
  readonly workerMs: number;
}

export interface DrawingSlice {
  /** The run that classifies; null means the newest run with a model. */
  readonly drawingRunId: string | null;
  readonly prediction: DrawingPrediction | null;
  /** Round-trip times of recent predictions, for the speed readout and the benchmark. */
  readonly roundTrips: readonly number[];
  readonly setDrawingRun: (runId: string | null) => void;
  readonly classify: (image: PredictImage, size: { height: number; width: number }) => void;
  readonly clearPrediction: () => void;
  readonly handleDrawingEvent: (event: WorkerEvent) => void;
}

let nextRequestId = 1;
let latestRequestId = 0;
const sentAt = new Map<number, number>();
const ROUND_TRIPS_KEPT = 200;

/** The run that classifies drawings: the chosen one, or the newest that has a model. */
export function selectDrawingRunId(state: AppState): string | null {
  if (state.drawingRunId !== null && state.runs[state.drawingRunId]) return state.drawingRunId;
  for (let i = state.runOrder.length - 1; i >= 0; i--) {
    const run = state.runs[state.runOrder[i] ?? ''];
    if (run && run.status !== 'starting' && run.status !== 'failed') return run.id;
  }
  return null;
}

export const createDrawingSlice: StateCreator<AppState, [], [], DrawingSlice> = (set, get) => ({
  drawingRunId: null,
  prediction: null,
  roundTrips: [],

  setDrawingRun: (runId) => set({ drawingRunId: runId }),

  classify: (image, size) => {
    const requestId = nextRequestId++;
    latestRequestId = requestId;
    sentAt.set(requestId, performance.now());
    const transfer = image.kind === 'rgba' ? [image.rgba.buffer as ArrayBuffer] : [image.pixels.buffer as ArrayBuffer];
    sendToWorker({ type: 'predict', requestId, runId: selectDrawingRunId(get()), image, size }, transfer);
  },

  clearPrediction: () => {
    latestRequestId = nextRequestId++;
    set({ prediction: null });
  },

  handleDrawingEvent: (event) => {
    if (event.type !== 'prediction') return;
    const started = sentAt.get(event.requestId);
    sentAt.delete(event.requestId);
    if (event.requestId < latestRequestId || started === undefined) return;
    const roundTripMs = performance.now() - started;
    set((state) => ({
      prediction: {
        requestId: event.requestId,
        runId: event.runId,
        input: event.input,
        probabilities: event.probabilities,
        note: event.note,
        roundTripMs,
        workerMs: event.milliseconds,
      },
      roundTrips: event.probabilities ? [...state.roundTrips.slice(-(ROUND_TRIPS_KEPT - 1)), roundTripMs] : state.roundTrips,
    }));
  },
});

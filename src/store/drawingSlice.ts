/**
 * The drawing slice: which run classifies drawings, and the latest prediction (the image the
 * model received, its probabilities, and how long the round trip took). Requests carry ids
 * so that a late answer to an older drawing never replaces a newer one.
 *
 * A drawing in progress is classified as fast as the worker answers, never faster: one image
 * is with the worker at a time, and while it is, only the newest version of the drawing waits
 * (read off the pad when it is sent). So the answers follow the pen without a queue building
 * up behind a worker that is busy training, and the drawing is usually classified before the
 * pen lifts. Every round trip is also a `prediction` User Timing measure, which the browser's
 * profiler shows and the benchmark reads.
 */
import type { StateCreator } from 'zustand';
import { drawingLayoutOf } from '../data/datasets';
import type { PredictImage, WorkerEvent } from '../training/protocol';
import type { AppState } from './index';
import { addMeasure, PREDICTION_MEASURE, type PredictionMeasureDetail } from './measures';
import { hasModel, isActiveRun } from './runsSlice';
import { sendToWorker } from './worker';

/** The latest answer to a drawing or an image to classify. */
export interface DrawingPrediction {
  readonly requestId: number;
  readonly runId: string | null;
  readonly input: Float32Array | null;
  readonly probabilities: Float32Array | null;
  readonly note: string | null;
  /** How much of the drawing's (or image file's) picture its ink spans; null for a dataset image (see the worker's event). */
  readonly inkSpan: number | null;
  /** Pad to bars: from sending the image to receiving the answer, on the page's clock. */
  readonly roundTripMs: number;
  readonly workerMs: number;
  /** Where the answering model stood when asked: null once its training had ended (or for no model). */
  readonly training: ModelStage | null;
  /** True when the drawing had changed again by the time this answer came: it is about the drawing as it was, and the next answer is on its way. */
  readonly behind: boolean;
}

/** A model in training, as far as it has come: its finished epochs, of how many. */
export interface ModelStage {
  readonly epochsDone: number;
  readonly epochs: number;
}

/**
 * Where a run's model stands, for the drawing's answers: its finished epochs while it trains,
 * 'ended' after. The Draw tab asks again when this changes, since the weights have.
 */
export function modelStage(state: AppState, runId: string | null): ModelStage | 'ended' | null {
  const run = runId === null ? undefined : state.runs[runId];
  if (!run) return null;
  return isActiveRun(run) ? { epochsDone: run.epochs.length, epochs: run.spec.fit.epochs } : 'ended';
}

export interface DrawingSlice {
  /** The run that classifies; null means the newest run with a model. */
  readonly drawingRunId: string | null;
  readonly prediction: DrawingPrediction | null;
  /** Round-trip times of recent predictions, for the speed readout and the benchmark. */
  readonly roundTrips: readonly number[];
  readonly setDrawingRun: (runId: string | null) => void;
  /** Classifies an image now (a test image, a dropped file); returns the request's id, which its answer carries. */
  readonly classify: (image: PredictImage, size: ImageSize) => number;
  /** Classifies a drawing that is changing: `read` is called when the worker is free for it (null: the pad is gone). */
  readonly classifyDrawing: (read: () => PredictImage | null, size: ImageSize) => void;
  readonly clearPrediction: () => void;
  readonly handleDrawingEvent: (event: WorkerEvent) => void;
  /** After a worker crash: the drawing's request died with the old worker, so send it again, or the newer one waiting. */
  readonly recoverDrawing: () => void;
}

type ImageSize = { readonly height: number; readonly width: number };
/** A drawing to classify: how to read the pad when the worker is free for it (null: the pad is gone), and the model's image size. */
type Drawing = { readonly read: () => PredictImage | null; readonly size: ImageSize };
/** How long the drawing's request may go unanswered before the next drawing is sent anyway. */
export const DRAWING_ANSWER_TIMEOUT_MS = 3000;

let nextRequestId = 1;
let latestRequestId = 0;
/** When a request was sent, what it classifies, and how far the asked model's training had come. */
type Sent = { readonly at: number; readonly source: PredictionMeasureDetail['source']; readonly training: ModelStage | null };
const sentAt = new Map<number, Sent>();
const ROUND_TRIPS_KEPT = 200;
/** Measures kept in the page's performance timeline before they are cleared (a pen at 60 Hz makes 3,600 a minute). */
const MEASURES_KEPT = 2000;
let measures = 0;

function recordMeasure(start: number, end: number, detail: PredictionMeasureDetail): void {
  if (++measures > MEASURES_KEPT) {
    performance.clearMeasures(PREDICTION_MEASURE);
    measures = 1;
  }
  addMeasure(PREDICTION_MEASURE, start, end, detail);
}

/** Whether a run has a model to classify with: one in training (its latest weights), or one that ended with its model (hasModel). */
export const hasDrawingModel = (run: Parameters<typeof hasModel>[0]): boolean => run.status === 'running' || run.status === 'paused' || hasModel(run);

/** The runs the choice reads: which one is chosen, the runs in order, the dataset in use. */
type DrawingRuns = Pick<AppState, 'drawingRunId' | 'runs' | 'runOrder' | 'activeDatasetId'>;

/**
 * The run that classifies drawings: the chosen one while it has a model (not deleted, not
 * failed), or else the newest that has one, trained on the dataset in use where there is one
 * (a person who switched to Fashion-MNIST and draws means a Fashion-MNIST model).
 */
export function selectDrawingRunId(state: DrawingRuns): string | null {
  const chosen = state.drawingRunId === null ? undefined : state.runs[state.drawingRunId];
  if (chosen && hasDrawingModel(chosen)) return chosen.id;
  return selectNewestDrawingRunId(state);
}

/** The run "Newest run" stands for, whichever run is chosen now. */
export function selectNewestDrawingRunId(state: DrawingRuns): string | null {
  let newest: string | null = null;
  for (let i = state.runOrder.length - 1; i >= 0; i--) {
    const run = state.runs[state.runOrder[i] ?? ''];
    if (!run || !hasDrawingModel(run)) continue;
    if (run.datasetId === state.activeDatasetId) return run.id;
    newest ??= run.id;
  }
  return newest;
}

export const createDrawingSlice: StateCreator<AppState, [], [], DrawingSlice> = (set, get) => {
  /**
   * The drawing with the worker (its request, and the drawing itself, to send again if the
   * worker is lost), and the newest drawing waiting for its answer.
   */
  let drawingInFlight: { requestId: number; drawing: Drawing; watchdog: ReturnType<typeof setTimeout> } | null = null;
  let drawingWaiting: Drawing | null = null;

  const send = (image: PredictImage, size: ImageSize, source: PredictionMeasureDetail['source']): number => {
    const requestId = nextRequestId++;
    latestRequestId = requestId;
    const runId = selectDrawingRunId(get());
    const stage = modelStage(get(), runId);
    sentAt.set(requestId, { at: performance.now(), source, training: stage === 'ended' ? null : stage });
    const transfer = image.kind === 'rgba' ? [image.rgba.buffer as ArrayBuffer] : [image.pixels.buffer as ArrayBuffer];
    // The model's dataset decides how a drawing is laid out: MNIST's digits and Fashion-MNIST's articles differ.
    const datasetId = (runId === null ? null : get().runs[runId]?.datasetId) ?? get().activeDatasetId ?? '';
    sendToWorker({ type: 'predict', requestId, runId, image, size, layout: drawingLayoutOf(datasetId) }, transfer);
    return requestId;
  };
  /** Shows an answer unless a newer request was sent before it came, and measures its round trip. */
  const showAnswer = (event: Extract<WorkerEvent, { type: 'prediction' }>, sent: Sent): void => {
    const now = performance.now();
    if (event.probabilities) recordMeasure(sent.at, now, { source: sent.source, workerMs: event.milliseconds });
    if (event.requestId < latestRequestId) return;
    const roundTripMs = now - sent.at;
    set((state) => ({
      prediction: {
        requestId: event.requestId,
        runId: event.runId,
        input: event.input,
        probabilities: event.probabilities,
        note: event.note,
        inkSpan: event.inkSpan,
        roundTripMs,
        workerMs: event.milliseconds,
        training: sent.training,
        behind: sent.source === 'drawing' && drawingWaiting !== null,
      },
      roundTrips: event.probabilities ? [...state.roundTrips.slice(-(ROUND_TRIPS_KEPT - 1)), roundTripMs] : state.roundTrips,
    }));
  };
  /** Sends the waiting drawing, if any, as the one in flight; whatever fails, none is left in flight. */
  const sendWaitingDrawing = (): void => {
    if (drawingInFlight) clearTimeout(drawingInFlight.watchdog);
    drawingInFlight = null;
    const waiting = drawingWaiting;
    drawingWaiting = null;
    const image = waiting?.read() ?? null;
    if (!waiting || !image) return;
    const requestId = send(image, waiting.size, 'drawing');
    // A worker that neither answers nor crashes (a backend that hangs) must not stop the drawing's answers for good.
    const watchdog = setTimeout(() => {
      if (drawingInFlight?.requestId === requestId) sendWaitingDrawing();
    }, DRAWING_ANSWER_TIMEOUT_MS);
    drawingInFlight = { requestId, drawing: waiting, watchdog };
  };

  return {
    drawingRunId: null,
    prediction: null,
    roundTrips: [],

    setDrawingRun: (runId) => set({ drawingRunId: runId }),

    classify: (image, size) => {
      drawingWaiting = null;
      return send(image, size, 'image');
    },

    classifyDrawing: (read, size) => {
      drawingWaiting = { read, size };
      if (!drawingInFlight) sendWaitingDrawing();
    },

    clearPrediction: () => {
      drawingWaiting = null;
      latestRequestId = nextRequestId++;
      set({ prediction: null });
    },

    recoverDrawing: () => {
      drawingWaiting ??= drawingInFlight?.drawing ?? null;
      sendWaitingDrawing();
    },

    handleDrawingEvent: (event) => {
      if (event.type !== 'prediction') return;
      const sent = sentAt.get(event.requestId);
      sentAt.delete(event.requestId);
      try {
        if (sent !== undefined) showAnswer(event, sent);
      } finally {
        if (event.requestId === drawingInFlight?.requestId) sendWaitingDrawing();
      }
    },
  };
};

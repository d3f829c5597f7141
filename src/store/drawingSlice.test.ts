import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BUILTIN_DATASETS } from '../data/datasets';
import { MNIST_DRAWING_LAYOUT } from '../data/drawing';
import type { PredictImage, WorkerCommand } from '../training/protocol';
import { run } from './testing';

/** What the worker was told, in order; it answers only when a test says so. */
const sent: Extract<WorkerCommand, { type: 'predict' }>[] = [];
vi.mock('./worker', () => ({
  connectWorker: () => undefined,
  sendToWorker: (command: WorkerCommand) => {
    if (command.type === 'predict') sent.push(command);
  },
}));

const { useAppStore } = await import('./index');
const { DRAWING_ANSWER_TIMEOUT_MS, selectDrawingRunId, selectNewestDrawingRunId } = await import('./drawingSlice');
const { PREDICTION_MEASURE } = await import('./measures');
const state = () => useAppStore.getState();
const SIZE = { height: 28, width: 28 };

/** A drawing whose pixels say which version of the pad it is; counts how often it was read. */
function pad() {
  const drawing = { version: 0, reads: 0 };
  const read = (): PredictImage => {
    drawing.reads++;
    return { kind: 'pixels', pixels: Float32Array.of(drawing.version) };
  };
  return { drawing, read };
}

/** The worker's answer to a request: class 0 at 90%, or no probabilities with a note. */
function answer(requestIndex: number, probabilities: Float32Array | null = Float32Array.of(0.9, 0.1)): void {
  const request = sent[requestIndex];
  if (!request) throw new Error(`no request #${requestIndex}`);
  state().handleDrawingEvent({ type: 'prediction', requestId: request.requestId, runId: null, input: null, probabilities, milliseconds: 0.5, note: probabilities ? null : 'no model', inkSpan: null });
}

/** One drawing with the worker and a newer one waiting behind it. */
function drawWhileInFlight(read = pad().read): void {
  state().classifyDrawing(read, SIZE);
  state().classifyDrawing(read, SIZE);
}

const sentVersion = (index: number): number | undefined => {
  const image = sent[index]?.image;
  return image?.kind === 'pixels' ? image.pixels[0] : undefined;
};

beforeEach(() => {
  // Answer whatever a previous test left with the worker, so each starts with none in flight.
  for (let i = 0; i < sent.length; i++) answer(i);
  state().clearPrediction();
  sent.length = 0;
  performance.clearMeasures(PREDICTION_MEASURE);
});

describe('a drawing that changes while the worker classifies it', () => {
  it('keeps one image with the worker, and sends only the newest drawing when it answers', () => {
    const { drawing, read } = pad();
    state().classifyDrawing(read, SIZE);
    expect(sent).toHaveLength(1);
    for (let version = 1; version <= 5; version++) {
      drawing.version = version;
      state().classifyDrawing(read, SIZE);
    }
    expect(sent).toHaveLength(1);
    expect(drawing.reads).toBe(1);

    answer(0);
    expect(state().prediction?.requestId).toBe(sent[0]?.requestId);
    // Shown, but marked as about the drawing as it was: a newer one had been drawn since.
    expect(state().prediction?.behind).toBe(true);
    expect(sent).toHaveLength(2);
    expect(sentVersion(1)).toBe(5);
    expect(drawing.reads).toBe(2);

    answer(1);
    expect(state().prediction?.requestId).toBe(sent[1]?.requestId);
    expect(state().prediction?.behind).toBe(false);
    expect(sent).toHaveLength(2);
  });

  it('drops the waiting drawing when the pad is cleared or a test image is asked for', () => {
    drawWhileInFlight();
    state().clearPrediction();
    answer(0);
    expect(sent).toHaveLength(1);
    expect(state().prediction).toBeNull();

    drawWhileInFlight();
    state().classify({ kind: 'pixels', pixels: new Float32Array(784) }, SIZE);
    expect(sent).toHaveLength(3);
    answer(1);
    expect(sent).toHaveLength(3);
    expect(state().prediction).toBeNull();
    answer(2);
    expect(state().prediction?.requestId).toBe(sent[2]?.requestId);
  });

  it('skips a drawing whose pad is gone when the worker is free for it', () => {
    state().classifyDrawing(pad().read, SIZE);
    state().classifyDrawing(() => null, SIZE);
    answer(0);
    expect(sent).toHaveLength(1);
    state().classifyDrawing(pad().read, SIZE);
    expect(sent).toHaveLength(2);
  });

  it('after a crash, sends the new worker the waiting drawing, or the one the old worker lost', () => {
    drawWhileInFlight();
    state().recoverDrawing();
    expect(sent).toHaveLength(2);
    state().recoverDrawing();
    expect(sent).toHaveLength(3);
    answer(2);
    expect(state().prediction?.requestId).toBe(sent[2]?.requestId);
  });

  it('sends the next drawing anyway when the worker leaves one unanswered for a while', () => {
    vi.useFakeTimers();
    try {
      drawWhileInFlight();
      vi.advanceTimersByTime(DRAWING_ANSWER_TIMEOUT_MS - 1);
      expect(sent).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(sent).toHaveLength(2);
      answer(1);
      expect(state().prediction?.requestId).toBe(sent[1]?.requestId);
      answer(0);
      expect(state().prediction?.requestId).toBe(sent[1]?.requestId);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps classifying after reading the pad fails', () => {
    state().classifyDrawing(pad().read, SIZE);
    state().classifyDrawing(() => {
      throw new Error('the canvas is gone');
    }, SIZE);
    expect(() => answer(0)).toThrow('the canvas is gone');
    state().classifyDrawing(pad().read, SIZE);
    expect(sent).toHaveLength(2);
  });

  it('measures each round trip that classified, saying what was classified', () => {
    state().classifyDrawing(pad().read, SIZE);
    answer(0);
    state().classify({ kind: 'pixels', pixels: new Float32Array(784) }, SIZE);
    answer(1);
    state().classifyDrawing(pad().read, SIZE);
    answer(2, null);
    const measures = performance.getEntriesByName(PREDICTION_MEASURE, 'measure') as PerformanceMeasure[];
    expect(measures.map((m) => m.detail as unknown)).toEqual([
      { source: 'drawing', workerMs: 0.5 },
      { source: 'image', workerMs: 0.5 },
    ]);
    expect(state().roundTrips.at(-1)).toBeCloseTo(measures[1]?.duration ?? NaN, 6);
  });

  it("lays a drawing out as the classifying model's dataset laid its images out", () => {
    useAppStore.setState({ activeDatasetId: 'fashion-mnist' });
    state().classifyDrawing(pad().read, SIZE);
    answer(0);
    useAppStore.setState({ activeDatasetId: 'mnist' });
    state().classifyDrawing(pad().read, SIZE);
    answer(1);
    // The one model learnt Fashion-MNIST: it classifies, with its dataset's layout, while MNIST is in use.
    const fashionRun = { id: 'f1', datasetId: 'fashion-mnist', status: 'finished', epochs: [{ epoch: 1 }], batches: [] } as unknown as ReturnType<typeof state>['runs'][string];
    useAppStore.setState({ runs: { f1: fashionRun }, runOrder: ['f1'] });
    state().classifyDrawing(pad().read, SIZE);
    expect(sent.map((command) => command.layout)).toEqual([BUILTIN_DATASETS['fashion-mnist'].drawing, MNIST_DRAWING_LAYOUT, BUILTIN_DATASETS['fashion-mnist'].drawing]);
    expect(sent[2]?.runId).toBe('f1');
    useAppStore.setState({ runs: {}, runOrder: [] });
  });

  it('says how far a model in training had come when it was asked, and nothing once its training has ended', () => {
    const running = { ...run, id: 'r1', status: 'running' as const, spec: { ...run.spec, fit: { ...run.spec.fit, epochs: 5 } }, epochs: run.epochs.slice(0, 1) };
    useAppStore.setState({ runs: { r1: running }, runOrder: ['r1'] });
    state().classify({ kind: 'pixels', pixels: new Float32Array(784) }, SIZE);
    // The run finishes an epoch before the answer comes: the answer is still from the weights asked.
    useAppStore.setState({ runs: { r1: { ...running, epochs: [...running.epochs, ...running.epochs] } } });
    answer(0);
    expect(state().prediction?.training).toEqual({ epochsDone: 1, epochs: 5 });
    useAppStore.setState({ runs: { r1: { ...running, status: 'finished' } } });
    state().classify({ kind: 'pixels', pixels: new Float32Array(784) }, SIZE);
    answer(1);
    expect(state().prediction?.training).toBeNull();
    useAppStore.setState({ runs: {}, runOrder: [] });
  });
});

describe('the run that classifies drawings', () => {
  const runs = {
    a: { ...run, id: 'a', status: 'finished' as const },
    b: { ...run, id: 'b', status: 'finished' as const },
    c: { ...run, id: 'c', status: 'failed' as const },
    d: { ...run, id: 'd', status: 'starting' as const },
  };
  const choice = (drawingRunId: string | null) => ({ drawingRunId, runs, runOrder: ['a', 'b', 'c', 'd'], activeDatasetId: 'mnist' });

  it('is the newest run with a model: not one that failed, nor one still waiting to start', () => {
    expect(selectDrawingRunId(choice(null))).toBe('b');
  });

  it('is the chosen run while it has a model; "Newest run" still names the newest', () => {
    expect(selectDrawingRunId(choice('a'))).toBe('a');
    expect(selectNewestDrawingRunId(choice('a'))).toBe('b');
  });

  it('falls back to the newest when the chosen run has failed or is gone', () => {
    expect(selectDrawingRunId(choice('c'))).toBe('b');
    expect(selectDrawingRunId(choice('deleted'))).toBe('b');
  });
});

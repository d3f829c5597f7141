/**
 * The training engine behind the worker: holds the loaded datasets and every run's model,
 * trains runs one after another on the chosen backend, streams their progress as protocol
 * events, evaluates them, and answers predictions; it also saves models to IndexedDB, loads a
 * restored run's model on first use, and exports and imports model files. Touches neither
 * the DOM nor `self`: the worker entry gives it an `emit` function, and tests run it on the
 * cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import { inkFromRgba, preprocessDrawing } from '../data/drawing';
import { onWebglContextLost, useBackend } from './backend';
import { buildModel, createOptimizer, SpecError } from './buildModel';
import { evaluateModel, predictOne } from './evaluate';
import { createTrainingData, disposeTrainingData, fit, PASS_BATCH_SIZE, passSecondsLeft, passStep, REPORT_INTERVAL_MS, TrainingControl, TrainingDivergedError, type TrainingData } from './fit';
import { batchCount } from './batches';
import { epochImages } from './cost';
import { kernelPictures, picturedLayer } from './layerPicture';
import type { LayerPictures, RunFailureKind, SavedModelRef, WorkerCommand, WorkerEvent } from './protocol';
import { loadSavedModel, modelFiles, modelFromFiles, removeOrphanedModels, removeSavedModel, saveModel, specMismatch } from './savedModels';
import type { InputShape, ModelSpec } from './spec';
import { asClause, messageOf } from '../data/errors';

/** Sends an event to the page, transferring the listed buffers. */
export type Emit = (event: WorkerEvent, transfer?: Transferable[]) => void;

type TrainCommand = Extract<WorkerCommand, { type: 'train' }>;
type PredictCommand = Extract<WorkerCommand, { type: 'predict' }>;
type ImportModelCommand = Extract<WorkerCommand, { type: 'importModel' }>;

interface RunEntry {
  readonly spec: ModelSpec;
  readonly input: InputShape;
  readonly control: TrainingControl;
  model: tf.LayersModel | null;
  /** The backend whose memory holds the model's weights (null until it has a model). */
  backend: string | null;
  /**
   * While it trains: its first layer's pictures as they were at the last epoch's end (epoch 0:
   * as initialised). Read when asked, the weights would be those of the epoch after, part-way.
   */
  kept?: { readonly epochsDone: number; readonly pictures: LayerPictures } | null;
  /** The read of the latest epoch's pictures while it is under way: a request waits for it. */
  keeping?: Promise<void> | null;
  /** Set once it has finished or failed in training (one stopped before it began has `stopRequested`): a Pause or Resume that crossed its end in flight changes nothing. */
  ended?: boolean;
}

/** A model's first-layer weights as pictures, read now (a copy: training may replace the kernel before an asynchronous read ends); null for a model without such a layer. */
async function readPictures(model: tf.LayersModel, spec: ModelSpec, input: InputShape): Promise<LayerPictures | null> {
  const layer = picturedLayer(spec, input);
  const kernel = layer ? model.getLayer(layer.name).getWeights()[0] : undefined;
  if (!layer || !kernel) return null;
  const copy = kernel.clone();
  const read = await copy.data<'float32'>().finally(() => copy.dispose());
  return { layer, values: kernelPictures(read, layer.height * layer.width, layer.count) };
}

/**
 * How each backend says it ran out of memory: WebGL's OUT_OF_MEMORY, the wasm module's heap
 * (tfjs 4.22 in Node: allocating past it ends in "memory access out of bounds"; Emscripten:
 * "Cannot enlarge memory arrays", "Aborted(OOM)"), and JavaScript's own typed arrays.
 */
const OUT_OF_MEMORY = /out[ _]of[ _]memory|OOM|allocat|memory access out of bounds|enlarge memory|maximum memory size|invalid typed array length|array buffer allocation/i;

/** Frees a model. One whose WebGL context was lost may throw: its textures went with the context, so there is nothing left to free. */
function disposeModel(model: tf.LayersModel | null): void {
  try {
    model?.dispose();
  } catch {
    // Nothing left to free.
  }
}

/** What kind of failure an error is, for the message the user sees. */
export function classifyFailure(error: unknown): { kind: RunFailureKind; message: string } {
  if (error instanceof SpecError) return { kind: 'invalid-spec', message: error.message };
  if (error instanceof TrainingDivergedError) return { kind: 'diverged', message: error.message };
  const text = messageOf(error);
  if (OUT_OF_MEMORY.test(text)) {
    // Our WASM allocation check says it in a sentence already, with the size: not wrapped in another.
    const said = /^The \w+ backend ran out of memory\b.*\.$/.test(text) ? text : `The backend ran out of memory (${text}).`;
    return { kind: 'out-of-memory', message: `${said} Try a smaller batch size or model; finished runs are kept.` };
  }
  // Emscripten's abort, which the WASM backend gives when a model's 1.2 GB does not fit (measured: Dense(100000) on MNIST), says only this.
  if (/^Aborted\(/.test(text)) {
    return {
      kind: 'out-of-memory',
      message: `The WASM backend stopped (${text}), most likely out of memory: WebAssembly holds 4 GB at most. Try a smaller batch size or model; finished runs are kept.`,
    };
  }
  if (/context.*lost|CONTEXT_LOST/i.test(text)) {
    return {
      kind: 'context-lost',
      message: `The WebGL context was lost (${text}). The run ended; finished runs are kept, and their saved models reload when used. Train again: the next run falls back to WASM (reload the page to use the GPU again).`,
    };
  }
  return { kind: 'error', message: text };
}

/** Datasets, runs and the queue that trains them one at a time. */
export class Trainer {
  private readonly emit: Emit;
  private readonly datasets = new Map<string, Dataset>();
  private readonly runs = new Map<string, RunEntry>();
  /** Runs saved in IndexedDB before a reload, and their models' loads once one has begun. */
  private readonly saved = new Map<string, { readonly ref: SavedModelRef; loading: Promise<void> | null }>();
  /** Runs in `runs` whose models are in IndexedDB too: saved by this worker, or loaded from there. */
  private readonly stored = new Set<string>();
  /** Runs whose unsaved models went with a lost WebGL context: the page was told (modelsLost), and nothing of theirs is saved. */
  private readonly lost = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  /** Runs in the queue that have not started yet. */
  private readonly waiting = new Set<string>();
  /** The run in training, and how to end it at once. */
  private active: { readonly run: RunEntry; readonly abandon: (error: Error) => void } | null = null;
  /** Settles once the active backend is usable: after a lost WebGL context, once another has started. */
  private backendReady: Promise<unknown> = Promise.resolve();

  constructor(emit: Emit) {
    this.emit = emit;
    onWebglContextLost(() => this.webglContextLost());
  }

  /**
   * A WebGL context is gone, and with it every weight that lived in its textures. The run
   * training on it fails now rather than hang. Finished runs' models on it are dropped: those
   * saved in IndexedDB are listed as saved, to load on the next backend when used; the others
   * are lost, and the page is told (a save under way then ends with no word). Runs and models
   * on other backends are left alone.
   */
  private webglContextLost(): void {
    if (this.active?.run.backend === 'webgl') this.active.abandon(new Error('the browser reported webglcontextlost'));
    this.backendReady = useBackend('auto').catch(() => undefined);
    const lost: string[] = [];
    for (const [runId, run] of this.runs) {
      if (run.model === null || run.backend !== 'webgl' || run === this.active?.run) continue;
      disposeModel(run.model);
      this.runs.delete(runId);
      if (this.stored.has(runId)) this.saved.set(runId, { ref: { runId, spec: run.spec, input: run.input }, loading: null });
      else {
        lost.push(runId);
        this.lost.add(runId);
      }
    }
    if (lost.length > 0) this.emit({ type: 'modelsLost', runIds: lost });
  }

  /** Keeps a loaded dataset for training. */
  addDataset(dataset: Dataset): void {
    this.datasets.set(dataset.id, dataset);
  }

  /** Queues a run; it starts when the runs before it have finished. */
  train(command: TrainCommand): Promise<void> {
    const dataset = this.datasets.get(command.datasetId);
    const input: InputShape = { height: dataset?.train.height ?? 0, width: dataset?.train.width ?? 0, channels: 1 };
    this.runs.set(command.runId, { spec: command.spec, input, control: new TrainingControl(), model: null, backend: null });
    this.waiting.add(command.runId);
    // A run that failed in a way runTraining did not catch must not stop the ones queued after it.
    const run = this.queue.catch(() => undefined).then(() => this.runTraining(command));
    this.queue = run;
    return run;
  }

  pause(runId: string): void {
    const run = this.runs.get(runId);
    if (!run || run.ended === true || run.control.stopRequested) return;
    run.control.pause();
    this.emit({ type: 'paused', runId, paused: true });
  }

  resume(runId: string): void {
    const run = this.runs.get(runId);
    const control = run?.control;
    if (run?.ended === true || !control?.paused) return;
    control.resume();
    this.emit({ type: 'paused', runId, paused: false });
  }

  /** Stops a run: one in training evaluates what it learnt and finishes; one still waiting in the queue ends now. */
  stop(runId: string): void {
    this.runs.get(runId)?.control.stop();
    if (this.waiting.delete(runId)) this.emit({ type: 'runFinished', runId, stopped: true, seconds: 0, earlyStop: null });
  }

  /**
   * Classifies one image with a run's model (its latest weights, even mid-training): a
   * drawing is first preprocessed the way MNIST was made; a dataset image is used as is.
   */
  async predict(command: PredictCommand): Promise<void> {
    await this.backendReady;
    const { requestId, runId, image, size, layout } = command;
    const started = performance.now();
    let input: Float32Array | null = null;
    let inkSpan: number | null = null;
    const reply = (probabilities: Float32Array | null, note: string | null): void => {
      const transfer = [input, probabilities].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
      this.emit({ type: 'prediction', requestId, runId, input, probabilities, milliseconds: performance.now() - started, note, inkSpan }, transfer);
    };
    try {
      if (image.kind === 'pixels') input = image.pixels;
      else {
        const drawn = preprocessDrawing(inkFromRgba(image.rgba, image.width, image.height), { size, layout });
        input = drawn?.pixels ?? null;
        inkSpan = drawn === null ? null : Math.max(drawn.box.width / image.width, drawn.box.height / image.height);
      }
    } catch (error) {
      // An image that cannot be preprocessed is this request's failure, not the worker's.
      return reply(null, classifyFailure(error).message);
    }
    // The pad sends nothing while it is empty: a blank image comes from a file, or a stroke too faint to count as ink.
    if (input === null) return reply(null, 'The image is blank: there is no ink to classify.');
    if (runId !== null) {
      try {
        await this.loadSaved(runId);
      } catch (error) {
        return reply(null, `The saved model of this run could not be loaded: ${asClause(classifyFailure(error).message)}.`);
      }
    }
    const run = runId === null ? undefined : this.runs.get(runId);
    if (!run?.model) return reply(null, 'Train a model first: there is nothing to classify with yet.');
    if (run.input.height !== size.height || run.input.width !== size.width) {
      return reply(null, `That model takes ${run.input.height}×${run.input.width} images, not ${size.height}×${size.width}.`);
    }
    try {
      reply(await predictOne(run.model, input, size.height, size.width, run.spec.compile), null);
    } catch (error) {
      reply(null, classifyFailure(error).message);
    }
  }

  /** Sends a run's first-layer weights as pictures (its latest weights, even mid-training), loading a saved model first if need be. */
  async layerPictures(requestId: number, runId: string): Promise<void> {
    await this.backendReady;
    const reply = (pictures: LayerPictures | null, note: string | null, epochsDone: number | null = null): void =>
      // A kept picture is sent as a copy: it is sent again at the next request.
      this.emit({ type: 'layerPictures', requestId, runId, pictures, note, epochsDone }, pictures && epochsDone === null ? [pictures.values.buffer as ArrayBuffer] : []);
    try {
      await this.loadSaved(runId);
      const run = this.runs.get(runId);
      if (!run?.model) return reply(null, 'This run has no model in the worker: it has not started yet, or it failed.');
      // An epoch the page has heard of is the one it asks about: its read may still be going on.
      await run.keeping;
      if (run.kept) return reply({ ...run.kept.pictures, values: run.kept.pictures.values.slice() }, null, run.kept.epochsDone);
      const pictures = await readPictures(run.model, run.spec, run.input);
      if (!pictures) return reply(null, 'This model has no Dense or Conv2D layer taking the image, whose weights make pictures.');
      reply(pictures, null);
    } catch (error) {
      reply(null, classifyFailure(error).message);
    }
  }

  /** Frees a run's model. */
  disposeRun(runId: string): void {
    const run = this.runs.get(runId);
    run?.control.stop();
    run?.model?.dispose();
    this.runs.delete(runId);
    this.saved.delete(runId);
    this.stored.delete(runId);
    this.lost.delete(runId);
  }

  /** Registers runs saved before a reload; each model is loaded from IndexedDB when first used. */
  restoreRuns(refs: readonly SavedModelRef[]): void {
    for (const ref of refs) if (!this.runs.has(ref.runId)) this.saved.set(ref.runId, { ref, loading: null });
  }

  /**
   * Saves a run's model to IndexedDB and says whether that worked. A restored run's model is
   * loaded first: Save again after an Undo whose record could not be written asks for it.
   */
  async saveModel(runId: string): Promise<void> {
    await this.backendReady;
    try {
      await this.loadSaved(runId);
      const model = this.runs.get(runId)?.model;
      if (!model && this.lost.has(runId)) return;
      if (!model) throw new Error("this run's model is no longer in the training worker (it was restarted since it trained)");
      await saveModel(model, runId);
      if (this.lost.has(runId)) {
        // Its weights were read as the context went: what was saved may be none of them.
        await removeSavedModel(runId).catch(() => undefined);
        return;
      }
      this.stored.add(runId);
      this.emit({ type: 'modelSaved', runId, error: null });
    } catch (error) {
      if (!this.lost.has(runId)) this.emit({ type: 'modelSaved', runId, error: messageOf(error) });
    }
  }

  /** Deletes a run's saved model; failures are of no consequence to the user and are dropped. */
  async deleteSavedModel(runId: string): Promise<void> {
    this.saved.delete(runId);
    this.stored.delete(runId);
    await removeSavedModel(runId).catch(() => undefined);
  }

  /**
   * Deletes the saved models of runs deleted in an earlier visit (`drop`), and old saved models
   * of runs neither the page's records nor this worker know; failures are dropped like deleteSavedModel's.
   */
  async pruneSavedModels(keep: readonly string[], drop: readonly string[] = []): Promise<void> {
    for (const runId of drop) await this.deleteSavedModel(runId);
    const known = new Set([...keep, ...this.runs.keys(), ...this.saved.keys()]);
    await removeOrphanedModels(known).catch(() => undefined);
  }

  /** Sends a run's model files (model.json and weights.bin), loading a saved model first if need be. */
  async exportModel(runId: string): Promise<void> {
    await this.backendReady;
    try {
      await this.loadSaved(runId);
      const model = this.runs.get(runId)?.model;
      if (!model) throw new Error('this run has no model in the worker (was the page reloaded while it trained?)');
      const files = await modelFiles(model);
      this.emit({ type: 'modelExported', runId, files, error: null }, [files.weightData]);
    } catch (error) {
      this.emit({ type: 'modelExported', runId, files: null, error: messageOf(error) });
    }
  }

  /** Builds an imported run's model from its files, ready to classify with. */
  async importModel(command: ImportModelCommand): Promise<void> {
    await this.backendReady;
    const { runId, spec, input } = command.run;
    let model: tf.LayersModel;
    try {
      model = await modelFromFiles(command.files);
    } catch (error) {
      return this.emit({ type: 'modelImported', runId, error: `its weights do not make its model (${asClause(messageOf(error))})` });
    }
    const mismatch = specMismatch(model, spec, input);
    if (mismatch !== null) {
      model.dispose();
      return this.emit({ type: 'modelImported', runId, error: `its model.json is not the model its run describes: ${mismatch}` });
    }
    this.disposeRun(runId);
    this.runs.set(runId, { spec, input, control: new TrainingControl(), model, backend: tf.getBackend() });
    this.emit({ type: 'modelImported', runId, error: null });
  }

  /** Loads a restored run's model from IndexedDB into `runs`, once; other runs are left alone. */
  private async loadSaved(runId: string): Promise<void> {
    const saved = this.saved.get(runId);
    if (!saved || this.runs.has(runId)) return;
    saved.loading ??= loadSavedModel(runId).then(
      (model) => {
        const { spec, input } = saved.ref;
        if (this.saved.get(runId) !== saved) return void model.dispose();
        this.runs.set(runId, { spec, input, control: new TrainingControl(), model, backend: tf.getBackend() });
        this.saved.delete(runId);
        this.stored.add(runId);
      },
      (error: unknown) => {
        saved.loading = null;
        throw error;
      },
    );
    await saved.loading;
  }

  private async runTraining(command: TrainCommand): Promise<void> {
    const { runId, spec } = command;
    // Not waiting any more: stopped while it waited, and reported so then.
    if (!this.waiting.delete(runId)) return;
    const run = this.runs.get(runId);
    const dataset = this.datasets.get(command.datasetId);
    if (!run) return;
    if (!dataset) {
      run.ended = true;
      this.emit({ type: 'runFailed', runId, kind: 'error', message: `The dataset ${command.datasetId} is not loaded in the worker.` });
      return;
    }
    await this.backendReady;
    if (run.control.stopRequested) {
      this.emit({ type: 'runFinished', runId, stopped: true, seconds: 0, earlyStop: null });
      return;
    }
    const [started, pausedBefore] = [performance.now(), run.control.pausedMs];
    const classCount = dataset.classNames.length;
    // What the run holds, freed in `finally` however it ends.
    const held: { trainData: TrainingData | null; testData: TrainingData | null; optimizer: tf.Optimizer | null; abandoned: boolean } = {
      trainData: null,
      testData: null,
      optimizer: null,
      abandoned: false,
    };
    const abandoned = (): boolean => held.abandoned;
    const lost = new Promise<never>((_, reject) => {
      this.active = {
        run,
        abandon: (error) => {
          held.abandoned = true;
          run.control.stop();
          reject(error);
        },
      };
    });
    // What an abandoned run still does (a read that resolves late) reaches the page no more.
    const send: Emit = (event, transfer) => {
      if (!abandoned()) this.emit(event, transfer);
    };
    const work = async (): Promise<void> => {
      const backend = await useBackend(command.backend);
      run.backend = backend.name;
      const model = buildModel(spec, run.input, classCount, dataset.train.count);
      if (abandoned()) return void model.dispose();
      run.model = model;
      const optimizer = createOptimizer(spec.compile);
      held.optimizer = optimizer;
      const { train, test } = dataset;
      const images = epochImages(spec.fit, train.count, test.count);
      const trainData = createTrainingData(train.images, train.labels, images.count, train.height, train.width, classCount);
      held.trainData = trainData;
      // The test set validates each epoch (validation_data): uploaded now, and evaluated after.
      const onTest = spec.fit.validationData === 'test';
      const uploadTest = (): TrainingData => createTrainingData(test.images, test.labels, test.count, test.height, test.width, classCount);
      if (onTest) held.testData = uploadTest();
      send({
        type: 'runStarted',
        runId,
        backend,
        trainCount: images.trainCount,
        validationCount: images.validationCount,
        testCount: test.count,
        batchesPerEpoch: batchCount(images.trainCount, spec.fit.batchSize),
        paused: run.control.paused,
      });
      let training = true;
      const keep = async (epochsDone: number): Promise<void> => {
        // A read that fails keeps nothing (a lost context fails the run itself, in its next step).
        const pictures = await readPictures(model, spec, run.input).catch(() => null);
        // A read that ends after training does keeps nothing: the model's own weights are final then.
        if (training) run.kept = pictures ? { epochsDone, pictures } : null;
      };
      run.keeping = keep(0);
      await run.keeping;
      const result = await fit(model, trainData, spec, optimizer, run.control, {
        onBatch: (progress) => send({ type: 'batch', runId, progress }),
        onEpoch: (record) => {
          // Kept before the page hears of the epoch: its request for the pictures comes after.
          run.keeping = keep(record.epoch);
          send({ type: 'epoch', runId, record });
        },
        onPass: (progress) => send({ type: 'pass', runId, progress }),
        evaluationCount: test.count,
        ...(held.testData ? { validationData: held.testData } : {}),
      });
      // Trained: the pictures are the model's own from now on (the best epoch's, if EarlyStopping restored them).
      training = false;
      run.kept = null;
      run.keeping = null;
      if (abandoned()) return;
      disposeTrainingData(trainData);
      held.trainData = null;
      const testData = held.testData ?? uploadTest();
      held.testData = testData;
      // Said at once: after an early stop, the page cannot tell the evaluation from its epochs.
      send({ type: 'pass', runId, progress: { pass: 'test', done: 0, total: test.count, etaSeconds: result.evaluationSeconds } });
      const testStep = passStep(run.control, REPORT_INTERVAL_MS, (done, activeSeconds) =>
        send({ type: 'pass', runId, progress: { pass: 'test', done, total: test.count, etaSeconds: passSecondsLeft(done, test.count, activeSeconds) } }),
      );
      const [evaluationStart, pausedBeforeEvaluation] = [performance.now(), run.control.pausedMs];
      const evaluated = await evaluateModel(model, testData, spec.compile, test.labels, PASS_BATCH_SIZE, testStep);
      if (abandoned()) return;
      const evaluation = { ...evaluated, seconds: run.control.activeMsSince(evaluationStart, pausedBeforeEvaluation) / 1000 };
      send({ type: 'evaluation', runId, evaluation }, [
        evaluation.predictions.buffer as ArrayBuffer,
        evaluation.sampleIndices.buffer as ArrayBuffer,
        evaluation.sampleProbabilities.buffer as ArrayBuffer,
        evaluation.mistakeIndices.buffer as ArrayBuffer,
        evaluation.mistakeProbabilities.buffer as ArrayBuffer,
      ]);
      send({ type: 'runFinished', runId, stopped: result.stopped, seconds: run.control.activeMsSince(started, pausedBefore) / 1000, earlyStop: result.earlyStop });
    };
    try {
      // A lost context fails the run at once: tfjs may be waiting on a fence that never passes.
      await Promise.race([work(), lost]);
    } catch (error) {
      // A failed run keeps its history on the page, not its model: after running out of
      // memory, that memory is what the next run needs.
      disposeModel(run.model);
      run.model = null;
      const failure = classifyFailure(error);
      this.emit({ type: 'runFailed', runId, ...failure });
      // Measured: after a Dense layer too large for the module's 4 GB, every later run failed at
      // once with "memory access out of bounds", even a tiny one. The module cannot be restarted
      // in place. Every tensor's allocation now stops where it fails (guardWasmMemory), but the
      // module's own allocations inside its kernels (XNNPACK's buffers) are not checked, so a
      // fresh worker is still the safe way on.
      if (failure.kind === 'out-of-memory' && tf.getBackend() === 'wasm') {
        this.emit({ type: 'backendBroken', reason: 'The WASM backend could not go on after running out of memory' });
      }
    } finally {
      run.ended = true;
      this.active = null;
      if (held.trainData) disposeTrainingData(held.trainData);
      if (held.testData) disposeTrainingData(held.testData);
      held.optimizer?.dispose();
    }
  }
}

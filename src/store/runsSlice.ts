/**
 * The runs slice: the model being edited (the draft), every training run with its streamed
 * history and evaluation, and the commands that start, pause, resume and stop runs. A run
 * that fails keeps what it had and never touches the others.
 */
import type { StateCreator } from 'zustand';
import { isPresetId, presetOfName, PRESETS, type PresetId } from '../training/presets';
import { isBuiltinDatasetId } from '../data/datasets';
import type {
  BackendInfo,
  BackendPreference,
  BatchProgress,
  EarlyStopReport,
  EpochRecord,
  Evaluation,
  PassProgress,
  RunFailureKind,
  WorkerEvent,
} from '../training/protocol';
import { lowerIsBetter, type ModelSpec } from '../training/spec';
import { describeSpecEdits } from '../training/specDiff';
import { parseModelSpec } from '../training/specUrl';
import type { AppState } from './index';
import { readRemembered, remember, REMEMBERED } from './remembered';
import { appendThinned, trainedTo } from './series';
import { sendToWorker } from './worker';
import { progbarValue } from '../training/kerasLog';

export type RunStatus = 'starting' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

/** One per-batch point of a live chart: x in epochs (1.5 = half-way through epoch 2). */
export interface BatchPoint {
  readonly x: number;
  readonly loss: number;
  readonly accuracy: number;
}

/** One training run: what was trained, how, and everything it reported. */
export interface Run {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly datasetId: string;
  readonly datasetName: string;
  readonly classNames: readonly string[];
  readonly spec: ModelSpec;
  readonly status: RunStatus;
  readonly backend: BackendInfo | null;
  readonly trainCount: number;
  readonly validationCount: number;
  /** Test images it is evaluated on, from its start (live only: a run restored from storage or a file has its evaluation's count instead, if any). */
  readonly testCount?: number;
  readonly batchesPerEpoch: number;
  readonly progress: BatchProgress | null;
  readonly batches: readonly BatchPoint[];
  readonly epochs: readonly EpochRecord[];
  readonly evaluation: Evaluation | null;
  readonly error: { readonly kind: RunFailureKind; readonly message: string } | null;
  readonly startedAt: number;
  readonly seconds: number | null;
  /** True for a run saved in an earlier visit or imported from a file, not trained on this page. */
  readonly restored?: boolean;
  /** The backend asked for when it was started on this page ('auto' or one by name); absent for a restored run. */
  readonly backendPreference?: BackendPreference;
  /** True from Stop until the worker says the run has ended (it evaluates what was trained first); false again after. */
  readonly stopping?: boolean;
  /** The validation pass or test evaluation under way, once it has reported; null (or absent) otherwise. */
  readonly pass?: PassProgress | null;
  /** What EarlyStopping did, once the run has ended; null (or absent) without it. */
  readonly earlyStop?: EarlyStopReport | null;
  /** True once the training worker that held its model, never saved, was restarted: its history and results are here, its model is not. */
  readonly modelLost?: boolean;
}

/**
 * A run that ended with a model, kept (in the worker, in this browser, or both) for drawing,
 * its first layer's pictures and export. Not one stopped while it waited: it never had one.
 */
export function hasModel(run: Pick<Run, 'status' | 'modelLost'> & Parameters<typeof trainedTo>[0]): boolean {
  return (run.status === 'finished' || run.status === 'stopped') && run.modelLost !== true && trainedTo(run).kind !== 'before-training';
}

/**
 * What EarlyStopping did, in words: where it stopped and why, and which weights the test set
 * measured. `epochs` is the run's planned number, `trained` how far it trained (series.ts's
 * epochsTrained: Stop can end a run early too, part-way through an epoch); `minDelta` the
 * least change its spec counted as improvement (a smaller one left the best where it was).
 */
export function earlyStopWords(report: EarlyStopReport, epochs: number, trained: number, minDelta = 0): string {
  const { monitor, bestEpoch, stoppedEpoch, restored } = report;
  const better = `${lowerIsBetter(monitor) ? 'fallen' : 'risen'}${minDelta > 0 ? ` by more than ${minDelta}` : ''}`;
  const value = Number.isFinite(report.best) ? progbarValue(report.best) : '–';
  // Restoring the last epoch's weights changes nothing: the model ended with them anyway.
  const weights = !restored ? '' : bestEpoch === trained ? ' That was its last epoch: the test set measured the weights it ended with.' : ` The model has epoch ${bestEpoch}'s weights back, and the test set measured those.`;
  if (stoppedEpoch !== null) {
    const since = stoppedEpoch - bestEpoch;
    return `EarlyStopping ended training after epoch ${stoppedEpoch} of ${epochs}: ${monitor} had not ${better} in the ${since === 1 ? 'epoch' : `${since} epochs`} since its best, ${value} at epoch ${bestEpoch}.${weights}`;
  }
  // Its patience ran out at the last epoch: Keras still prints "Epoch N: early stopping", so the log does.
  const atEnd = report.stoppedAtEnd === true ? ` (its patience ran out at the last epoch, where Keras still prints "Epoch ${trained}: early stopping")` : '';
  return `EarlyStopping did not stop it${atEnd}: ${monitor} was best at epoch ${bestEpoch}, ${value}.${weights}`;
}

/** A run still owed by the worker: waiting in its queue, training, or paused. */
export function isActiveRun(run: Pick<Run, 'status'>): boolean {
  return run.status === 'starting' || run.status === 'running' || run.status === 'paused';
}

export interface RunsSlice {
  readonly draft: ModelSpec;
  /** The preset the draft started from, if any, and whether the draft differs from it now. */
  readonly draftPresetId: PresetId | null;
  readonly draftModified: boolean;
  /**
   * The edited model (or one's own) that choosing another from the preset menu replaced, for
   * "Bring it back"; null when there is none, or once the model in the builder is edited.
   */
  readonly replacedDraft: (Pick<RunsSlice, 'draft' | 'draftPresetId'> & { readonly name: string }) | null;
  readonly backendPreference: BackendPreference;
  readonly runs: Readonly<Record<string, Run>>;
  readonly runOrder: readonly string[];
  readonly currentRunId: string | null;
  /** Replaces the draft with an edit of it: it keeps its preset, modified while it differs from it. */
  readonly setDraft: (spec: ModelSpec) => void;
  /** Puts another model in the builder (started empty, or opened from a link), as an edit of `presetId` or as a model of one's own. */
  readonly openDraft: (spec: ModelSpec, presetId: PresetId | null) => void;
  /**
   * Puts a run's model in the builder, to train again or edit (the model there before it can
   * be brought back, as when a preset replaces it), and its dataset in use when it can be.
   */
  readonly openRunInBuilder: (id: string) => void;
  readonly loadPreset: (id: PresetId) => void;
  /**
   * Keeps the draft for "Bring it back" before the preset menu replaces it, if it is worth
   * keeping (edited, or one's own): an arrow key on the closed menu loads the next preset at once.
   * It says so unless `announce` is false (the caller says it, in words of its own).
   */
  readonly keepDraftBeforeReplacing: (announce?: boolean) => void;
  /** Puts back the model the preset menu replaced. */
  readonly bringBackReplacedDraft: () => void;
  readonly setBackendPreference: (backend: BackendPreference) => void;
  readonly startTraining: () => void;
  /** Queues a run of `spec` on the active dataset (it starts when the runs before it have finished) and returns its id; null with no dataset in use. A number `name` ends with gives way to the run's own. */
  readonly startRun: (spec: ModelSpec, name: string) => string | null;
  readonly pauseRun: (id: string) => void;
  readonly resumeRun: (id: string) => void;
  readonly stopRun: (id: string) => void;
  readonly selectRun: (id: string) => void;
  readonly handleRunEvent: (event: WorkerEvent) => void;
  /** Ends, as failed, every run the crashed worker was training or had queued; finished runs stay as they are. */
  readonly failActiveRuns: (reason: string) => void;
  /** Sends the runs waiting in the queue to a new worker, in their order. */
  readonly requeueWaitingRuns: () => void;
}

/** Colours runs take in turn; each follows its run through every chart. */
export const RUN_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4b5563', '#4d7c0f', '#92400e'] as const;

/**
 * The colour for a new run: the first of RUN_COLORS that the fewest runs here have. Taken in
 * turn by a counter, the ninth run had the first one's colour, beside it in every chart.
 */
export function nextRunColor(runs: readonly Pick<Run, 'color'>[]): string {
  const uses = (color: string): number => runs.filter((run) => run.color === color).length;
  const fewest = Math.min(...RUN_COLORS.map(uses));
  return RUN_COLORS.find((color) => uses(color) === fewest) ?? RUN_COLORS[0];
}

/** The runs whose colours and names a new run should not take: those here, and one deleted that Undo may bring back. */
export function runsHere(state: Pick<AppState, 'runs' | 'deletedRun'>): Pick<Run, 'id' | 'name' | 'color'>[] {
  return [...Object.values(state.runs), ...(state.deletedRun ? [state.deletedRun.run] : [])];
}

/** The names of `runs` but `exceptId`'s: runs are told apart by name in Compare, Draw and their buttons. */
export function namesInUse(runs: readonly Pick<Run, 'id' | 'name'>[], exceptId?: string): Set<string> {
  return new Set(runs.flatMap((run) => (run.id === exceptId ? [] : [run.name])));
}

/** A run's name lists its changes from the preset in up to this many characters; those past it are counted. */
const NAMED_CHANGES_MAX_LENGTH = 40;

/** How the draft differs from its preset, by new values ("epochs 10", "+Dropout(0.2)"); [] for an unedited preset or a model of one's own. */
export function draftChanges(state: Pick<RunsSlice, 'draft' | 'draftPresetId'>): string[] {
  return state.draftPresetId === null ? [] : describeSpecEdits(PRESETS[state.draftPresetId].spec, state.draft);
}

/**
 * The draft's name in the user's words: its preset's title and what was changed, so that two
 * edits of one preset read apart in the charts ("TensorFlow quickstart (epochs 10)"). When
 * the changes would make a long name, it lists those that fit (the first one always) and counts
 * the rest ("… (epochs 10, batch 128, 2 more changes)"): a bare count named every run of a session
 * alike, and "and 1 more" after a number read as part of it ("training subset 20000 and 1 more").
 */
export function draftName(state: Pick<RunsSlice, 'draft' | 'draftPresetId'>): string {
  if (state.draftPresetId === null) return 'Custom model';
  const { title } = PRESETS[state.draftPresetId];
  const changes = draftChanges(state);
  if (changes.length === 0) return title;
  const listed = changes.join(', ');
  if (listed.length <= NAMED_CHANGES_MAX_LENGTH) return `${title} (${listed})`;
  // The first change is named however long it is.
  let shown = 1;
  while (shown < changes.length && changes.slice(0, shown + 1).join(', ').length <= NAMED_CHANGES_MAX_LENGTH) shown++;
  const rest = changes.length - shown;
  return `${title} (${[...changes.slice(0, shown), ...(rest === 0 ? [] : [`${rest} more change${rest === 1 ? '' : 's'}`])].join(', ')})`;
}

const DEFAULT_PRESET: PresetId = 'quickstart';

type Draft = Pick<RunsSlice, 'draft' | 'draftPresetId' | 'draftModified'>;

/** The model being edited on the last visit, every field checked as a share link's are; null when none is remembered or it no longer reads as a model. */
export function rememberedDraft(): Draft | null {
  const text = readRemembered(REMEMBERED.draft);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { spec?: unknown; presetId?: unknown; modified?: unknown };
    const presetId = typeof value.presetId === 'string' && isPresetId(value.presetId) ? value.presetId : null;
    // An unedited preset is the preset as this version defines it, not as an older one did.
    if (presetId !== null && value.modified !== true) return { draft: PRESETS[presetId].spec, draftPresetId: presetId, draftModified: false };
    const draft = parseModelSpec(value.spec);
    return { draft, draftPresetId: presetId, draftModified: draftChanges({ draft, draftPresetId: presetId }).length > 0 };
  } catch {
    return null;
  }
}

/** Remembers the draft for the next visit, if it is a model (not while a field is empty, say: the last one that was stays). */
function rememberDraft({ draft, draftPresetId, draftModified }: Draft): void {
  try {
    parseModelSpec(JSON.parse(JSON.stringify(draft)));
  } catch {
    return;
  }
  remember(REMEMBERED.draft, JSON.stringify({ spec: draft, presetId: draftPresetId, modified: draftModified }));
}
let runCount = 0;
/** The number a run's name ends with, "… #3". */
const RUN_NUMBER = / #\d+$/;
/** A second Train within this long of the first, on the same model, is a double click: one run (unless that run has already ended). */
export const DOUBLE_CLICK_MS = 500;
/** The last Train: when, what it trained (the spec as JSON), and the run it started. */
let lastTrain: { readonly at: number; readonly spec: string; readonly runId: string } | null = null;

/**
 * The last run number in use once runs with these names are added to those numbered up to
 * `last`: the highest "#n" among them, or one more per run whose name has none (a renamed
 * run). The count of added runs fell short where a run had been deleted: restoring #1 and #3
 * gave the next run #3 again, in #3's colour.
 */
export function lastRunNumber(last: number, names: readonly string[]): number {
  return names.reduce((highest, name) => {
    const number = RUN_NUMBER.exec(name)?.[0].slice(2);
    return number === undefined ? highest + 1 : Math.max(highest, Number(number));
  }, last);
}

/** The number a run trained in this app was given ("#4"), from its id (startRun's `run-<time><random>-<number>`); null for another kind of id. */
export function runNumberOfId(id: string): number | null {
  const number = /^run-[0-9a-z]+-(\d+)$/.exec(id)?.[1];
  return number === undefined ? null : Number(number);
}

/** Notes a run another tab of the app started as `id`, so that this tab's next run is numbered after it. */
export function countRunStartedElsewhere(id: string): void {
  runCount = Math.max(runCount, runNumberOfId(id) ?? 0);
}

/** Notes runs added from storage or files, so that new runs' numbers and colours follow theirs. */
export function countAddedRuns(names: readonly string[]): void {
  runCount = lastRunNumber(runCount, names);
}

export const createRunsSlice: StateCreator<AppState, [], [], RunsSlice> = (set, get) => {
  const patch = (id: string, change: Partial<Run> | ((run: Run) => Partial<Run>)): void => {
    set((state) => {
      const run = state.runs[id];
      if (!run) return {};
      return { runs: { ...state.runs, [id]: { ...run, ...(typeof change === 'function' ? change(run) : change) } } };
    });
  };

  return {
    ...(rememberedDraft() ?? { draft: PRESETS[DEFAULT_PRESET].spec, draftPresetId: DEFAULT_PRESET, draftModified: false }),
    replacedDraft: null,
    backendPreference: 'auto',
    runs: {},
    runOrder: [],
    currentRunId: null,

    // Modified means different from the preset: an edit taken back is the preset again.
    setDraft: (spec) => {
      set({ replacedDraft: null });
      get().openDraft(spec, get().draftPresetId);
    },
    openDraft: (spec, presetId) => {
      set({ draft: spec, draftPresetId: presetId, draftModified: draftChanges({ draft: spec, draftPresetId: presetId }).length > 0 });
      rememberDraft(get());
    },
    openRunInBuilder: (id) => {
      const state = get();
      const run = state.runs[id];
      if (!run) return;
      const keptBefore = state.replacedDraft;
      // Kept quietly: the announcement below says it comes back.
      if (JSON.stringify(state.draft) !== JSON.stringify(run.spec)) state.keepDraftBeforeReplacing(false);
      state.openDraft(run.spec, presetOfName(run.name));
      const entry = state.datasets[run.datasetId];
      // A built-in dataset loads when chosen; a user's own must be here already.
      const canSwitch = entry !== undefined && (entry.status === 'ready' || isBuiltinDatasetId(run.datasetId));
      const onOther = run.datasetId !== state.activeDatasetId;
      if (onOther && canSwitch) state.selectDataset(run.datasetId);
      const ready = entry?.status === 'ready';
      const dataset = !onOther ? '' : canSwitch ? `, and ${run.datasetName} ${ready ? 'is in use' : 'is loading, to be in use'}` : `; it trained on ${run.datasetName}, which is not loaded: load its files on the Data tab to train it there`;
      // An edited model or one's own is kept (an unedited preset is one click away).
      const kept = get().replacedDraft !== keptBefore ? ' The model the builder held comes back with "Bring it back", under the preset menu.' : '';
      state.announce(`${run.name}'s model is in the builder${dataset}.${kept}`);
    },
    loadPreset: (id) => {
      set({ draft: PRESETS[id].spec, draftPresetId: id, draftModified: false });
      rememberDraft(get());
    },
    keepDraftBeforeReplacing: (announce = true) => {
      const state = get();
      // Stepping on through unedited presets keeps the edited model replaced first.
      if (!state.draftModified && state.draftPresetId !== null) return;
      const name = draftName(state);
      set({ replacedDraft: { draft: state.draft, draftPresetId: state.draftPresetId, name } });
      if (announce) state.announce(`${name} was replaced: "Bring it back", under the preset menu, puts it back.`);
    },
    bringBackReplacedDraft: () => {
      const replaced = get().replacedDraft;
      if (!replaced) return;
      set({ replacedDraft: null });
      get().openDraft(replaced.draft, replaced.draftPresetId);
    },
    setBackendPreference: (backend) => set({ backendPreference: backend }),

    startTraining: () => {
      const now = performance.now();
      const spec = JSON.stringify(get().draft);
      // A run that failed at once (the engine did not download, say) is no reason to ignore the next click.
      const last = lastTrain === null ? undefined : get().runs[lastTrain.runId];
      if (lastTrain && now - lastTrain.at < DOUBLE_CLICK_MS && lastTrain.spec === spec && last && isActiveRun(last)) return;
      const runId = get().startRun(get().draft, draftName(get()));
      if (runId !== null) lastTrain = { at: now, spec, runId };
    },

    startRun: (spec, name) => {
      const state = get();
      const datasetId = state.activeDatasetId;
      const dataset = datasetId === null ? undefined : state.datasets[datasetId]?.dataset;
      if (datasetId === null || !dataset) return null;
      // After every number this browser gave, here or in another tab, kept or not (a run stopped while waiting is not).
      runCount = Math.max(runCount, Number(readRemembered(REMEMBERED.lastRunNumber)) || 0) + 1;
      // A run renamed to what this one would be called ("… #4") keeps its name: this one takes the next number.
      const names = namesInUse(runsHere(state));
      while (names.has(`${name.replace(RUN_NUMBER, '')} #${runCount}`)) runCount++;
      remember(REMEMBERED.lastRunNumber, String(runCount));
      // Four random base-36 digits after the time: two tabs starting runs in the same millisecond get two ids.
      const id = `run-${Date.now().toString(36)}${(crypto.getRandomValues(new Uint32Array(1))[0] ?? 0).toString(36).padStart(4, '0').slice(-4)}-${runCount}`;
      const run: Run = {
        id,
        // A shared run's name brings the sharer's number: this run takes the next one here instead.
        name: `${name.replace(RUN_NUMBER, '')} #${runCount}`,
        color: nextRunColor(runsHere(state)),
        datasetId,
        datasetName: dataset.name,
        classNames: dataset.classNames,
        spec,
        status: 'starting',
        backend: null,
        trainCount: 0,
        validationCount: 0,
        batchesPerEpoch: 0,
        progress: null,
        batches: [],
        epochs: [],
        evaluation: null,
        error: null,
        startedAt: Date.now(),
        seconds: null,
        backendPreference: state.backendPreference,
      };
      const waiting = Object.values(state.runs).some((r) => r.status === 'starting' || r.status === 'running' || r.status === 'paused');
      set((s) => ({ runs: { ...s.runs, [id]: run }, runOrder: [...s.runOrder, id], currentRunId: id }));
      sendToWorker({ type: 'train', runId: id, datasetId, spec, backend: state.backendPreference });
      get().announce(`${waiting ? 'Queued' : 'Training'} ${run.name} on ${dataset.name}.`);
      return id;
    },

    pauseRun: (id) => sendToWorker({ type: 'pause', runId: id }),
    resumeRun: (id) => sendToWorker({ type: 'resume', runId: id }),
    stopRun: (id) => {
      const run = get().runs[id];
      if (!run || !isActiveRun(run)) return;
      patch(id, { stopping: true });
      sendToWorker({ type: 'stop', runId: id });
    },
    selectRun: (id) => set({ currentRunId: id }),

    handleRunEvent: (event) => {
      switch (event.type) {
        case 'runStarted':
          patch(event.runId, {
            status: event.paused ? 'paused' : 'running',
            backend: event.backend,
            trainCount: event.trainCount,
            validationCount: event.validationCount,
            testCount: event.testCount,
            batchesPerEpoch: event.batchesPerEpoch,
          });
          return;
        case 'batch': {
          const { progress } = event;
          patch(event.runId, (run) => ({
            progress,
            pass: null,
            batches: appendThinned(run.batches, {
              x: progress.epoch - 1 + progress.batch / progress.batches,
              loss: progress.loss,
              accuracy: progress.accuracy,
            }),
          }));
          return;
        }
        case 'pass':
          patch(event.runId, { pass: event.progress });
          return;
        case 'epoch': {
          const { record } = event;
          patch(event.runId, (run) => ({ epochs: [...run.epochs, record], pass: null }));
          const val = record.valAccuracy === null ? '' : `, val_accuracy ${progbarValue(record.valAccuracy)}`;
          get().announce(`Epoch ${record.epoch} of ${record.epochs} finished: loss ${progbarValue(record.loss)}, accuracy ${progbarValue(record.accuracy)}${val}.`, 'progress');
          return;
        }
        case 'paused': {
          // A Pause sent as the run ended may be answered after its end: an ended run stays ended.
          const run = get().runs[event.runId];
          if (!run || !isActiveRun(run)) return;
          patch(event.runId, { status: event.paused ? 'paused' : 'running' });
          get().announce(event.paused ? 'Training paused.' : 'Training resumed.');
          return;
        }
        case 'evaluation':
          // Announced with the run's end, which follows at once and would cut this short.
          patch(event.runId, { evaluation: event.evaluation, pass: null });
          return;
        case 'runFinished': {
          patch(event.runId, { status: event.stopped ? 'stopped' : 'finished', seconds: event.seconds, stopping: false, pass: null, earlyStop: event.earlyStop });
          const run = get().runs[event.runId];
          const result = run?.evaluation ? ` Test accuracy ${(run.evaluation.accuracy * 100).toFixed(2)}% on ${run.evaluation.count.toLocaleString('en-US')} test images.` : '';
          const early = event.earlyStop?.stoppedEpoch != null ? ` EarlyStopping ended it after epoch ${event.earlyStop.stoppedEpoch}.` : '';
          get().announce(`${run?.name ?? 'The run'} ${event.stopped ? 'stopped; its model and history are kept.' : 'finished.'}${early}${result}`);
          return;
        }
        case 'runFailed':
          patch(event.runId, { status: 'failed', error: { kind: event.kind, message: event.message }, stopping: false, pass: null });
          get().announce(`Run failed: ${event.message}`);
          return;
        default:
          return;
      }
    },

    requeueWaitingRuns: () => {
      // On the backend chosen now, not the one each was queued with: the worker is new because
      // the old one broke, often its backend with it (WASM out of memory), and the choice now
      // is the user's latest.
      const { runs, runOrder, backendPreference } = get();
      for (const id of runOrder) {
        const run = runs[id];
        if (run?.status === 'starting') sendToWorker({ type: 'train', runId: id, datasetId: run.datasetId, spec: run.spec, backend: backendPreference });
      }
    },

    failActiveRuns: (reason) => {
      const { runs, runOrder, handleRunEvent } = get();
      for (const id of runOrder) {
        const run = runs[id];
        if (run && isActiveRun(run)) {
          const event = { type: 'runFailed', runId: id, kind: 'error', message: `${reason} This run was lost with it; finished runs are kept. Train it again when you are ready.` } as const;
          handleRunEvent(event);
          // Kept, as a failure the worker reported is: its history so far, and what happened.
          get().handleStorageEvent(event);
        }
      }
    },
  };
};

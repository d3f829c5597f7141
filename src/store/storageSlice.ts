/**
 * The storage slice: runs that outlive the page. A finished or stopped run is saved in this
 * browser (its record here, its model by the worker) and restored on the next visit; runs can
 * be renamed, deleted with a moment to undo, exported as a run file and imported from one.
 * When the browser cannot store anything, the app says so and goes on in memory.
 */
import type { StateCreator } from 'zustand';
import { isUserDatasetId } from '../data/fingerprint';
import type { SavedModelRef, WorkerEvent } from '../training/protocol';
import type { AppState, DatasetEntry } from './index';
import { readRemembered, remember, REMEMBERED } from './remembered';
import { fromSavedRun, parseRunFile, parseSavedRun, runFileName, runFileText, RunFileError, savedRunJson, storedRecordId, toSavedRun, type ImageSize, type SavedRun } from './runFile';
import { countAddedRuns, countRunStartedElsewhere, hasModel, isActiveRun, namesInUse, nextRunColor, runsHere, type Run } from './runsSlice';
import { deleteSavedRun, loadSavedRun, loadSavedRuns, putSavedRun, storageError } from './runStorage';
import { sendToWorker } from './worker';
import { asClause, messageOf } from '../data/errors';

/** How long a deleted run can be brought back. */
export const UNDO_DELETE_MS = 10_000;
/** Larger files are not run exports of this playground. */
const MAX_RUN_FILE_BYTES = 256 * 1024 * 1024;

/** Where a run is in being kept by this browser; 'unsaved': its save failed, and it lasts until the page is reloaded unless saved again. */
export type SaveState = 'saving' | 'saved' | 'unsaved';

/** The run deleted last, and where it was, while its deletion can be undone. */
export interface DeletedRun {
  readonly run: Run;
  readonly index: number;
  readonly wasCurrent: boolean;
  readonly wasDrawing: boolean;
}

export interface StorageSlice {
  /** Runs this browser keeps, or is saving; any other run lasts until the page is reloaded. */
  readonly savedRuns: Readonly<Record<string, SaveState>>;
  readonly deletedRun: DeletedRun | null;
  /** Why runs cannot be saved, in words; null while saving works. */
  readonly storageError: string | null;
  /** What went wrong with the last import or export, or with restoring saved runs: one line per file or run. */
  readonly runFileErrors: readonly string[];
  /** Brings back the runs saved in earlier visits; the app calls it once on start. */
  readonly restoreSavedRuns: () => Promise<void>;
  readonly renameRun: (id: string, name: string) => void;
  /** Takes a run away at once; it is gone for good after UNDO_DELETE_MS or at the next delete. */
  readonly deleteRun: (id: string) => void;
  readonly undoDelete: () => void;
  /** Holds the undo while Undo has the focus or the pointer (no time limit runs out under a user's hand), and gives it UNDO_DELETE_MS again once released. */
  readonly holdUndo: (held: boolean) => void;
  /** Downloads a run file (`<name>.run.json`) with the run and its model. */
  readonly exportRun: (id: string) => void;
  /** Adds the runs of run files, saving them; problems land in `runFileErrors`. */
  readonly importRuns: (files: readonly File[]) => Promise<void>;
  readonly handleStorageEvent: (event: WorkerEvent) => void;
  /**
   * After a worker crash: models being saved or imported were lost with it (each says so), and
   * the new worker learns which runs have models in IndexedDB, to load when they are used.
   */
  readonly recoverSavedRuns: (reason: string) => void;
  /** Tries again to save a run whose save failed (SaveState 'unsaved'). */
  readonly saveRunAgain: (id: string) => void;
}

/** Image sizes of runs that did not train here (restored or imported): their datasets may not be loaded. */
const imageSizes = new Map<string, ImageSize>();
/** The size of the images a run's model takes: its saved record's, or its dataset's; null when neither is known. */
export function runImageSize(state: Pick<AppState, 'datasets'>, run: Pick<Run, 'id' | 'datasetId'>): ImageSize | null {
  const train = state.datasets[run.datasetId]?.dataset?.train;
  return imageSizes.get(run.id) ?? (train ? { height: train.height, width: train.width } : null);
}

/**
 * Whether leaving the page now would lose a run: one training or waiting, one that ended and is
 * being saved (its model, which only the worker holds, then its record), or one whose save
 * failed ("Not saved", with Save again). The page asks first. (Where this browser cannot keep
 * runs at all, the page says so once, and leaving does not ask for each.)
 */
export function selectLeavingLosesRuns(state: Pick<AppState, 'runs' | 'savedRuns'>): boolean {
  const saveStates = Object.values(state.savedRuns);
  return Object.values(state.runs).some(isActiveRun) || saveStates.includes('saving') || saveStates.includes('unsaved');
}

/** Why a run whose model went with a restarted worker, or a lost WebGL context, cannot be drawn with or exported; its record is kept without the model. */
export const MODEL_LOST = 'its model was lost (the training worker restarted, or the WebGL context was lost) before this browser could keep it';

/** Whether a saved run has a model in IndexedDB for the worker to load: not a failed run's, nor one lost before it was kept. */
const hasSavedModel = (saved: SavedRun): boolean => saved.status !== 'failed' && saved.modelLost !== true;

/** Imports whose models the worker is building. */
const pendingImports = new Map<string, { readonly run: SavedRun; readonly fileName: string }>();
/** Set once IndexedDB has proved unavailable: nothing more is tried. */
let storageUnavailable = false;
let deleteTimer: ReturnType<typeof setTimeout> | null = null;
/** When this page deleted runs' records (ms since 1970): another tab's write landing just after one is taken out again. */
const deletedRecords = new Map<string, number>();
/** Deleted runs' record deletions, each resolving to whether the record went: their models go only after them. */
const recordDeletions = new Map<string, Promise<boolean>>();
let importCount = 0;

/** A deleted run whose saved model may outlive its record: until `until` (ms since 1970) its Undo, in some tab, may bring it back. */
export interface PendingDelete {
  readonly id: string;
  readonly until: number;
}

/** How long after its undo ends a deletion still counts as pending: the deleting tab's timer may fire late. */
const UNDO_GRACE_MS = 5_000;
/** How long after this page deleted a run's record another tab's write of it counts as crossing the deletion: sent before that tab heard of it. */
const CROSSING_WRITE_MS = 5_000;
/** How long an undo held under a user's hand counts as pending, should the tab die without a pagehide. */
const HELD_UNDO_MS = 24 * 60 * 60 * 1000;

/** The pending deletions in REMEMBERED.deletedModels's JSON; a bare id (written before the undo's end was) is over. */
export function pendingDeletesOf(value: unknown): PendingDelete[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): PendingDelete[] => {
    if (typeof entry === 'string') return [{ id: entry, until: 0 }];
    if (typeof entry !== 'object' || entry === null) return [];
    const { id, until } = entry as Record<string, unknown>;
    return typeof id === 'string' && typeof until === 'number' ? [{ id, until }] : [];
  });
}

/**
 * What a page starting up does with the pending deletions: models to delete (`drop`: their
 * undo is over and no record came back), and deletions another tab may still undo
 * (`waiting`), whose models must stay. Those brought back by their undo are neither.
 */
export function settlePendingDeletes(pending: readonly PendingDelete[], recordIds: readonly string[], now: number): { drop: string[]; waiting: PendingDelete[] } {
  const open = pending.filter((entry) => !recordIds.includes(entry.id));
  return { drop: open.filter((entry) => entry.until <= now).map((entry) => entry.id), waiting: open.filter((entry) => entry.until > now) };
}

/** Why a run that trained or waited as the page closed ended, and what is left of it. */
export function interruptedWords(run: Pick<Run, 'status' | 'epochs' | 'spec' | 'stopping' | 'pass'>): string {
  const history = run.epochs.length > 0 ? ` Its history up to epoch ${run.epochs.length} of ${run.spec.fit.epochs} is kept.` : '';
  // Stop is asked before the step under way ends, and an epoch trained to its end is validated first: testing comes later.
  const tested = run.pass?.pass === 'test';
  const what =
    run.status === 'starting' && run.epochs.length === 0
      ? 'was waiting to train'
      : run.stopping === true
        ? tested
          ? 'was stopping, being tested as trained so far'
          : 'was stopping'
        : tested
          ? 'was being tested on the test set'
          : 'was training';
  return `The page was reloaded or closed while this run ${what}: it was lost, with its model.${history} "Open in builder" puts its model there to train it again.`;
}

/** The run records REMEMBERED.interruptedRuns holds, unchecked (each is checked as it is kept). */
function takeInterruptedRuns(): unknown[] {
  try {
    const records: unknown = JSON.parse(readRemembered(REMEMBERED.interruptedRuns) ?? '[]');
    return Array.isArray(records) ? records : [];
  } catch {
    return [];
  }
}

/**
 * Keeps the runs remembered as lost when the page closed (REMEMBERED.interruptedRuns) in step
 * with the page, for those whose records could not be written at this visit: one written or
 * deleted for good here is forgotten (`name` null), one renamed takes its new name.
 */
function updateInterruptedRun(id: string, name: string | null): void {
  const records = takeInterruptedRuns();
  if (!records.some((record) => storedRecordId(record) === id)) return;
  const next = records.flatMap((record) => (storedRecordId(record) !== id ? [record] : name === null ? [] : [{ ...(record as object), name }]));
  remember(REMEMBERED.interruptedRuns, next.length > 0 ? JSON.stringify(next) : null);
}

/** What one tab tells the app's other tabs about a run's record: written (trained, renamed, brought back) or deleted. */
type RunsMessage = { readonly type: 'saved' | 'deleted' | 'started'; readonly id: string };


/** The app's other tabs in this browser, which keep their runs in the same IndexedDB; null where there is no BroadcastChannel. */
const otherTabs = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('playground-runs');

/** The runs without one: the run shown and the drawing's model move on if it was either. */
function withoutRun(state: AppState, id: string): Pick<AppState, 'runs' | 'runOrder' | 'currentRunId' | 'drawingRunId'> {
  const runs = Object.fromEntries(Object.entries(state.runs).filter(([other]) => other !== id));
  const runOrder = state.runOrder.filter((other) => other !== id);
  return {
    runs,
    runOrder,
    currentRunId: state.currentRunId === id ? (runOrder.at(-1) ?? null) : state.currentRunId,
    drawingRunId: state.drawingRunId === id ? null : state.drawingRunId,
  };
}

/** What the worker needs to load a run's model when it is used. */
const modelRef = (run: SavedRun): SavedModelRef => ({ runId: run.id, spec: run.spec, input: { ...run.imageSize, channels: 1 } });

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const createStorageSlice: StateCreator<AppState, [], [], StorageSlice> = (set, get) => {
  const setSaveState = (id: string, saveState: SaveState | null): void =>
    set((state) => {
      const rest = Object.fromEntries(Object.entries(state.savedRuns).filter(([other]) => other !== id));
      return { savedRuns: saveState === null ? rest : { ...rest, [id]: saveState } };
    });

  const reportStorage = (error: unknown, context: string): void => {
    const problem = storageError(error);
    if (problem.problem === 'unavailable') storageUnavailable = true;
    const message = `${context} ${problem.message}`;
    set({ storageError: message });
    get().announce(message);
  };

  /** A run (shown, or deleted but still undoable) as it is saved; null when it is not worth saving. */
  const savedRunOf = (id: string): SavedRun | null => {
    const state = get();
    const run = state.runs[id] ?? (state.deletedRun?.run.id === id ? state.deletedRun.run : undefined);
    if (!run) return null;
    const size = runImageSize(state, run);
    return size && toSavedRun(run, size);
  };

  /** Whether a run is on show: only these have records (a deleted run's goes at once, and comes back with Undo). */
  const shown = (id: string): boolean => get().runs[id] !== undefined;

  /**
   * Writes a shown run's record. A run deleted while it was written is taken out again, and one
   * brought back while that was done (Undo) is written again: the record ends as the run does.
   */
  const putRecord = async (id: string): Promise<void> => {
    for (;;) {
      const saved = shown(id) ? savedRunOf(id) : null;
      if (!saved) return;
      await putSavedRun(saved);
      if (shown(id)) {
        otherTabs?.postMessage({ type: 'saved', id } satisfies RunsMessage);
        return;
      }
      await deleteSavedRun(id);
    }
  };

  /**
   * Another tab wrote a run's record: a run new here is added after the others (its model
   * loaded when it is used, its colour another when this tab uses it), and a run shown here,
   * not training, takes its new name. A run this tab trains, imports or can still undo is
   * never replaced. (Messages are handled one at a time: a deletion waits for the read.)
   */
  const adoptFromOtherTab = async (id: string): Promise<void> => {
    if (storageUnavailable) return;
    // A rename there crossed this tab's delete (its write landed after the deletion): the
    // deletion stands, or the run would come back at the next visit without its model. Undo
    // writes the record again.
    const deletedAt = deletedRecords.get(id);
    if (!shown(id) && (get().deletedRun?.run.id === id || (deletedAt !== undefined && Date.now() - deletedAt < CROSSING_WRITE_MS))) return deleteSavedRun(id);
    const saved = await loadSavedRun(id);
    if (!saved) return;
    const here = get().runs[id];
    if (here) {
      if (!isActiveRun(here) && here.name !== saved.name) set((state) => (state.runs[id] ? { runs: { ...state.runs, [id]: { ...state.runs[id], name: saved.name } } } : {}));
      return;
    }
    if (idTaken(id)) return;
    countAddedRuns([saved.name]);
    const inUse = runsHere(get());
    addRun(inUse.some((run) => run.color === saved.color) ? { ...saved, color: nextRunColor(inUse) } : saved, false);
    setSaveState(id, 'saved');
    if (hasSavedModel(saved)) sendToWorker({ type: 'restoreRuns', runs: [modelRef(saved)] });
  };

  /** Another tab deleted a run: it goes here too, unless it trains here (its record then comes back when it ends). Undo is the other tab's. */
  const dropFromOtherTab = (id: string): void => {
    const run = get().runs[id];
    if (!run || isActiveRun(run)) return;
    set((state) => withoutRun(state, id));
    setSaveState(id, null);
    imageSizes.delete(id);
    get().dropFromCompare(id);
    sendToWorker({ type: 'disposeRun', runId: id });
    get().announce(`${run.name} was deleted in another tab.`);
  };

  /**
   * The other tabs' news, one message after another (an adoption reads IndexedDB first: a
   * deletion must not overtake it), and none before this tab has restored its saved runs,
   * which would then show a run deleted meanwhile.
   */
  let restoredHere = (): void => undefined;
  let otherTabsNews = new Promise<void>((resolve) => {
    restoredHere = resolve;
  });
  if (otherTabs) {
    otherTabs.onmessage = (event: MessageEvent<RunsMessage>) => {
      const { type, id } = event.data;
      // A run another tab started: this tab's next run takes a later number, not the same "#4".
      if (type === 'started') return countRunStartedElsewhere(id);
      otherTabsNews = otherTabsNews.then(() =>
        type === 'deleted' ? dropFromOtherTab(id) : adoptFromOtherTab(id).catch((error: unknown) => reportStorage(error, 'A run saved in another tab could not be shown here.')),
      );
    };
  }

  /** Asks the worker to save a run's model; the record follows once it has (see `modelSaved`). */
  const saveNewRun = (id: string): void => {
    if (storageUnavailable || !savedRunOf(id)) return;
    setSaveState(id, 'saving');
    sendToWorker({ type: 'saveModel', runId: id });
  };

  /**
   * Writes the record of a run with no model to save: a failed run (its history and what went
   * wrong outlive the page), or one whose model went with a restarted worker (its charts and results).
   */
  const saveRecordOnly = (id: string): void => {
    if (storageUnavailable || !savedRunOf(id)) return;
    setSaveState(id, 'saving');
    putRecord(id).then(
      () => {
        if (get().savedRuns[id] !== undefined) setSaveState(id, 'saved');
        updateInterruptedRun(id, null);
      },
      (error: unknown) => {
        setSaveState(id, 'unsaved');
        reportStorage(error, `${get().runs[id]?.name ?? 'The run'} could not be kept in this browser; it stays here until the page is reloaded.`);
      },
    );
  };

  /**
   * Runs (shown, or deleted and still undoable) whose models the worker lost before this browser
   * kept them: marked so, and, as a failed run's history does, their charts and results outlive
   * the page, each in a record without a model. One being saved is not any more.
   */
  const keepWithoutModels = (ids: readonly string[]): void => {
    const markLost = (run: Run): Run => (ids.includes(run.id) ? { ...run, modelLost: true } : run);
    set((state) => ({
      runs: Object.fromEntries(Object.entries(state.runs).map(([id, run]) => [id, markLost(run)])),
      deletedRun: state.deletedRun && { ...state.deletedRun, run: markLost(state.deletedRun.run) },
    }));
    for (const id of ids) {
      if (get().savedRuns[id] === 'saving') setSaveState(id, 'unsaved');
      // A deleted run's record is written if Undo brings it back.
      if (shown(id)) saveRecordOnly(id);
    }
  };

  /** The runs deleted whose models may still be saved (REMEMBERED.deletedModels), each with when its undo ends. */
  const pendingModelDeletes = (): PendingDelete[] => {
    try {
      return pendingDeletesOf(JSON.parse(readRemembered(REMEMBERED.deletedModels) ?? '[]'));
    } catch {
      return [];
    }
  };
  const setPendingModelDeletes = (pending: readonly PendingDelete[]): void => remember(REMEMBERED.deletedModels, pending.length > 0 ? JSON.stringify(pending) : null);
  /** Says until when run `id`'s model must outlive its record: while its Undo may still bring it back. */
  const holdModel = (id: string, until: number): void => setPendingModelDeletes([...pendingModelDeletes().filter((other) => other.id !== id), { id, until }]);

  /**
   * Puts the deleted run back where it was (Undo). `rewrite`: its record, taken out at the
   * delete, is written again; false when the record's deletion failed and it is still there.
   */
  const bringBack = (rewrite: boolean): void => {
    const deleted = get().deletedRun;
    if (!deleted) return;
    if (deleteTimer !== null) clearTimeout(deleteTimer);
    deleteTimer = null;
    const { run } = deleted;
    deletedRecords.delete(run.id);
    setPendingModelDeletes(pendingModelDeletes().filter((pending) => pending.id !== run.id));
    set((state) => {
      const runOrder = [...state.runOrder];
      runOrder.splice(Math.min(Math.max(0, deleted.index), runOrder.length), 0, run.id);
      return {
        runs: { ...state.runs, [run.id]: run },
        runOrder,
        deletedRun: null,
        currentRunId: deleted.wasCurrent || state.currentRunId === null ? run.id : state.currentRunId,
        drawingRunId: deleted.wasDrawing ? run.id : state.drawingRunId,
      };
    });
    get().announce(`${run.name} is back.`);
    if (!rewrite) return;
    // A model still being saved writes the record when it is done (modelSaved).
    if (run.modelLost === true && get().savedRuns[run.id] === 'unsaved') saveRecordOnly(run.id);
    if (get().savedRuns[run.id] === 'saved') {
      putRecord(run.id).catch((error: unknown) => {
        // Its record is gone: the run is not kept until Save again writes it.
        if (get().savedRuns[run.id] !== undefined) setSaveState(run.id, 'unsaved');
        reportStorage(error, `${run.name} is back, but could not be saved in this browser again.`);
      });
    }
  };

  const finishDelete = (): void => {
    if (deleteTimer !== null) clearTimeout(deleteTimer);
    deleteTimer = null;
    const deleted = get().deletedRun;
    if (!deleted) return;
    const { id } = deleted.run;
    set({ deletedRun: null });
    setSaveState(id, null);
    updateInterruptedRun(id, null);
    imageSizes.delete(id);
    get().dropFromCompare(id);
    sendToWorker({ type: 'disposeRun', runId: id });
    // Its record went when it was deleted (a model without a record is also pruned at the next
    // visit); one that could not be deleted keeps its model too, and the run is back next visit.
    const recordGone = recordDeletions.get(id) ?? Promise.resolve(true);
    recordDeletions.delete(id);
    void recordGone.then((gone) => {
      if (gone) sendToWorker({ type: 'deleteSavedModel', runId: id });
    });
    // Its undo is over here: a page closing before the worker deletes the model (pagehide) leaves
    // its entry ended, so the next visit drops the model. Held, it said a day from the hold.
    if (pendingModelDeletes().some((pending) => pending.id === id)) holdModel(id, Date.now());
  };

  /**
   * Runs still training or queued as the page goes (reloaded or closed, past the browser's
   * "Leave site?"): their models go with it, but their history so far is worth a record. The
   * page has no time for IndexedDB then; localStorage is written at once, and the next visit
   * keeps them as failed runs (takeInterruptedRuns).
   */
  const rememberInterruptedRuns = (): void => {
    const state = get();
    const records = state.runOrder.flatMap((id) => {
      const run = state.runs[id];
      const size = run && isActiveRun(run) ? runImageSize(state, run) : null;
      if (!run || !size) return [];
      const error = { kind: 'error', message: interruptedWords(run) } as const;
      const saved = toSavedRun({ ...run, status: 'failed', error }, size);
      return saved ? [savedRunJson(saved)] : [];
    });
    if (records.length === 0) return;
    remember(REMEMBERED.interruptedRuns, JSON.stringify([...takeInterruptedRuns(), ...records]));
  };

  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', () => {
      finishDelete();
      if (!storageUnavailable) rememberInterruptedRuns();
    });
  }

  /** Adds a run from a file (or another tab) after the others; an imported one is shown. */
  const addRun = (saved: SavedRun, show = true): void => {
    imageSizes.set(saved.id, saved.imageSize);
    const run = fromSavedRun(saved);
    set((state) => ({ runs: { ...state.runs, [run.id]: run }, runOrder: [...state.runOrder, run.id], currentRunId: show ? run.id : (state.currentRunId ?? run.id) }));
  };

  /** The same run as `saved` (imported before, or trained here and exported): its id (less an import's suffix) and start; a new name does not make it another run. */
  const sameRun = (run: Pick<Run, 'id' | 'startedAt'>, saved: SavedRun): boolean => run.id.replace(/-imported-\d+$/, '') === saved.id && run.startedAt === saved.startedAt;

  /** The runs whose colours and names an import should not take: runsHere's, and imports under way. */
  const runsAndImports = (): Pick<Run, 'id' | 'name' | 'color'>[] => [...runsHere(get()), ...[...pendingImports.values()].map((pending) => pending.run)];

  const idTaken = (id: string): boolean => get().runs[id] !== undefined || get().deletedRun?.run.id === id || pendingImports.has(id);

  /**
   * The loaded dataset (or built-in one) a run from a file belongs to, or why there is none. A
   * user dataset's id is its content's fingerprint, so only the same files match; a run saved
   * before ids were fingerprints (`custom-<visit>-<n>`) matches a user dataset of its name and
   * classes, as it did then.
   */
  const datasetFor = (run: SavedRun, fileName: string): DatasetEntry => {
    const { datasets } = get();
    const own = datasets[run.datasetId];
    const entry = own?.builtin || own?.dataset
      ? own
      : isUserDatasetId(run.datasetId)
        ? undefined
        : Object.values(datasets).find((d) => !d.builtin && d.dataset?.name === run.datasetName && d.dataset.classNames.join('\n') === run.classNames.join('\n'));
    if (!entry) {
      const which = isUserDatasetId(run.datasetId)
        ? `"${run.datasetName}", IDX files of ${run.imageSize.height}×${run.imageSize.width} images and ${run.classNames.length} classes that are not loaded here. Load the same files on the Data tab`
        : `"${run.datasetName}", which is not loaded here. Load that dataset on the Data tab`;
      throw new RunFileError(`${fileName} cannot be imported: its run was trained on ${which}, then import the file again.`);
    }
    const dataset = entry.dataset;
    if (dataset && (dataset.train.height !== run.imageSize.height || dataset.train.width !== run.imageSize.width || dataset.classNames.length !== run.classNames.length)) {
      const { height, width } = dataset.train;
      throw new RunFileError(
        `${fileName} cannot be imported: its model takes ${run.imageSize.height}×${run.imageSize.width} images of ${run.classNames.length} classes, but ${entry.name} has ${height}×${width} images of ${dataset.classNames.length} classes.`,
      );
    }
    return entry;
  };

  return {
    savedRuns: {},
    deletedRun: null,
    storageError: null,
    runFileErrors: [],

    restoreSavedRuns: async () => {
      // Other tabs' news waits for this: a run they delete meanwhile must not be shown after.
      try {
        let saved: SavedRun[];
        /** Runs the last visit lost whose records could not be written now (their ids and records as remembered), and why. */
        const unwritten: { readonly id: string; readonly record: unknown }[] = [];
        let unwrittenError: unknown = null;
        const isUnwritten = (id: string): boolean => unwritten.some((lost) => lost.id === id);
        try {
          const { runs, problems, ids } = await loadSavedRuns();
          // Runs the last visit lost as it closed: kept as failed runs from now on. Never over a
          // record of the same run: a page left and brought back (the back/forward cache) went
          // on training it, and saved it when it ended.
          const interrupted = takeInterruptedRuns();
          remember(REMEMBERED.interruptedRuns, null);
          const lost: SavedRun[] = [];
          for (const record of interrupted) {
            let run: SavedRun;
            try {
              run = parseSavedRun(record, 'run', true);
            } catch {
              // One that cannot be read is dropped: it is only what a lost run left.
              continue;
            }
            if (ids.includes(run.id) || lost.some((other) => other.id === run.id)) continue;
            lost.push(run);
            // One that cannot be written is shown all the same, "Not saved", with Save again, and
            // stays remembered: the next visit tries again, unless Save again has written it.
            await putSavedRun(run).catch((error: unknown) => {
              unwritten.push({ id: run.id, record });
              unwrittenError = error;
            });
          }
          if (unwritten.length > 0) remember(REMEMBERED.interruptedRuns, JSON.stringify([...takeInterruptedRuns(), ...unwritten.map((lost) => lost.record)]));
          saved = [...runs, ...lost].sort((a, b) => a.startedAt - b.startedAt);
          // Deleted in an earlier visit, perhaps while the page closed before the model was gone.
          // Another tab's deletion may still be undone there: its model stays, and so does its entry.
          const { drop, waiting } = settlePendingDeletes(pendingModelDeletes(), ids, Date.now());
          setPendingModelDeletes(waiting);
          sendToWorker({ type: 'pruneSavedModels', keep: [...ids, ...waiting.map((pending) => pending.id)], drop });
          if (problems.length > 0) set((state) => ({ runFileErrors: [...state.runFileErrors, ...problems] }));
        } catch (error) {
          reportStorage(error, 'Saved runs could not be restored.');
          return;
        }
        const fresh = saved.filter((run) => !idTaken(run.id));
        // Every run is known now: unticked ids of runs no longer here are forgotten.
        if (fresh.length === 0) {
          get().pruneCompared();
          return;
        }
        countAddedRuns(fresh.map((run) => run.name));
        for (const run of fresh) imageSizes.set(run.id, run.imageSize);
        const restored = fresh.map(fromSavedRun);
        set((state) => ({
          runs: { ...Object.fromEntries(restored.map((run) => [run.id, run])), ...state.runs },
          runOrder: [...restored.map((run) => run.id), ...state.runOrder],
          currentRunId: state.currentRunId ?? restored.at(-1)?.id ?? null,
          savedRuns: { ...Object.fromEntries(restored.map((run) => [run.id, isUnwritten(run.id) ? ('unsaved' as const) : ('saved' as const)])), ...state.savedRuns },
        }));
        get().pruneCompared();
        // A failed run, or one whose model was lost, has none to load.
        sendToWorker({ type: 'restoreRuns', runs: fresh.filter(hasSavedModel).map(modelRef) });
        get().announce(`Restored ${fresh.length} saved run${fresh.length === 1 ? '' : 's'}.`);
        const notKept = fresh.filter((run) => isUnwritten(run.id)).map((run) => run.name);
        if (notKept.length > 0) {
          const [names, they] = notKept.length === 1 ? [notKept[0], 'it stays'] : [notKept.join(', '), 'they stay'];
          reportStorage(unwrittenError, `${names}, which the page lost as it closed last time, could not be kept in this browser; ${they} here until the page is reloaded.`);
        }
      } finally {
        restoredHere();
      }
    },

    renameRun: (id, name) => {
      const trimmed = name.trim();
      const run = get().runs[id];
      if (!run || trimmed === '' || trimmed === run.name) return;
      // Runs are told apart by name in Compare, Draw and their buttons' names: two the same cannot be.
      if (namesInUse(runsHere(get()), id).has(trimmed)) {
        get().announce(`Another run is named ${trimmed}: ${run.name} keeps its name.`);
        return;
      }
      set((state) => {
        const latest = state.runs[id];
        return latest ? { runs: { ...state.runs, [id]: { ...latest, name: trimmed } } } : {};
      });
      get().announce(`Renamed ${run.name} to ${trimmed}.`);
      updateInterruptedRun(id, trimmed);
      if (get().savedRuns[id] !== 'saved') return;
      setSaveState(id, 'saving');
      putRecord(id).then(
        // Unless the run went meanwhile (deleted here or in another tab).
        () => {
          if (get().savedRuns[id] !== undefined) setSaveState(id, 'saved');
        },
        (error: unknown) => {
          setSaveState(id, 'saved');
          reportStorage(error, `The new name of ${trimmed} could not be saved.`);
        },
      );
    },

    deleteRun: (id) => {
      const run = get().runs[id];
      if (!run || isActiveRun(run)) return;
      finishDelete();
      set((state) => ({
        ...withoutRun(state, id),
        deletedRun: { run, index: state.runOrder.indexOf(id), wasCurrent: state.currentRunId === id, wasDrawing: state.drawingRunId === id },
      }));
      deleteTimer = setTimeout(finishDelete, UNDO_DELETE_MS);
      // Its model goes when the undo has passed; if the page closes first, the next visit deletes it.
      const kept = get().savedRuns[id];
      const hasRecord = kept === 'saved' || kept === 'saving';
      if (hasRecord) holdModel(id, Date.now() + UNDO_DELETE_MS + UNDO_GRACE_MS);
      // The record goes now, not when the undo has passed: a page reloaded or closed meanwhile
      // must not bring the run back. Undo writes it again. A record that cannot be deleted brings
      // the run back now instead, model and all (finishDelete waits for this), and the page says why.
      if (hasRecord) {
        const deletion = deleteSavedRun(id).then(
          () => {
            deletedRecords.set(id, Date.now());
            otherTabs?.postMessage({ type: 'deleted', id } satisfies RunsMessage);
            return true;
          },
          (error: unknown) => {
            // Still in Undo's hands: back at once. Gone for good here already (a second delete): back next visit.
            const undoable = get().deletedRun?.run.id === id;
            if (undoable) bringBack(false);
            reportStorage(error, `${run.name} could not be deleted from this browser, so it is back${undoable ? '' : ' when the page is reloaded'}.`);
            return false;
          },
        );
        recordDeletions.set(id, deletion);
      }
      // Build & train shows another run in its place: said, as its Delete is one Tab away.
      const { currentRunId, deletedRun, runs } = get();
      const shownNow = deletedRun?.wasCurrent === true && currentRunId !== null ? ` Build & train shows ${runs[currentRunId]?.name ?? ''} now.` : '';
      get().announce(`Deleted ${run.name}.${shownNow} Undo is possible for ${UNDO_DELETE_MS / 1000} seconds, and for as long as it has the focus.`);
    },

    holdUndo: (held) => {
      const deleted = get().deletedRun;
      if (deleted === null) return;
      if (deleteTimer !== null) clearTimeout(deleteTimer);
      deleteTimer = held ? null : setTimeout(finishDelete, UNDO_DELETE_MS);
      // Held, the undo has no end another tab could wait for; closing the page ends it (pagehide).
      const { id } = deleted.run;
      if (pendingModelDeletes().some((pending) => pending.id === id)) holdModel(id, Date.now() + (held ? HELD_UNDO_MS : UNDO_DELETE_MS + UNDO_GRACE_MS));
    },

    undoDelete: () => bringBack(true),

    exportRun: (id) => {
      const run = get().runs[id];
      if (!run) return;
      if (run.modelLost === true) {
        set({ runFileErrors: [`${run.name} cannot be exported: ${MODEL_LOST}.`] });
        return;
      }
      const status = savedRunOf(id)?.status;
      if (!hasModel(run) || (status !== 'finished' && status !== 'stopped')) {
        const why = run.status === 'stopped' && !hasModel(run) ? 'it was stopped before it trained, so it has no model' : 'only a finished or stopped run with a trained model can';
        set({ runFileErrors: [`${run.name} cannot be exported: ${why}.`] });
        return;
      }
      set({ runFileErrors: [] });
      sendToWorker({ type: 'exportModel', runId: id });
      get().announce(`Exporting ${run.name}…`);
    },

    importRuns: async (files) => {
      set({ runFileErrors: [] });
      const errors: string[] = [];
      for (const file of files) {
        try {
          if (file.size > MAX_RUN_FILE_BYTES) throw new RunFileError(`${file.name} is too large (${Math.round(file.size / 1048576)} MB) to be a run export.`);
          const contents = parseRunFile(await file.text(), file.name);
          const dataset = datasetFor(contents.run, file.name);
          const twin = [...Object.values(get().runs), ...[...pendingImports.values()].map((pending) => pending.run)].find((other) => sameRun(other, contents.run));
          if (twin) throw new RunFileError(`${file.name} is already here, as ${twin.name}: it was not imported again.`);
          let id = contents.run.id;
          while (idTaken(id)) id = `${contents.run.id}-imported-${++importCount}`;
          // Named as this browser names its dataset: another browser may have numbered the same files otherwise.
          // A colour another run here has already would make the two one line in the charts.
          const others = runsAndImports();
          const color = others.some((other) => other.color === contents.run.color) ? nextRunColor(others) : contents.run.color;
          // A name another run here has already gets a number: runs are told apart by name.
          const names = namesInUse(others);
          let name = contents.run.name;
          for (let n = 2; names.has(name); n++) name = `${contents.run.name} (${n})`;
          const run: SavedRun = { ...contents.run, id, name, color, datasetId: dataset.id, datasetName: dataset.name };
          pendingImports.set(id, { run, fileName: file.name });
          sendToWorker({ type: 'importModel', run: modelRef(run), files: contents.files }, [contents.files.weightData]);
        } catch (error) {
          errors.push(error instanceof RunFileError ? error.message : `${file.name} could not be read: ${messageOf(error)}`);
        }
      }
      if (errors.length > 0) {
        set((state) => ({ runFileErrors: [...state.runFileErrors, ...errors] }));
        get().announce(errors.join(' '));
      }
    },

    saveRunAgain: (id) => {
      const run = get().runs[id];
      if (get().savedRuns[id] !== 'unsaved' || !run) return;
      if (run.status === 'failed' || run.modelLost === true) saveRecordOnly(id);
      else saveNewRun(id);
    },

    recoverSavedRuns: (reason) => {
      const { savedRuns, handleStorageEvent } = get();
      // A model the worker held and this browser did not keep went with the old worker.
      const lost = (run: Run): boolean => hasModel(run) && savedRuns[run.id] !== 'saved';
      const keptWithout = Object.values(get().runs).filter(lost).map((run) => run.id);
      for (const [runId, saveState] of Object.entries(savedRuns)) {
        // A failed run's record is written here, with no model: the worker owes it nothing. A
        // shown run whose model was being saved is kept without it, below.
        if (saveState === 'saving' && get().runs[runId]?.status !== 'failed' && !keptWithout.includes(runId)) handleStorageEvent({ type: 'modelSaved', runId, error: reason });
      }
      const { runs, deletedRun } = get();
      keepWithoutModels([...Object.values(runs), ...(deletedRun ? [deletedRun.run] : [])].filter(lost).map((run) => run.id));
      const lostImports = [...pendingImports.values()].map(({ fileName }) => `${fileName} was not imported: ${reason} Import it again.`);
      pendingImports.clear();
      if (lostImports.length > 0) set((state) => ({ runFileErrors: [...state.runFileErrors, ...lostImports] }));
      const refs = Object.entries(get().savedRuns).flatMap(([runId, saveState]) => {
        const saved = saveState === 'saved' ? savedRunOf(runId) : null;
        return saved && hasSavedModel(saved) ? [modelRef(saved)] : [];
      });
      if (refs.length > 0) sendToWorker({ type: 'restoreRuns', runs: refs });
    },

    handleStorageEvent: (event) => {
      switch (event.type) {
        case 'runStarted':
          otherTabs?.postMessage({ type: 'started', id: event.runId } satisfies RunsMessage);
          return;
        case 'runFinished':
          saveNewRun(event.runId);
          return;
        case 'runFailed':
          saveRecordOnly(event.runId);
          return;
        case 'modelsLost': {
          const deleted = get().deletedRun?.run;
          const names = event.runIds.map((id) => get().runs[id]?.name ?? (deleted?.id === id ? deleted.name : undefined)).filter((name) => name !== undefined);
          keepWithoutModels(event.runIds);
          if (names.length > 0) get().announce(`The WebGL context was lost, and with it the model${names.length === 1 ? '' : 's'} of ${names.join(', ')}, which this browser had not kept: ${names.length === 1 ? 'its' : 'their'} charts and results are kept.`);
          return;
        }
        case 'modelSaved': {
          const { runId } = event;
          const name = savedRunOf(runId)?.name ?? 'The run';
          if (event.error !== null) {
            setSaveState(runId, savedRunOf(runId) ? 'unsaved' : null);
            reportStorage(new Error(event.error), `${name} could not be saved in this browser; it stays here until the page is reloaded.`);
            return;
          }
          if (!savedRunOf(runId)) {
            setSaveState(runId, null);
            sendToWorker({ type: 'deleteSavedModel', runId });
            return;
          }
          putRecord(runId).then(
            () => {
              if (get().savedRuns[runId] !== undefined) setSaveState(runId, 'saved');
              set({ storageError: null });
            },
            (error: unknown) => {
              setSaveState(runId, 'unsaved');
              sendToWorker({ type: 'deleteSavedModel', runId });
              reportStorage(error, `${name} could not be saved in this browser; it stays here until the page is reloaded.`);
            },
          );
          return;
        }
        case 'modelExported': {
          const saved = savedRunOf(event.runId);
          const name = saved?.name ?? 'The run';
          if (event.files === null || !saved) {
            set({ runFileErrors: [`${name} could not be exported: ${event.error === null ? 'the run is gone' : asClause(event.error)}.`] });
            get().announce(`${name} could not be exported.`);
            return;
          }
          const fileName = runFileName(saved.name);
          download(fileName, runFileText(saved, event.files, new Date()));
          get().announce(`Exported ${saved.name} as ${fileName}.`);
          return;
        }
        case 'modelImported': {
          const pending = pendingImports.get(event.runId);
          if (!pending) return;
          pendingImports.delete(event.runId);
          if (event.error !== null) {
            const message = `${pending.fileName} cannot be imported: ${event.error}.`;
            set((state) => ({ runFileErrors: [...state.runFileErrors, message] }));
            get().announce(message);
            return;
          }
          countAddedRuns([pending.run.name]);
          addRun(pending.run);
          get().announce(`Imported ${pending.run.name} from ${pending.fileName}.`);
          saveNewRun(event.runId);
          return;
        }
        default:
          return;
      }
    },
  };
};

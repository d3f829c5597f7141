import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assembleDataset } from '../data/dataset';
import type { ModelFiles, WorkerCommand } from '../training/protocol';
import { runFileText, savedRunJson, type SavedRun } from './runFile';
import { CLASSES, run, saved } from './testing';

/** What the worker was told, in order; it never answers by itself here. */
const sent: WorkerCommand[] = [];
vi.mock('./worker', () => ({
  connectWorker: () => undefined,
  sendToWorker: (command: WorkerCommand) => sent.push(command),
}));

/** This browser's shelf, in memory; `failNext` makes the next write or read fail as IndexedDB can. */
const shelf = new Map<string, SavedRun>();
const storage = { failNext: null as Error | null, failWrites: null as Error | null, problems: [] as string[], unreadable: [] as string[] };
/** Resolves like IndexedDB's requests, after a turn, or rejects once with `failNext`. */
const request = <T>(result: () => T): Promise<T> =>
  new Promise((resolve, reject) => {
    const error = storage.failNext;
    storage.failNext = null;
    setTimeout(() => (error ? reject(error) : resolve(result())), 0);
  });
vi.mock('./runStorage', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./runStorage')>()),
  loadSavedRun: (id: string) => request(() => shelf.get(id) ?? null),
  loadSavedRuns: () => request(() => ({ runs: [...shelf.values()], problems: storage.problems, ids: [...shelf.keys(), ...storage.unreadable] })),
  putSavedRun: (run: SavedRun) => (storage.failWrites ? Promise.reject(storage.failWrites) : request(() => void shelf.set(run.id, run))),
  deleteSavedRun: (id: string) => request(() => void shelf.delete(id)),
}));

/** The page's localStorage, as a browser keeps it. */
const remembered = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (key: string) => remembered.get(key) ?? null,
  setItem: (key: string, value: string) => void remembered.set(key, value),
  removeItem: (key: string) => void remembered.delete(key),
});

const { selectAnnouncement, useAppStore } = await import('./index');
const { MODEL_LOST, UNDO_DELETE_MS, interruptedWords, pendingDeletesOf, selectLeavingLosesRuns, settlePendingDeletes } = await import('./storageSlice');
const { selectDrawingRunId } = await import('./drawingSlice');
const initial = useAppStore.getState();
const state = () => useAppStore.getState();
/** Lets the shelf's requests and the store's callbacks on them run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

beforeEach(() => {
  useAppStore.setState(initial, true);
  remembered.clear();
  sent.length = 0;
  shelf.clear();
  storage.failNext = null;
  storage.failWrites = null;
  storage.problems = [];
  storage.unreadable = [];
});

afterEach(() => {
  vi.useRealTimers();
});

/** Restores two saved runs, the way the app starts. */
async function restoreTwo(): Promise<void> {
  shelf.set('a', saved({ id: 'a', name: 'First' }));
  shelf.set('b', saved({ id: 'b', name: 'Second' }));
  await state().restoreSavedRuns();
}

/** Restores two saved runs and finishes 'a' again, so that its model is being saved. */
async function savingFirst(): Promise<void> {
  await restoreTwo();
  state().handleStorageEvent({ type: 'runFinished', runId: 'a', stopped: false, seconds: 1, earlyStop: null });
}

/** Run 'a' has its record back and reads as saved. */
function expectFirstKept(): void {
  expect(shelf.get('a')?.name).toBe('First');
  expect(state().savedRuns['a']).toBe('saved');
}

describe('the storage slice', () => {
  it('restores saved runs, tells the worker where their models are and which to keep, and reports unreadable records', async () => {
    storage.problems = ['"Broken" could not be restored from this browser: run.trainCount should be a whole number.'];
    storage.unreadable = ['broken'];
    await restoreTwo();
    expect(state().runOrder).toEqual(['a', 'b']);
    expect(state().runs['a']?.restored).toBe(true);
    expect(state().savedRuns).toEqual({ a: 'saved', b: 'saved' });
    // An unreadable record keeps its model too: a later version of the page may read it.
    expect(sent[0]).toEqual({ type: 'pruneSavedModels', keep: ['a', 'b', 'broken'], drop: [] });
    expect(sent.slice(1)).toEqual([{ type: 'restoreRuns', runs: ['a', 'b'].map((runId) => ({ runId, spec: shelf.get(runId)?.spec, input: { height: 28, width: 28, channels: 1 } })) }]);
    expect(state().runFileErrors).toEqual(storage.problems);
    expect(selectAnnouncement(state())).toBe('Restored 2 saved runs.');
  });

  it('saves a finished run: the worker saves its model first, then its record is written', async () => {
    await restoreTwo();
    sent.length = 0;
    state().handleStorageEvent({ type: 'runFinished', runId: 'a', stopped: false, seconds: 1, earlyStop: null });
    expect(sent).toEqual([{ type: 'saveModel', runId: 'a' }]);
    expect(state().savedRuns['a']).toBe('saving');
    shelf.delete('a');
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: null });
    await settle();
    expect(state().savedRuns['a']).toBe('saved');
    expect(shelf.get('a')?.name).toBe('First');
  });

  it("keeps a failed run's record, with what went wrong and no model", async () => {
    await restoreTwo();
    const failure = { kind: 'diverged', message: 'The loss became NaN or infinite in epoch 1, batch 3: training diverged.' } as const;
    const first = state().runs['a'];
    if (!first) throw new Error('run a was not restored');
    useAppStore.setState({ runs: { ...state().runs, a: { ...first, status: 'failed', error: failure } } });
    sent.length = 0;
    state().handleStorageEvent({ type: 'runFailed', runId: 'a', ...failure });
    expect(sent).toEqual([]);
    await settle();
    expect(state().savedRuns['a']).toBe('saved');
    expect(shelf.get('a')).toMatchObject({ status: 'failed', failure });

    // The next visit shows it failed, with its message, and asks the worker for no model of it.
    useAppStore.setState(initial, true);
    sent.length = 0;
    await state().restoreSavedRuns();
    expect(state().runs['a']).toMatchObject({ status: 'failed', error: failure, restored: true });
    expect(sent.find((c) => c.type === 'restoreRuns')).toEqual({ type: 'restoreRuns', runs: [{ runId: 'b', spec: shelf.get('b')?.spec, input: { height: 28, width: 28, channels: 1 } }] });
  });

  it('keeps a run it could not save in memory and says so, naming it', async () => {
    await restoreTwo();
    state().handleStorageEvent({ type: 'modelSaved', runId: 'b', error: 'QuotaExceededError: the disk is full' });
    expect(state().savedRuns['b']).toBe('unsaved');
    expect(state().runs['b']).toBeDefined();
    expect(state().storageError).toMatch(/^Second could not be saved in this browser; it stays here until the page is reloaded\. The browser has no more room/);

    // Another run saves: the page's message goes, the unsaved run stays marked as such.
    state().handleStorageEvent({ type: 'runFinished', runId: 'a', stopped: false, seconds: 1, earlyStop: null });
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: null });
    await settle();
    expect(state().storageError).toBeNull();
    expect(state().savedRuns['b']).toBe('unsaved');
    // Saved again on request: model first, then record.
    sent.length = 0;
    shelf.delete('b');
    state().saveRunAgain('b');
    expect(sent).toEqual([{ type: 'saveModel', runId: 'b' }]);
    state().handleStorageEvent({ type: 'modelSaved', runId: 'b', error: null });
    await settle();
    expect(state().savedRuns['b']).toBe('saved');
    expect(shelf.get('b')?.name).toBe('Second');
  });

  it('renames a saved run in this browser too, and keeps the old name when the write fails', async () => {
    await restoreTwo();
    state().renameRun('a', '  Wide model ');
    await settle();
    expect(state().runs['a']?.name).toBe('Wide model');
    expect(shelf.get('a')?.name).toBe('Wide model');
    storage.failNext = new Error('disk error');
    state().renameRun('a', 'Narrow model');
    await settle();
    expect(state().runs['a']?.name).toBe('Narrow model');
    expect(shelf.get('a')?.name).toBe('Wide model');
    expect(state().storageError).toMatch(/^The new name of Narrow model could not be saved\./);
    expect(state().savedRuns['a']).toBe('saved');
  });

  it("refuses another run's name: runs are told apart by name in Compare, Draw and their buttons", async () => {
    await restoreTwo();
    const other = state().runs['b']?.name ?? '';
    state().renameRun('a', ` ${other} `);
    expect(state().runs['a']?.name).not.toBe(other);
    expect(selectAnnouncement(state())).toBe(`Another run is named ${other}: ${state().runs['a']?.name ?? ''} keeps its name.`);
  });

  it('deletes a run with a moment to undo, putting it back where it was', async () => {
    await restoreTwo();
    state().deleteRun('a');
    expect(state().runOrder).toEqual(['b']);
    expect(state().deletedRun?.run.name).toBe('First');
    expect(selectAnnouncement(state())).toBe('Deleted First. Undo is possible for 10 seconds, and for as long as it has the focus.');
    // Its record goes at once: a page reloaded during the undo does not bring it back.
    await settle();
    expect(shelf.has('a')).toBe(false);
    state().undoDelete();
    expect(state().runOrder).toEqual(['a', 'b']);
    expect(state().deletedRun).toBeNull();
    await settle();
    expectFirstKept();
    expect(sent.filter((c) => c.type === 'deleteSavedModel')).toEqual([]);
    // The run shown in Build & train, deleted: the one shown in its place is named.
    expect(state().currentRunId).toBe('b');
    state().deleteRun('b');
    expect(selectAnnouncement(state())).toBe('Deleted Second. Build & train shows First now. Undo is possible for 10 seconds, and for as long as it has the focus.');
    state().undoDelete();
    await settle();
  });

  it('brings a run back at once when its record cannot be deleted, and never deletes its model', async () => {
    await restoreTwo();
    vi.useFakeTimers();
    storage.failNext = new Error('the disk is failing');
    const writes = vi.spyOn(shelf, 'set');
    state().deleteRun('a');
    await vi.advanceTimersByTimeAsync(1);
    expect(state().runOrder).toEqual(['a', 'b']);
    // Its record is still there: nothing is written again, and it reads as saved.
    expect(writes).not.toHaveBeenCalled();
    writes.mockRestore();
    expect(state().savedRuns['a']).toBe('saved');
    expect(state().deletedRun).toBeNull();
    expect(state().storageError).toMatch(/^First could not be deleted from this browser, so it is back\. /);
    await vi.advanceTimersByTimeAsync(UNDO_DELETE_MS + 10);
    expectFirstKept();
    expect(sent.filter((c) => c.type === 'deleteSavedModel')).toEqual([]);
  });

  it('keeps a run whose record could not be deleted, model and all, when its undo had already ended: back at the next visit', async () => {
    await restoreTwo();
    storage.failNext = new Error('the disk is failing');
    state().deleteRun('a');
    // A second delete ends the first's undo before the failure is known.
    state().deleteRun('b');
    await settle();
    expect(state().storageError).toMatch(/^First could not be deleted from this browser, so it is back when the page is reloaded\. /);
    expect(shelf.has('a')).toBe(true);
    expect(sent.filter((c) => c.type === 'deleteSavedModel')).toEqual([]);
  });

  it('says a run brought back by Undo is not saved when its record cannot be written again, and offers to save it', async () => {
    await restoreTwo();
    state().deleteRun('a');
    await settle();
    storage.failNext = new Error('the disk is failing');
    state().undoDelete();
    await settle();
    expect(shelf.has('a')).toBe(false);
    expect(state().savedRuns['a']).toBe('unsaved');
    expect(state().storageError).toMatch(/^First is back, but could not be saved in this browser again\. /);
    state().saveRunAgain('a');
    expect(sent.at(-1)).toEqual({ type: 'saveModel', runId: 'a' });
  });

  it('has the page ask before it is left while a run that ended is being saved, or could not be, and not once it is saved', async () => {
    await savingFirst();
    expect(selectLeavingLosesRuns(state())).toBe(true);
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: null });
    await settle();
    expectFirstKept();
    expect(selectLeavingLosesRuns(state())).toBe(false);
    state().handleStorageEvent({ type: 'runFinished', runId: 'b', stopped: false, seconds: 1, earlyStop: null });
    state().handleStorageEvent({ type: 'modelSaved', runId: 'b', error: 'QuotaExceededError: the disk is full' });
    expect(state().savedRuns['b']).toBe('unsaved');
    expect(selectLeavingLosesRuns(state())).toBe(true);
  });

  it('undoes the delete of a run whose model was still being saved: the record is written once the model is', async () => {
    await savingFirst();
    state().deleteRun('a');
    await settle();
    state().undoDelete();
    await settle();
    expect(shelf.has('a')).toBe(false);
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: null });
    await settle();
    expectFirstKept();
  });

  it('writes the record again when Undo comes while a write for the deleted run is being taken out', async () => {
    await savingFirst();
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: null });
    state().deleteRun('a');
    // The record's write lands after the delete, finds the run gone and deletes it again; Undo comes before that is done.
    await new Promise((resolve) => setTimeout(resolve, 0));
    state().undoDelete();
    await settle();
    expectFirstKept();
  });

  it('keeps no record of a run whose model is saved during the undo, until the undo', async () => {
    await savingFirst();
    state().deleteRun('a');
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: null });
    await settle();
    expect(shelf.has('a')).toBe(false);
    state().undoDelete();
    await settle();
    expect(shelf.get('a')?.name).toBe('First');
  });

  it('holds the undo while Undo is held (focus or pointer), and gives it the whole time again once released', async () => {
    await restoreTwo();
    vi.useFakeTimers();
    state().deleteRun('b');
    state().holdUndo(true);
    await vi.advanceTimersByTimeAsync(UNDO_DELETE_MS * 3);
    expect(state().deletedRun?.run.id).toBe('b');
    state().holdUndo(false);
    await vi.advanceTimersByTimeAsync(UNDO_DELETE_MS - 1);
    expect(state().deletedRun?.run.id).toBe('b');
    await vi.advanceTimersByTimeAsync(10);
    expect(state().deletedRun).toBeNull();
    // Nothing to hold once the deletion is over.
    state().holdUndo(false);
    await vi.advanceTimersByTimeAsync(UNDO_DELETE_MS * 2);
    expect(state().runOrder).toEqual(['a']);
  });

  it('deletes the run for good once the undo time is over: its record, its model, and the worker\'s copy', async () => {
    await restoreTwo();
    vi.useFakeTimers();
    state().deleteRun('b');
    await vi.advanceTimersByTimeAsync(UNDO_DELETE_MS - 1);
    expect(state().deletedRun?.run.id).toBe('b');
    await vi.advanceTimersByTimeAsync(10);
    expect(state().deletedRun).toBeNull();
    expect(shelf.has('b')).toBe(false);
    expect(state().savedRuns['b']).toBeUndefined();
    expect(sent.slice(-2)).toEqual([
      { type: 'disposeRun', runId: 'b' },
      { type: 'deleteSavedModel', runId: 'b' },
    ]);
  });

  it("ends a deletion's pending entry with its undo, held for a while first: the next visit drops the model the worker had no time to delete", async () => {
    await restoreTwo();
    vi.useFakeTimers();
    state().deleteRun('b');
    state().holdUndo(true);
    state().holdUndo(false);
    await vi.advanceTimersByTimeAsync(UNDO_DELETE_MS + 10);
    expect(state().deletedRun).toBeNull();
    // The next visit starts at once (the clock alone faked, as storage needs real timers).
    const now = Date.now();
    vi.useRealTimers();
    vi.useFakeTimers({ now, toFake: ['Date'] });
    sent.length = 0;
    await state().restoreSavedRuns();
    expect(sent.find((c) => c.type === 'pruneSavedModels')).toEqual({ type: 'pruneSavedModels', keep: ['a'], drop: ['b'] });
  });

  it('has the next visit delete the model of a run deleted before the page closed, and not that of one brought back', async () => {
    await restoreTwo();
    state().deleteRun('a');
    state().undoDelete();
    state().deleteRun('b');
    // The page closes during the undo: its worker may end before the model is gone. The next
    // visit, after the undo would have ended, deletes it.
    sent.length = 0;
    vi.useFakeTimers({ now: Date.now() + 60_000, toFake: ['Date'] });
    await state().restoreSavedRuns();
    expect(sent.find((c) => c.type === 'pruneSavedModels')).toEqual({ type: 'pruneSavedModels', keep: ['a'], drop: ['b'] });
    // Asked once: the visit after that has nothing left to drop.
    sent.length = 0;
    await state().restoreSavedRuns();
    expect(sent.find((c) => c.type === 'pruneSavedModels')).toEqual({ type: 'pruneSavedModels', keep: ['a'], drop: [] });
  });

  it("keeps the model of a run another tab deleted and may still bring back, when this tab starts meanwhile; held Undo keeps it however long", async () => {
    await restoreTwo();
    state().deleteRun('b');
    state().holdUndo(true);
    // Another tab (this store, starting again) starts during the undo, an hour on.
    vi.useFakeTimers({ now: Date.now() + 3_600_000, toFake: ['Date'] });
    sent.length = 0;
    await state().restoreSavedRuns();
    // Its model is neither deleted nor pruned as an orphan, and the deletion stays pending.
    expect(sent.find((c) => c.type === 'pruneSavedModels')).toEqual({ type: 'pruneSavedModels', keep: ['a', 'b'], drop: [] });
    const pending = pendingDeletesOf(JSON.parse(localStorage.getItem('playground.deletedModels') ?? '[]'));
    expect(pending.map((entry) => entry.id)).toEqual(['b']);
    expect(pending[0]?.until).toBeGreaterThan(Date.now());
  });

  it('remembers the runs taken out of the comparison: over another tab\'s, through an Undo, forgotten once a run is gone for good', async () => {
    const stored = (): unknown => JSON.parse(remembered.get('playground.hiddenFromCompare') ?? '[]');
    await restoreTwo();
    // Another tab took out a run of its own meanwhile: both are remembered.
    remembered.set('playground.hiddenFromCompare', JSON.stringify(['elsewhere']));
    state().setCompared('b', false);
    expect(stored()).toEqual(['elsewhere', 'b']);
    state().setCompared('elsewhere', true);
    expect(state().hiddenFromCompare).toEqual(['b']);
    // Deleted, then brought back by Undo: still out, whatever was ticked meanwhile.
    state().deleteRun('b');
    state().setCompared('a', false);
    state().setCompared('a', true);
    state().undoDelete();
    expect(state().hiddenFromCompare).toEqual(['b']);
    // Deleted for good: forgotten, here and in storage.
    vi.useFakeTimers();
    state().deleteRun('b');
    await vi.advanceTimersByTimeAsync(UNDO_DELETE_MS + 10);
    expect(state().hiddenFromCompare).toEqual([]);
    expect(remembered.has('playground.hiddenFromCompare')).toBe(false);
  });

  it('forgets, at a start, the runs taken out of the comparison that are no longer kept', async () => {
    useAppStore.setState({ hiddenFromCompare: ['gone', 'a'] });
    await restoreTwo();
    expect(state().hiddenFromCompare).toEqual(['a']);
    expect(JSON.parse(remembered.get('playground.hiddenFromCompare') ?? '[]')).toEqual(['a']);
  });

  it('reads pending deletions, old bare ids as over, and settles them at a start', () => {
    expect(pendingDeletesOf(['old', { id: 'new', until: 5 }, { id: 3 }, null])).toEqual([
      { id: 'old', until: 0 },
      { id: 'new', until: 5 },
    ]);
    expect(pendingDeletesOf({ id: 'x' })).toEqual([]);
    const pending = [
      { id: 'over', until: 100 },
      { id: 'undone', until: 100 },
      { id: 'open', until: 101 },
    ];
    expect(settlePendingDeletes(pending, ['undone'], 100)).toEqual({ drop: ['over'], waiting: [{ id: 'open', until: 101 }] });
  });

  it('says what a run lost with the page was doing: waiting, training, stopping, or being tested', () => {
    const spec = saved().spec;
    const epochs = saved().epochs;
    const doing = (run: Parameters<typeof interruptedWords>[0]) => /while this run (.*?): it was lost/.exec(interruptedWords(run))?.[1];
    expect(doing({ status: 'starting', epochs: [], spec })).toBe('was waiting to train');
    expect(doing({ status: 'running', epochs, spec })).toBe('was training');
    expect(doing({ status: 'running', epochs, spec, stopping: true })).toBe('was stopping');
    expect(doing({ status: 'running', epochs, spec, stopping: true, pass: { pass: 'validation', done: 300, total: 6000, etaSeconds: 1 } })).toBe('was stopping');
    expect(doing({ status: 'running', epochs, spec, stopping: true, pass: { pass: 'test', done: 3500, total: 10000, etaSeconds: 1 } })).toBe('was stopping, being tested as trained so far');
    expect(doing({ status: 'running', epochs, spec, pass: { pass: 'test', done: 3500, total: 10000, etaSeconds: 1 } })).toBe('was being tested on the test set');
  });

  /** Run 'x' as the last visit left it when the page closed while it trained: a failed run named Lost. */
  const lostRun = (): SavedRun => saved({ id: 'x', name: 'Lost', status: 'failed', error: { kind: 'error', message: interruptedWords({ status: 'running', epochs: [], spec: saved().spec }) } });

  /** Restores two saved runs with lost run 'x' remembered, while the shelf refuses writes (a full disk); returns 'x'. */
  async function restoreWithLostRunUnwritable(): Promise<SavedRun> {
    const lost = lostRun();
    localStorage.setItem('playground.interruptedRuns', JSON.stringify([savedRunJson(lost)]));
    storage.failWrites = new DOMException('full', 'QuotaExceededError');
    await restoreTwo();
    return lost;
  }

  it('keeps the runs the last visit lost as it closed as failed runs, never over a record of the same run', async () => {
    const lostWhileTraining = lostRun();
    // 'a' was left and brought back (the back/forward cache): it went on, and was saved finished.
    const broughtBack = { ...lostWhileTraining, id: 'a', name: 'First' };
    localStorage.setItem('playground.interruptedRuns', JSON.stringify([savedRunJson(lostWhileTraining), savedRunJson(broughtBack), { damaged: true }]));
    await restoreTwo();
    expect(state().runs['x']).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/^The page was reloaded or closed while this run was training: it was lost, with its model\./) as unknown } });
    expect(state().runs['a']?.status).toBe('finished');
    expect(shelf.get('a')?.status).toBe('finished');
    expect(shelf.get('x')?.status).toBe('failed');
    expect(localStorage.getItem('playground.interruptedRuns')).toBeNull();
  });

  it('shows a run the last visit lost whose record cannot be written now as not saved, says so, and keeps it with Save again', async () => {
    const lost = await restoreWithLostRunUnwritable();
    expect(state().runs['x']?.status).toBe('failed');
    expect(state().savedRuns['x']).toBe('unsaved');
    expect(state().storageError).toMatch(/^Lost, which the page lost as it closed last time, could not be kept in this browser; it stays here until the page is reloaded\. The browser has no more room/);
    expect(selectLeavingLosesRuns(state())).toBe(true);
    // Still remembered: a reload before Save again tries once more.
    expect(JSON.parse(localStorage.getItem('playground.interruptedRuns') ?? '[]')).toEqual([savedRunJson(lost)]);
    // Renamed, it is remembered by its new name.
    state().renameRun('x', 'Lost, renamed');
    expect((JSON.parse(localStorage.getItem('playground.interruptedRuns') ?? '[]') as { name: string }[])[0]?.name).toBe('Lost, renamed');
    storage.failWrites = null;
    state().saveRunAgain('x');
    await settle();
    expect(state().savedRuns['x']).toBe('saved');
    expect(shelf.get('x')?.name).toBe('Lost, renamed');
    // Written, it is remembered no more.
    expect(localStorage.getItem('playground.interruptedRuns')).toBeNull();
  });

  it('forgets a run the last visit lost, which could not be kept, once it is deleted for good: it does not come back at the next visit', async () => {
    await restoreWithLostRunUnwritable();
    state().deleteRun('x');
    state().deleteRun('a');
    expect(localStorage.getItem('playground.interruptedRuns')).toBeNull();
    await settle();
  });

  it('a second delete makes the first one final', async () => {
    await restoreTwo();
    state().deleteRun('a');
    state().deleteRun('b');
    await settle();
    expect(state().deletedRun?.run.id).toBe('b');
    expect(sent.filter((c) => c.type === 'deleteSavedModel')).toEqual([{ type: 'deleteSavedModel', runId: 'a' }]);
    expect([...shelf.keys()]).toEqual([]);
    state().undoDelete();
    await settle();
    expect([...shelf.keys()]).toEqual(['b']);
    expect(state().runOrder).toEqual(['b']);
  });

  it('does not keep the record of a run deleted while its model was being saved', async () => {
    await savingFirst();
    state().deleteRun('a');
    state().deleteRun('b');
    // The second delete ends the first's undo: its model goes once its record has.
    await settle();
    sent.length = 0;
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: null });
    await settle();
    expect(shelf.has('a')).toBe(false);
    expect(sent).toEqual([{ type: 'deleteSavedModel', runId: 'a' }]);
  });

  it('keeps the runs whose unsaved models went with a lost WebGL context without them: one shown, and one deleted that Undo brings back', async () => {
    await savingFirst();
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: 'quota' });
    expect(state().savedRuns['a']).toBe('unsaved');
    state().handleStorageEvent({ type: 'runFinished', runId: 'b', stopped: false, seconds: 1, earlyStop: null });
    state().deleteRun('b');
    await settle();
    sent.length = 0;
    state().handleStorageEvent({ type: 'modelsLost', runIds: ['a', 'b'] });
    await settle();
    expect(state().runs['a']?.modelLost).toBe(true);
    expect(selectAnnouncement(state())).toBe('The WebGL context was lost, and with it the models of First, Second, which this browser had not kept: their charts and results are kept.');
    expect(state().savedRuns['a']).toBe('saved');
    expect(shelf.get('a')?.modelLost).toBe(true);
    // The deleted run's save will never be answered: it is not saved, and has no record until Undo.
    expect(state().savedRuns['b']).toBe('unsaved');
    expect(shelf.has('b')).toBe(false);
    state().undoDelete();
    await settle();
    expect(state().savedRuns['b']).toBe('saved');
    expect(shelf.get('b')?.modelLost).toBe(true);
    // Neither has a model to load, nor one to save.
    expect(sent).toEqual([]);
  });

  it('after a worker crash, keeps a run whose model was being saved without it, and gives the new worker the saved models', async () => {
    await savingFirst();
    sent.length = 0;
    state().recoverSavedRuns('The training worker crashed (out of memory) and was restarted.');
    expect(sent).toEqual([{ type: 'restoreRuns', runs: [{ runId: 'b', spec: shelf.get('b')?.spec, input: { height: 28, width: 28, channels: 1 } }] }]);
    await settle();
    // Its charts and results outlive the page: its record is written, marked as having no model.
    expect(state().savedRuns).toEqual({ a: 'saved', b: 'saved' });
    expect(shelf.get('a')?.modelLost).toBe(true);
    expect(state().storageError).toBeNull();
  });

  it('after a worker restart, keeps the runs whose models it held unsaved, without them: no export, no drawing with them, then or after a reload', async () => {
    await restoreTwo();
    state().handleStorageEvent({ type: 'modelSaved', runId: 'a', error: 'QuotaExceededError: the disk is full' });
    state().handleStorageEvent({ type: 'runFinished', runId: 'b', stopped: false, seconds: 1, earlyStop: null });
    state().deleteRun('b');
    await settle();
    sent.length = 0;
    state().recoverSavedRuns('The training worker crashed (out of memory) and was restarted.');
    // 'a' was never saved; 'b', deleted during its save, is in Undo's hands.
    expect(state().runs['a']?.modelLost).toBe(true);
    expect(state().deletedRun?.run.modelLost).toBe(true);
    expect(selectDrawingRunId(state())).toBeNull();
    await settle();
    expect(shelf.get('a')).toMatchObject({ modelLost: true, name: 'First' });
    expect(shelf.has('b')).toBe(false);
    state().exportRun('a');
    expect(sent.filter((c) => c.type === 'saveModel' || c.type === 'exportModel')).toEqual([]);
    expect(state().runFileErrors).toEqual([`First cannot be exported: ${MODEL_LOST}.`]);
    // Its history and results stay.
    expect(state().runs['a']?.epochs.length).toBeGreaterThan(0);
    state().undoDelete();
    expect(state().runs['b']?.modelLost).toBe(true);
    await settle();
    expect(shelf.get('b')?.modelLost).toBe(true);

    // The next visit shows both, still without models: the new worker is given none to load.
    useAppStore.setState(initial, true);
    sent.length = 0;
    await state().restoreSavedRuns();
    expect([state().runs['a']?.modelLost, state().runs['b']?.modelLost]).toEqual([true, true]);
    expect(sent.filter((c) => c.type === 'restoreRuns')).toEqual([{ type: 'restoreRuns', runs: [] }]);
    expect(selectDrawingRunId(state())).toBeNull();
  });

  it('after a worker restart, keeps the models this browser saved: they load from it when used', async () => {
    await restoreTwo();
    state().recoverSavedRuns('The training worker crashed (out of memory) and was restarted.');
    expect([state().runs['a']?.modelLost, state().runs['b']?.modelLost]).toEqual([undefined, undefined]);
    expect(selectDrawingRunId(state())).not.toBeNull();
  });
});

describe('importing a run file', () => {
  const files: ModelFiles = {
    modelJson: { format: 'layers-model', generatedBy: 'test', convertedBy: null, modelTopology: {}, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'b', shape: [3], dtype: 'float32' }] }] },
    weightData: new Float32Array(3).buffer,
  };
  const idx = (dims: number[]) => ({ name: 'f', idx: { dims, data: new Uint8Array(dims.reduce((a, b) => a * b, 1)) } });
  /** A user dataset loaded on this page, of 28×28 images and the fixture's three classes. */
  function loadUserDataset(id: string, name: string): void {
    const dataset = { ...assembleDataset(id, name, { trainImages: idx([3, 28, 28]), trainLabels: { name: 'l', idx: { dims: [3], data: Uint8Array.from([0, 1, 2]) } }, testImages: idx([1, 28, 28]), testLabels: idx([1]) }), classNames: CLASSES };
    const entry = { id, name, builtin: false, status: 'ready' as const, progress: {}, dataset, error: null, loadSeconds: 0, fromBrowserCopy: false };
    useAppStore.setState({ datasets: { ...state().datasets, [id]: entry } });
  }
  const fileOf = (changes: Partial<SavedRun>): File => new File([runFileText({ ...saved({ id: 'imported' }), ...changes }, files, new Date(0))], 'mine.run.json');
  const imported = () => sent.flatMap((c) => (c.type === 'importModel' ? [c.run.runId] : []));

  it("matches a user dataset by its content's id, and names the run's dataset as this browser does", async () => {
    loadUserDataset('custom-00112233445566ff', 'Your dataset 1');
    await state().importRuns([fileOf({ datasetId: 'custom-00112233445566ff', datasetName: 'Your dataset 3' })]);
    expect(state().runFileErrors).toEqual([]);
    expect(imported()).toEqual(['imported']);
    state().handleStorageEvent({ type: 'modelImported', runId: 'imported', error: null });
    expect(state().runs['imported']).toMatchObject({ datasetId: 'custom-00112233445566ff', datasetName: 'Your dataset 1' });
  });

  it('refuses a run trained on other files, even under the same name and classes', async () => {
    loadUserDataset('custom-00112233445566ff', 'Your dataset 1');
    await state().importRuns([fileOf({ datasetId: 'custom-aaaaaaaaaaaaaaaa', datasetName: 'Your dataset 1' })]);
    expect(imported()).toEqual([]);
    expect(state().runFileErrors).toEqual([
      'mine.run.json cannot be imported: its run was trained on "Your dataset 1", IDX files of 28×28 images and 3 classes that are not loaded here. Load the same files on the Data tab, then import the file again.',
    ]);
  });

  it('refuses a run that is here already, renamed or not, and gives a copy of a colour in use another colour', async () => {
    loadUserDataset('custom-00112233445566ff', 'Your dataset 1');
    const file = fileOf({ datasetId: 'custom-00112233445566ff', datasetName: 'Your dataset 1', color: '#2563eb' });
    await state().importRuns([file]);
    state().handleStorageEvent({ type: 'modelImported', runId: 'imported', error: null });
    state().renameRun('imported', 'My best run');
    await state().importRuns([file]);
    expect(imported()).toEqual(['imported']);
    expect(state().runFileErrors).toEqual(['mine.run.json is already here, as My best run: it was not imported again.']);
    // A damaged copy of it says what is damaged, not only that the run is here.
    const damaged = fileOf({ datasetId: 'custom-00112233445566ff', datasetName: 'Your dataset 1', color: '#2563eb', evaluation: { ...run.evaluation, accuracy: 1.7 } as SavedRun['evaluation'] });
    await state().importRuns([damaged]);
    expect(state().runFileErrors).toEqual([
      "mine.run.json cannot be imported: run.evaluation.accuracy should be the confusion matrix's 3 right of 4 (0.75), but it is 1.7.",
    ]);
    // Another run, of the colour the first one has.
    await state().importRuns([fileOf({ id: 'other', datasetId: 'custom-00112233445566ff', datasetName: 'Your dataset 1', color: '#2563eb' })]);
    state().handleStorageEvent({ type: 'modelImported', runId: 'other', error: null });
    expect(state().runs['imported']?.color).toBe('#2563eb');
    expect(state().runs['other']?.color).toBe('#dc2626');
    // Another run under a name a run here has: numbered, as runs are told apart by name.
    const name = state().runs['other']?.name ?? '';
    await state().importRuns([fileOf({ id: 'third', datasetId: 'custom-00112233445566ff', datasetName: 'Your dataset 1' })]);
    state().handleStorageEvent({ type: 'modelImported', runId: 'third', error: null });
    expect(state().runs['third']?.name).toBe(`${name} (2)`);
  });

  it('matches a run saved before ids were fingerprints by its dataset name and classes', async () => {
    loadUserDataset('custom-00112233445566ff', 'Your dataset 2');
    await state().importRuns([fileOf({ datasetId: 'custom-lxq0k2-2', datasetName: 'Your dataset 2' })]);
    expect(state().runFileErrors).toEqual([]);
    expect(imported()).toEqual(['imported']);
  });
});

// The app's other tabs, as a BroadcastChannel of the same name in another page delivers their news.
describe('runs across tabs', () => {
  const otherTab = new BroadcastChannel('playground-runs');
  const heard: unknown[] = [];
  otherTab.onmessage = (event: MessageEvent) => heard.push(event.data);
  afterEach(() => {
    heard.length = 0;
  });
  afterAll(() => otherTab.close());

  it('shows a run another tab saved, after the others, with its model to load, and takes it away when that tab deletes it', async () => {
    await restoreTwo();
    sent.length = 0;
    shelf.set('c', saved({ id: 'c', name: 'Third #3', color: '#0891b2' }));
    otherTab.postMessage({ type: 'saved', id: 'c' });
    await vi.waitFor(() => expect(state().runOrder).toEqual(['a', 'b', 'c']));
    expect(state().savedRuns['c']).toBe('saved');
    expect(sent).toEqual([{ type: 'restoreRuns', runs: [expect.objectContaining({ runId: 'c' })] }]);
    shelf.delete('c');
    otherTab.postMessage({ type: 'deleted', id: 'c' });
    await vi.waitFor(() => expect(state().runOrder).toEqual(['a', 'b']));
    expect(selectAnnouncement(state())).toBe('Third #3 was deleted in another tab.');
  });

  it("takes out again a record another tab wrote just after this tab deleted its run (a rename crossing the delete), and lets Undo write it back", async () => {
    await restoreTwo();
    state().deleteRun('a');
    await settle();
    // The other tab renamed 'a' before it heard of the deletion: its write landed after it.
    shelf.set('a', saved({ id: 'a', name: 'Renamed there' }));
    otherTab.postMessage({ type: 'saved', id: 'a' });
    await vi.waitFor(() => expect(shelf.has('a')).toBe(false));
    state().undoDelete();
    await settle();
    expect(shelf.get('a')?.name).toBe('First');
    // Gone for good, the same: a crossing write is taken out.
    state().deleteRun('b');
    state().deleteRun('a');
    await settle();
    shelf.set('b', saved({ id: 'b', name: 'Renamed there' }));
    otherTab.postMessage({ type: 'saved', id: 'b' });
    await vi.waitFor(() => expect(shelf.has('b')).toBe(false));
    expect(state().runOrder).toEqual([]);
  });

  it('handles a deletion after the read of the record saved before it, so that it never brings a deleted run back', async () => {
    await restoreTwo();
    // The other tab renamed a new run, then deleted it: its record was still there when this tab read it.
    shelf.set('c', saved({ id: 'c', name: 'Third #3' }));
    otherTab.postMessage({ type: 'saved', id: 'c' });
    otherTab.postMessage({ type: 'deleted', id: 'c' });
    await vi.waitFor(() => expect(selectAnnouncement(state())).toBe('Third #3 was deleted in another tab.'));
    await settle();
    expect(state().runOrder).toEqual(['a', 'b']);
  });

  it("takes another tab's new name for a run shown here, gives an adopted run a colour not in use, and tells the other tabs of its own records", async () => {
    await restoreTwo();
    shelf.set('a', { ...saved({ id: 'a', name: 'Renamed there' }) });
    otherTab.postMessage({ type: 'saved', id: 'a' });
    await vi.waitFor(() => expect(state().runs['a']?.name).toBe('Renamed there'));
    shelf.set('d', saved({ id: 'd', name: 'Fourth', color: state().runs['b']?.color ?? '' }));
    otherTab.postMessage({ type: 'saved', id: 'd' });
    await vi.waitFor(() => expect(state().runOrder).toContain('d'));
    expect(state().runs['d']?.color).not.toBe(state().runs['b']?.color);
    // This tab's rename and deletion reach the others.
    state().renameRun('b', 'Renamed here');
    await vi.waitFor(() => expect(heard).toContainEqual({ type: 'saved', id: 'b' }));
    state().deleteRun('b');
    await vi.waitFor(() => expect(heard).toContainEqual({ type: 'deleted', id: 'b' }));
  });
  it('numbers a new run after the runs another tab has started, and tells the other tabs when one of its own starts', async () => {
    await restoreTwo();
    const images = (count: number) => ({ name: 'f', idx: { dims: [count, 28, 28], data: new Uint8Array(count * 784) } });
    const dataset = { ...assembleDataset('mnist', 'MNIST', { trainImages: images(3), trainLabels: { name: 'l', idx: { dims: [3], data: Uint8Array.from([0, 1, 2]) } }, testImages: images(1), testLabels: { name: 'l', idx: { dims: [1], data: Uint8Array.from([0]) } } }), classNames: CLASSES };
    useAppStore.setState({ datasets: { mnist: { id: 'mnist', name: 'MNIST', builtin: true, status: 'ready', progress: {}, dataset, error: null, loadSeconds: 0, fromBrowserCopy: false } }, activeDatasetId: 'mnist' });
    // Another tab started its run #500 (and, after it, saved a run: once that shows here, the news before it was heard).
    otherTab.postMessage({ type: 'started', id: 'run-mx15vsop-500' });
    shelf.set('c', saved({ id: 'c', name: 'Third #3' }));
    otherTab.postMessage({ type: 'saved', id: 'c' });
    await vi.waitFor(() => expect(state().runOrder).toContain('c'));
    const id = state().startRun(state().draft, 'Mine') ?? '';
    expect(state().runs[id]?.name).toBe('Mine #501');
    // Its time, four random digits (another tab's run started in the same millisecond has another id), its number.
    expect(id).toMatch(/^run-[0-9a-z]{8,}[0-9a-z]{4}-501$/);
    state().handleStorageEvent({ type: 'runStarted', runId: id } as unknown as Parameters<ReturnType<typeof state>['handleStorageEvent']>[0]);
    await vi.waitFor(() => expect(heard).toContainEqual({ type: 'started', id }));
  });
});

// Last: once the browser has refused storage, the slice stops trying for the page's lifetime.
describe('the storage slice without storage', () => {
  it('says in words that runs cannot be stored, goes on without them, and tries no more', async () => {
    storage.failNext = new DOMException('no IndexedDB here', 'SecurityError');
    await state().restoreSavedRuns();
    expect(state().runOrder).toEqual([]);
    expect(state().storageError).toMatch(/^Saved runs could not be restored\. This browser does not let the page store runs/);
    await restoreTwo();
    sent.length = 0;
    state().handleStorageEvent({ type: 'runFinished', runId: 'a', stopped: false, seconds: 1, earlyStop: null });
    expect(sent).toEqual([]);
    expect(state().savedRuns['a']).toBe('saved');
  });
});

describe('a Pause answered after its run ended', () => {
  it('leaves the ended run as it was, and pauses a run in training', async () => {
    await restoreTwo();
    expect(state().runs['a']?.status).toBe('finished');
    // The page sent Pause just before it heard the run finish; the worker's answer comes after.
    state().handleRunEvent({ type: 'paused', runId: 'a', paused: true });
    expect(state().runs['a']?.status).toBe('finished');
    const second = state().runs['b'];
    if (!second) throw new Error('expected run b');
    useAppStore.setState({ runs: { ...state().runs, b: { ...second, status: 'running' } } });
    state().handleRunEvent({ type: 'paused', runId: 'b', paused: true });
    expect(state().runs['b']?.status).toBe('paused');
  });
});

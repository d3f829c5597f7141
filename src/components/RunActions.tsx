/**
 * What can be done to a run besides training it: rename it, export it as a run file, delete it
 * (with a moment to undo), and import runs from files; plus the line that says when this
 * browser cannot keep runs. Small pieces, so the dashboard and the compare view can place them.
 */
import { useEffect, useId, useRef, useState, type MouseEvent } from 'react';
import { flushSync } from 'react-dom';
import { hasModel, isActiveRun, MODEL_LOST, namesInUse, runsHere, useAppStore, type Run } from '../store';
import { DOUBLE_CLICK_MS } from '../store/runsSlice';
import type { SaveState } from '../store/storageSlice';
import { usePanelShown } from './Tabs';
import { useFocusFallback } from './useFocusFallback';

/** The longest name a run can have, in characters. */
const MAX_RUN_NAME = 120;

/** The save state of a run, in words. */
function savedText(run: Run, saveState: SaveState | undefined, storageBroken: boolean): string | null {
  if (run.modelLost === true && saveState === 'saved') return `Saved without its model: ${MODEL_LOST}. Its charts and results are kept.`;
  if (run.modelLost === true && saveState !== 'saving') return `Not saved: ${MODEL_LOST}. Its charts and results stay until the page is reloaded.`;
  if (saveState === 'saved') return 'Saved in this browser.';
  if (saveState === 'saving') return 'Saving…';
  // Its own failure, kept when a later run's save works and the page's message goes.
  if (saveState === 'unsaved') return 'Not saved: kept until the page is reloaded.';
  if (run.status === 'stopped' && !hasModel(run)) return 'Not kept: it was stopped before it trained, so it has no model or results. It goes when the page is reloaded.';
  if (run.status === 'finished' || run.status === 'stopped') return storageBroken ? 'Not saved: kept until the page is reloaded.' : null;
  return null;
}

/**
 * A run's name (edited in place, kept on Enter or on leaving the field), Open in builder,
 * Export and Delete. `onOpened`: what else to do once its model is in the builder (Compare
 * goes to Build & train).
 */
export function RunActions({ run, onOpened }: { readonly run: Run; readonly onOpened?: () => void }) {
  const renameRun = useAppStore((state) => state.renameRun);
  const openRunInBuilder = useAppStore((state) => state.openRunInBuilder);
  const exportRun = useAppStore((state) => state.exportRun);
  const deleteRun = useAppStore((state) => state.deleteRun);
  const saveRunAgain = useAppStore((state) => state.saveRunAgain);
  const saveState = useAppStore((state) => state.savedRuns[run.id]);
  const storageBroken = useAppStore((state) => state.storageError !== null);
  const [editing, setEditing] = useState<string | null>(null);
  // When a run is deleted, Build & train shows the next one under the same Delete button:
  // a double click (or Enter pressed twice) must not delete that one too.
  const lastDelete = useRef(Number.NEGATIVE_INFINITY);
  const nameId = useId();
  // "Save again" goes once pressed: the run's name field keeps the focus.
  const nameField = useRef<HTMLInputElement>(null);
  const canSaveAgain = saveState === 'unsaved';
  const saveAgainFocus = useFocusFallback(canSaveAgain, nameField);
  const active = isActiveRun(run);
  const saved = savedText(run, saveState, storageBroken);
  // While the name is being changed, what Enter, Escape and leaving the field do with it: "Saved" beside an emptied field read as an empty name kept.
  const taken = useAppStore((state) => editing !== null && namesInUse(runsHere(state), run.id).has(editing.trim()));
  const hint =
    editing === null || editing === run.name
      ? saved
      : editing.trim() === ''
        ? `A run needs a name: left empty, it keeps “${run.name}”.`
        : taken
          ? `Another run is named “${editing.trim()}”: runs are told apart by name, so it keeps “${run.name}”.`
          : `Enter or leaving the field keeps the new name; Escape, the old one.${editing.length >= MAX_RUN_NAME ? ` A name is ${MAX_RUN_NAME} characters at most.` : ''}`;
  const hintId = `${nameId}-hint`;

  const commit = (): void => {
    if (editing !== null) renameRun(run.id, editing);
    setEditing(null);
  };
  return (
    <div className="run-actions buttons" role="group" aria-label={`Actions for ${run.name}`}>
      <span className="field">
        {/* Whether the run is saved sits beside the field's label: on the buttons' line it took a line of its own. */}
        <span className="run-name-label">
          <label htmlFor={nameId}>Name</label>
          {hint && (
            <span className="muted" id={hintId} data-testid="run-saved">
              {hint}
            </span>
          )}
        </span>
        <input
          ref={nameField}
          id={nameId}
          type="text"
          aria-label={`Name of run ${run.name}`}
          aria-describedby={hint === saved ? undefined : hintId}
          value={editing ?? run.name}
          maxLength={MAX_RUN_NAME}
          onChange={(event) => setEditing(event.target.value)}
          onBlur={commit}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commit();
            if (event.key === 'Escape') setEditing(null);
          }}
        />
      </span>
      {canSaveAgain && (
        <button type="button" aria-label={`Save ${run.name} again`} onClick={() => saveRunAgain(run.id)} {...saveAgainFocus}>
          Save again
        </button>
      )}
      <button
        type="button"
        aria-label={`Open the model of ${run.name} in the builder`}
        title="Its layers and options in the builder, to train again or change"
        onClick={() => {
          openRunInBuilder(run.id);
          onOpened?.();
        }}
      >
        Open in builder
      </button>
      <button type="button" aria-label={`Export ${run.name}`} disabled={!hasModel(run)} onClick={() => exportRun(run.id)}>
        Export
      </button>
      <button
        type="button"
        aria-label={`Delete ${run.name}`}
        data-delete-run={run.id}
        disabled={active}
        title={active ? 'Stop the run before deleting it' : undefined}
        onClick={() => {
          const now = performance.now();
          if (now - lastDelete.current < DOUBLE_CLICK_MS) return;
          lastDelete.current = now;
          deleteRun(run.id);
        }}
      >
        Delete
      </button>
    </div>
  );
}

/** "Import runs": pick one or more run files. Problems with them are listed below it. */
export function ImportRuns() {
  const importRuns = useAppStore((state) => state.importRuns);
  const errors = useAppStore((state) => state.runFileErrors);
  return (
    <div className="import-runs">
      <label className="file-button">
        Import runs…
        <input
          type="file"
          accept=".json,application/json"
          multiple
          onChange={(event) => {
            const files = Array.from(event.target.files ?? []);
            event.target.value = '';
            if (files.length > 0) void importRuns(files);
          }}
        />
      </label>
      <div role="alert">
        {errors.length > 0 && (
          <ul className="error" aria-label="Problems with run files">
            {errors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/**
 * "Deleted <name>. Undo", while the deletion can be undone. The shown tab's Undo takes the
 * focus when a run is deleted, since the Delete button that had it is gone or now belongs to
 * another run; after Undo, the focus goes back to the restored run's Delete button. Undo
 * ignores a key pressed within a double click of the deletion. `shownRun`: the run a view
 * shows in the deleted one's place, named when the deleted run was the one shown.
 */
export function UndoDelete({ shownRun = null }: { readonly shownRun?: Run | null }) {
  const deleted = useAppStore((state) => state.deletedRun?.run ?? null);
  const wasShown = useAppStore((state) => state.deletedRun?.wasCurrent === true);
  const undoDelete = useAppStore((state) => state.undoDelete);
  const holdUndo = useAppStore((state) => state.holdUndo);
  const shown = usePanelShown();
  const undoButton = useRef<HTMLButtonElement>(null);
  const deletedId = deleted?.id ?? null;
  // Only a new deletion moves the focus, not a tab switch while one waits.
  const seen = useRef<string | null>(null);
  const deletedAt = useRef(Number.NEGATIVE_INFINITY);
  const undoFocused = useRef(false);
  const holding = useRef({ focus: false, pointer: false });
  /** The tab panel this Undo is in, kept for when the undo runs out and the button is gone. */
  const panel = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (deletedId === seen.current) return;
    seen.current = deletedId;
    deletedAt.current = performance.now();
    // A new Undo (or none): a button that went holds nothing, whatever its last events said.
    holding.current = { focus: false, pointer: false };
    if (deletedId !== null) panel.current = undoButton.current?.closest<HTMLElement>('[role="tabpanel"]') ?? null;
    // The undo went with the focus on Undo (it had the focus, and now the page has it; blur is
    // not used, since browsers differ on firing it as a focused button goes): the focus goes to
    // the tab's panel, without scrolling, and not to another run's Delete, where a late Enter
    // meant for Undo would delete a second run. (Undo holds the time while focused: this is a
    // deletion ended some other way.)
    if (deletedId === null && undoFocused.current && document.activeElement === document.body) {
      panel.current?.focus({ preventScroll: true });
    }
    undoFocused.current = false;
    if (deletedId !== null && shown) undoButton.current?.focus();
  }, [deletedId, shown]);
  if (deleted === null) return null;
  // The undo holds while the focus or the pointer is on Undo: either one.
  const hold = (by: 'focus' | 'pointer', on: boolean): void => {
    holding.current[by] = on;
    holdUndo(holding.current.focus || holding.current.pointer);
  };
  const undo = (event: MouseEvent<HTMLButtonElement>): void => {
    // Enter pressed twice on Delete reaches Undo with its second press (a click of detail 0, from a key): that is not an undo.
    if (event.detail === 0 && performance.now() - deletedAt.current < DOUBLE_CLICK_MS) return;
    const where = panel.current ?? document;
    flushSync(undoDelete);
    where.querySelector<HTMLButtonElement>(`button[data-delete-run="${CSS.escape(deleted.id)}"]`)?.focus();
  };
  return (
    <p className="undo-delete" data-testid="undo-delete">
      Deleted {deleted.name}.{wasShown && shownRun !== null ? ` Shown now: ${shownRun.name}.` : ''}{' '}
      <button
        type="button"
        ref={undoButton}
        onClick={undo}
        onFocus={() => {
          undoFocused.current = true;
          hold('focus', true);
        }}
        onBlur={() => hold('focus', false)}
        onPointerEnter={() => hold('pointer', true)}
        onPointerLeave={() => hold('pointer', false)}
      >
        Undo
      </button>
    </p>
  );
}

/** Why runs are not being saved in this browser, when they are not. */
export function StorageError() {
  const message = useAppStore((state) => state.storageError);
  if (message === null) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

/**
 * The app's one store (zustand), built from slices: datasets, runs, drawing, compare, storage
 * (saved runs), first-layer pictures, and the app-wide status line. Actions live in the slices; components call
 * them and read narrow selectors. This module connects the training worker: its events
 * become state here and nowhere else.
 */
import { create } from 'zustand';
import { createAnnouncer, type AnnouncementKind } from './announcer';
import { DEFAULT_DATASET_ID } from '../data/datasets';
import { createCompareSlice, type CompareSlice } from './compareSlice';
import { createDatasetSlice, rememberedDataset, type DatasetSlice } from './datasetSlice';
import { createDrawingSlice, type DrawingSlice } from './drawingSlice';
import { createPicturesSlice, type PicturesSlice } from './picturesSlice';
import { createRunsSlice, type RunsSlice } from './runsSlice';
import { createStorageSlice, type StorageSlice } from './storageSlice';
import { connectWorker } from './worker';

interface AppSlice {
  /** The last few pieces said, oldest first, each added to the live region on its own (LiveRegion). */
  readonly announcements: readonly { readonly id: number; readonly text: string }[];
  /** Why the training worker was restarted and what that cost, until the user dismisses it. */
  readonly workerError: string | null;
  /** Says `text` through the live region: news at once, progress (an epoch's figures) at a pace a listener can follow (announcer.ts). */
  readonly announce: (text: string, kind?: AnnouncementKind) => void;
  readonly dismissWorkerError: () => void;
}

/** How many pieces the live region holds: older ones go (a removal, which is not read). */
const RECENT_ANNOUNCEMENTS = 3;

/** The latest piece of news or progress said through the live region; '' before any. */
export const selectAnnouncement = (state: Pick<AppState, 'announcements'>): string => state.announcements.at(-1)?.text ?? '';

export type AppState = DatasetSlice & RunsSlice & DrawingSlice & CompareSlice & StorageSlice & PicturesSlice & AppSlice;

export const useAppStore = create<AppState>()((...args) => {
  let said = 0;
  const announcer = createAnnouncer((text) => args[0]((state) => ({ announcements: [...state.announcements, { id: ++said, text }].slice(-RECENT_ANNOUNCEMENTS) })));
  return {
    ...createDatasetSlice(...args),
    ...createRunsSlice(...args),
    ...createDrawingSlice(...args),
    ...createCompareSlice(...args),
    ...createStorageSlice(...args),
    ...createPicturesSlice(...args),
    announcements: [],
    workerError: null,
    announce: (text, kind = 'news') => announcer.say(text, kind),
    dismissWorkerError: () => args[0]({ workerError: null }),
  };
});

connectWorker({
  onEvent: (event) => {
    const state = useAppStore.getState();
    state.handleDatasetEvent(event);
    state.handleRunEvent(event);
    state.handleDrawingEvent(event);
    state.handleStorageEvent(event);
    state.handlePicturesEvent(event);
  },
  onCrash: (message, crashed) => {
    // The client has already started a new worker: give it what the old one held, and end
    // whatever the old one owed an answer. A worker replaced for its broken backend had
    // already failed the run it was training: the runs queued behind it go on in the new one.
    const reason = crashed ? `The training worker crashed (${message}) and was restarted.` : `${message}, so the training worker was restarted.`;
    const state = useAppStore.getState();
    state.resendDatasets();
    state.recoverSavedRuns(reason);
    if (crashed) state.failActiveRuns(reason);
    else state.requeueWaitingRuns();
    state.recoverDrawing();
    const notice = `${reason} ${crashed ? 'Runs that were training were lost' : 'Runs waiting in the queue train next'}; finished runs, their charts and saved models are kept.`;
    useAppStore.setState({ workerError: notice });
    state.announce(notice);
  },
});

/**
 * Loads the built-in dataset in use last (else the default, MNIST), and tells the
 * worker the keep setting (it answers with what this browser keeps): before the load when
 * keeping is off, so that the load neither reads nor writes a copy; else after it, so that the
 * worker lists its copy once the load is done. The app calls it once on start.
 */
export function loadDefaultDataset(): void {
  const state = useAppStore.getState();
  if (!state.keepDatasets) state.setKeepDatasets(false);
  state.selectDataset(rememberedDataset() ?? DEFAULT_DATASET_ID);
  if (state.keepDatasets) state.setKeepDatasets(true);
}

export { selectActiveDataset, selectLoadingDataset } from './datasetSlice';
export type { DatasetEntry, DatasetStatus } from './datasetSlice';
export { earlyStopWords, hasModel, isActiveRun, namesInUse, RUN_COLORS, runsHere } from './runsSlice';
export type { BatchPoint, Run, RunStatus } from './runsSlice';
export type { IncomingShare } from './compareSlice';
export { linkedRuns } from './compareSlice';
export { MODEL_LOST, runImageSize, selectLeavingLosesRuns } from './storageSlice';
export type { DeletedRun, SaveState } from './storageSlice';
export { hasDrawingModel, modelStage, selectDrawingRunId, selectNewestDrawingRunId } from './drawingSlice';
export type { DrawingPrediction } from './drawingSlice';

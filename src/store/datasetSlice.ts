/**
 * The dataset slice: the built-in and user datasets, which one is in use, their loading
 * progress and errors, the image the pixel table shows, and what this browser keeps of the
 * built-in datasets (a setting the page remembers). A dataset that fails to load never
 * replaces the one in use.
 */
import type { StateCreator } from 'zustand';
import type { KeptReport } from '../data/browserCopy';
import type { Dataset } from '../data/dataset';
import { BUILTIN_DATASETS, DEFAULT_DATASET_ID, isBuiltinDatasetId, type BuiltinDatasetId } from '../data/datasets';
import type { DataErrorInfo } from '../data/errors';
import type { FileProgress } from '../data/load';
import type { DatasetSource, WorkerEvent } from '../training/protocol';
import type { AppState } from './index';
import { addMeasure, DATASET_MEASURE } from './measures';
import { readRemembered, remember, REMEMBERED } from './remembered';
import { sendToWorker } from './worker';

/** Where a dataset is in its life. */
export type DatasetStatus = 'idle' | 'loading' | 'ready' | 'error';

/** One dataset the user can pick, loaded or not. */
export interface DatasetEntry {
  readonly id: string;
  readonly name: string;
  readonly builtin: boolean;
  readonly status: DatasetStatus;
  readonly progress: Readonly<Record<string, FileProgress>>;
  readonly dataset: Dataset | null;
  readonly error: DataErrorInfo | null;
  /** Seconds from asking to having the decoded arrays. */
  readonly loadSeconds: number | null;
  /** The decoded files came from this browser's copy, not the network. */
  readonly fromBrowserCopy: boolean;
}

export interface DatasetSlice {
  readonly datasets: Readonly<Record<string, DatasetEntry>>;
  readonly datasetOrder: readonly string[];
  /** The dataset in use: always a loaded one, once any has loaded. */
  readonly activeDatasetId: string | null;
  /** The dataset being loaded because the user picked it. */
  readonly pendingDatasetId: string | null;
  readonly selectedImage: number;
  readonly showNormalized: boolean;
  readonly userDatasetError: DataErrorInfo | null;
  readonly userDatasetLoading: boolean;
  /** The setting: keep built-in datasets in this browser, so a reopened page reads them from disk. */
  readonly keepDatasets: boolean;
  /** What this browser keeps of the built-in datasets, as the worker last said; null until it has. */
  readonly keptDatasets: KeptReport | null;
  readonly selectDataset: (id: string) => void;
  /** Takes away the message about the user's files that did not load. */
  readonly dismissUserDatasetError: () => void;
  /** Turns keeping on or off, remembered for the next visit; off removes what is kept. */
  readonly setKeepDatasets: (keep: boolean) => void;
  readonly addUserDataset: (files: readonly File[]) => void;
  readonly selectImage: (index: number) => void;
  readonly setShowNormalized: (show: boolean) => void;
  readonly handleDatasetEvent: (event: WorkerEvent) => void;
  /** Gives a worker started after a crash the keep setting and the datasets the page holds, and asks again for those it was loading. */
  readonly resendDatasets: () => void;
}

/** Where the page remembers that keeping is off (nothing is stored while it is on). */
export const KEEP_DATASETS_KEY = REMEMBERED.keepDatasets;

/** The remembered setting: on unless turned off. Storage the page cannot read counts as on. */
function rememberedKeep(): boolean {
  return readRemembered(KEEP_DATASETS_KEY) !== 'off';
}

/** The built-in dataset in use last, if storage remembers a valid one. */
export function rememberedDataset(): BuiltinDatasetId | null {
  const id = readRemembered(REMEMBERED.dataset);
  return id !== null && isBuiltinDatasetId(id) ? id : null;
}

/** The next visit opens on the dataset in use, once it has loaded (a user's own dataset is not kept across visits). */
function rememberActive(id: string): void {
  if (isBuiltinDatasetId(id)) remember(REMEMBERED.dataset, id);
}

function builtinEntry(id: BuiltinDatasetId): DatasetEntry {
  return { id, name: BUILTIN_DATASETS[id].name, builtin: true, status: 'idle', progress: {}, dataset: null, error: null, loadSeconds: null, fromBrowserCopy: false };
}

/** Loads the worker has not answered yet, by request id: what was asked for (a built-in's `id` is the dataset's; a user's files get theirs from their content). */
const pendingLoads = new Map<number, DatasetSource>();
/** When each pending load was first asked for (page time): a load sent again after a worker crash keeps it. */
const askedAt = new Map<number, number>();

/** Sends a load to the worker, noting what and when it asked. */
function askWorker(requestId: number, source: DatasetSource): void {
  pendingLoads.set(requestId, source);
  askedAt.set(requestId, performance.now());
  sendToWorker({ type: 'loadDataset', requestId, source });
}

let nextRequestId = 1;
let userDatasetCount = 0;
const USER_DATASET_NAME = /^Your dataset (\d+)$/;
const userDatasetName = (number: number): string => `Your dataset ${number}`;

/**
 * The names of the user datasets the page knows, by id: those of runs (restored or imported
 * ones too) and those loaded. A user dataset's id is its content's fingerprint, so the same
 * files loaded again come back under the same id and name, and find the runs trained on them.
 */
function knownUserDatasetNames(state: Pick<AppState, 'runs' | 'datasets'>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const run of Object.values(state.runs)) if (!isBuiltinDatasetId(run.datasetId)) names[run.datasetId] = run.datasetName;
  for (const entry of Object.values(state.datasets)) if (!entry.builtin) names[entry.id] = entry.name;
  return names;
}

/** The next user dataset's number: after this visit's and after those of the runs shown (restored or imported ones included), so that no two read alike. */
function nextUserDatasetNumber(runs: Readonly<Record<string, { readonly datasetName: string }>>): number {
  const shown = Object.values(runs).map((run) => Number(USER_DATASET_NAME.exec(run.datasetName)?.[1] ?? 0));
  return Math.max(userDatasetCount, ...shown) + 1;
}

export const createDatasetSlice: StateCreator<AppState, [], [], DatasetSlice> = (set, get) => {
  const patch = (id: string, change: Partial<DatasetEntry>): void => {
    set((state) => {
      const entry = state.datasets[id];
      return entry ? { datasets: { ...state.datasets, [id]: { ...entry, ...change } } } : {};
    });
  };

  // Another tab of this page changed the setting: follow it, so the tabs never disagree.
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.key === KEEP_DATASETS_KEY || event.key === null) {
        const keep = rememberedKeep();
        if (keep !== get().keepDatasets) get().setKeepDatasets(keep);
      }
    });
  }

  return {
    datasets: { mnist: builtinEntry('mnist'), 'fashion-mnist': builtinEntry('fashion-mnist') },
    datasetOrder: ['mnist', 'fashion-mnist'],
    activeDatasetId: null,
    pendingDatasetId: null,
    selectedImage: 0,
    showNormalized: false,
    userDatasetError: null,
    userDatasetLoading: false,
    keepDatasets: rememberedKeep(),
    keptDatasets: null,

    selectDataset: (id) => {
      const entry = get().datasets[id];
      if (!entry) return;
      // The user's files that did not load are behind them once they choose a dataset.
      set({ userDatasetError: null });
      if (entry.status === 'ready') {
        set({ activeDatasetId: id, pendingDatasetId: null, selectedImage: 0 });
        rememberActive(id);
        return;
      }
      set({ pendingDatasetId: id });
      if (entry.status === 'loading' || !isBuiltinDatasetId(id)) return;
      const requestId = nextRequestId++;
      patch(id, { status: 'loading', error: null, progress: {} });
      const baseUrl = new URL(import.meta.env.BASE_URL, window.location.href).href;
      askWorker(requestId, { kind: 'builtin', id, baseUrl });
    },

    dismissUserDatasetError: () => set({ userDatasetError: null }),

    addUserDataset: (files) => {
      userDatasetCount = nextUserDatasetNumber(get().runs);
      const requestId = nextRequestId++;
      set({ userDatasetLoading: true, userDatasetError: null });
      askWorker(requestId, { kind: 'files', name: userDatasetName(userDatasetCount), knownNames: knownUserDatasetNames(get()), files });
    },

    setKeepDatasets: (keep) => {
      remember(KEEP_DATASETS_KEY, keep ? null : 'off');
      set({ keepDatasets: keep });
      sendToWorker({ type: 'keepDatasets', keep });
    },

    resendDatasets: () => {
      sendToWorker({ type: 'keepDatasets', keep: get().keepDatasets });
      for (const entry of Object.values(get().datasets)) if (entry.dataset) sendToWorker({ type: 'addDataset', dataset: entry.dataset });
      for (const [requestId, source] of pendingLoads) sendToWorker({ type: 'loadDataset', requestId, source });
    },

    selectImage: (index) => set({ selectedImage: index }),
    setShowNormalized: (show) => set({ showNormalized: show }),

    handleDatasetEvent: (event) => {
      if (event.type === 'keptDatasets') {
        const { kept, available, error } = event;
        set({ keptDatasets: { kept, available, error } });
        if (error !== null) get().announce(`Could not change what this browser keeps: ${error}`);
        return;
      }
      if (event.type !== 'datasetProgress' && event.type !== 'datasetLoaded' && event.type !== 'datasetFailed') return;
      const source = pendingLoads.get(event.requestId);
      if (source === undefined) return;
      if (event.type === 'datasetProgress') {
        const entry = source.kind === 'builtin' ? get().datasets[source.id] : undefined;
        if (entry) patch(entry.id, { progress: { ...entry.progress, ...Object.fromEntries(event.progress.map((figure) => [figure.file, figure])) } });
        return;
      }
      pendingLoads.delete(event.requestId);
      const asked = askedAt.get(event.requestId);
      askedAt.delete(event.requestId);
      const isUser = source.kind === 'files';
      // A user's files take the id of their content, and the name the page knows it by, if any.
      const id = event.type === 'datasetLoaded' ? event.dataset.id : source.kind === 'builtin' ? source.id : '';
      // The same files loaded twice at once: the first keeps its name, the second only selects it.
      const loadedBefore = isUser && event.type === 'datasetLoaded' ? (get().datasets[id] ?? null) : null;
      // Files that did not load, or that are a dataset known already, give their number back:
      // the next new one is not "Your dataset 10" after nine tries.
      if (source.kind === 'files' && source.name === userDatasetName(userDatasetCount)) {
        const known = loadedBefore !== null || (event.type === 'datasetLoaded' && event.dataset.name !== source.name);
        if (event.type === 'datasetFailed' || known) userDatasetCount--;
      }
      if (event.type === 'datasetFailed') {
        if (!isUser) {
          patch(id, { status: 'error', error: event.error });
          set((state) => ({ pendingDatasetId: state.pendingDatasetId === id ? null : state.pendingDatasetId }));
        }
        // The page opened on the dataset in use last and it failed (offline, say): MNIST
        // rather than a page with nothing to train on. (Before the user's error is set: a
        // dataset selected clears it.)
        if (get().activeDatasetId === null && get().pendingDatasetId === null && id !== DEFAULT_DATASET_ID) get().selectDataset(DEFAULT_DATASET_ID);
        if (isUser) set({ userDatasetError: event.error, userDatasetLoading: false });
        get().announce(`Could not load the dataset. ${event.error.message}`);
        return;
      }
      const dataset = loadedBefore?.dataset ?? event.dataset;
      const loadedAt = performance.now();
      set((state) => ({
        datasets: {
          ...state.datasets,
          [id]: {
            id,
            name: dataset.name,
            builtin: !isUser,
            status: 'ready',
            progress: state.datasets[id]?.progress ?? {},
            dataset,
            error: null,
            loadSeconds: event.seconds,
            fromBrowserCopy: event.fromBrowserCopy,
          },
        },
        datasetOrder: state.datasetOrder.includes(id) ? state.datasetOrder : [...state.datasetOrder, id],
        activeDatasetId: state.pendingDatasetId === id || isUser ? id : state.activeDatasetId,
        pendingDatasetId: state.pendingDatasetId === id ? null : state.pendingDatasetId,
        selectedImage: 0,
        ...(isUser ? { userDatasetLoading: false, userDatasetError: null } : {}),
      }));
      if (get().activeDatasetId === id) rememberActive(id);
      get().announce(
        `${dataset.name} loaded: ${dataset.train.count.toLocaleString('en-US')} training images and ${dataset.test.count.toLocaleString('en-US')} test images of ${dataset.train.height}×${dataset.train.width} pixels, ${dataset.classNames.length} classes.`,
      );
      if (asked !== undefined) addMeasure(DATASET_MEASURE, asked, loadedAt, { id, fromBrowserCopy: event.fromBrowserCopy, workerSeconds: event.seconds });
    },
  };
};

/** The dataset in use, if one has loaded. */
export function selectActiveDataset(state: AppState): Dataset | null {
  return state.activeDatasetId === null ? null : (state.datasets[state.activeDatasetId]?.dataset ?? null);
}

/** True while any dataset is downloading or being decoded: work the page can put off should wait for it. */
export function selectLoadingDataset(state: AppState): boolean {
  return state.userDatasetLoading || Object.values(state.datasets).some((entry) => entry.status === 'loading');
}

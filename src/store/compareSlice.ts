/**
 * The compare slice: which runs the comparison shows, and share links — making one from runs
 * or the draft, and opening one (its models can be queued or opened in the builder). The
 * runs themselves live in the runs slice.
 */
import type { StateCreator } from 'zustand';
import { isBuiltinDatasetId } from '../data/datasets';
import type { Dataset } from '../data/dataset';
import { presetOfName } from '../training/presets';
import { validateSpec } from '../training/shapes';
import { describeOwnDataset, readShareFromHash, ShareError, shareUrl, type Share } from '../training/specUrl';
import type { AppState } from './index';
import { selectActiveDataset } from './datasetSlice';
import { readRemembered, remember, REMEMBERED } from './remembered';
import { draftName } from './runsSlice';

/** A share link opened with the page, or why it could not be read. */
export type IncomingShare = { readonly kind: 'ok'; readonly share: Share } | { readonly kind: 'error'; readonly message: string };

export interface CompareSlice {
  /** Runs the user took out of the comparison; every other run is compared. */
  readonly hiddenFromCompare: readonly string[];
  readonly incomingShare: IncomingShare | null;
  readonly setCompared: (id: string, compared: boolean) => void;
  /** Forgets a run deleted for good: an id that comes back (a file imported again) is compared. */
  readonly dropFromCompare: (id: string) => void;
  /** Once the saved runs are restored, forgets remembered ids of runs that are no longer here. */
  readonly pruneCompared: () => void;
  /** Reads a `#share=…` fragment; its dataset is selected when it is a built-in one. */
  readonly openShareLink: (hash: string) => Promise<void>;
  readonly dismissShare: () => void;
  /** Queues every model of the opened share on the active dataset. */
  readonly queueSharedModels: () => void;
  /** Puts one model of the opened share into the builder. */
  readonly editSharedModel: (index: number) => void;
  /** A link to `runIds`' models (their specs, not their weights), on the first run's dataset (see `linkedRuns`). */
  readonly linkToRuns: (runIds: readonly string[]) => Promise<string | null>;
  /** A link to the model in the builder, on the active dataset. */
  readonly linkToDraft: () => Promise<string | null>;
}

const pageUrl = (): string => window.location.href;

/**
 * Why each of a share's models cannot train on `dataset` (the builder's first error for it),
 * or null for one that can: a link may hold a model the builder would refuse.
 */
export function sharedModelProblems(share: Pick<Share, 'runs'>, dataset: Dataset | null): (string | null)[] {
  if (dataset === null) return share.runs.map(() => null);
  const input = { height: dataset.train.height, width: dataset.train.width, channels: 1 };
  return share.runs.map((model) => validateSpec(model.spec, input, dataset.classNames.length, dataset.train.count).find((issue) => issue.severity === 'error')?.message ?? null);
}

/**
 * Which of the runs a share link holds, and which it leaves out: a link names one dataset, the
 * first run's, so runs on other datasets cannot be in it.
 */
export function linkedRuns<R extends { readonly datasetId: string }>(runs: readonly R[]): { readonly linked: readonly R[]; readonly leftOut: readonly R[] } {
  const datasetId = runs[0]?.datasetId;
  return { linked: runs.filter((run) => run.datasetId === datasetId), leftOut: runs.filter((run) => run.datasetId !== datasetId) };
}

/** Takes a share link's fragment out of the address bar, so that a reload does not offer its models again. */
function forgetShareFragment(): void {
  if (!window.location.hash.startsWith('#share=')) return;
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
}

/** The dataset part of a share: a built-in id, or the user's own dataset described for the visitor. */
function datasetOfShare(state: AppState, datasetId: string): Pick<Share, 'dataset' | 'ownDataset'> {
  const dataset = state.datasets[datasetId]?.dataset;
  return isBuiltinDatasetId(datasetId) || dataset == null ? { dataset: datasetId } : { dataset: datasetId, ownDataset: describeOwnDataset(dataset) };
}

/** The runs unticked on the last visit; none when nothing (or something else than a list of ids) is remembered. */
export function rememberedHiddenRuns(): string[] {
  try {
    const list: unknown = JSON.parse(readRemembered(REMEMBERED.hiddenFromCompare) ?? '[]');
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export const createCompareSlice: StateCreator<AppState, [], [], CompareSlice> = (set, get) => {
  const setHidden = (hidden: readonly string[]): void => {
    set({ hiddenFromCompare: hidden });
    remember(REMEMBERED.hiddenFromCompare, hidden.length > 0 ? JSON.stringify(hidden) : null);
  };
  return {
    hiddenFromCompare: rememberedHiddenRuns(),
    incomingShare: null,

    setCompared: (id, compared) => {
      // Over what another tab of the app remembered meanwhile, not over it.
      const others = new Set([...get().hiddenFromCompare, ...rememberedHiddenRuns()]);
      others.delete(id);
      setHidden([...others, ...(compared ? [] : [id])]);
    },

    dropFromCompare: (id) => {
      if (get().hiddenFromCompare.includes(id)) setHidden(get().hiddenFromCompare.filter((h) => h !== id));
    },

    pruneCompared: () => {
      const { runs, deletedRun, hiddenFromCompare } = get();
      const kept = hiddenFromCompare.filter((id) => runs[id] !== undefined || deletedRun?.run.id === id);
      if (kept.length < hiddenFromCompare.length) setHidden(kept);
    },

    openShareLink: async (hash) => {
      try {
        const share = await readShareFromHash(hash);
        if (share === null) return;
        set({ incomingShare: { kind: 'ok', share } });
        if (isBuiltinDatasetId(share.dataset)) get().selectDataset(share.dataset);
        get().announce(`This link shares ${share.runs.length} model${share.runs.length === 1 ? '' : 's'}.`);
      } catch (error) {
        const message = error instanceof ShareError ? error.message : `This share link could not be read: ${String(error)}`;
        set({ incomingShare: { kind: 'error', message } });
        get().announce(message);
      }
    },

    dismissShare: () => {
      set({ incomingShare: null });
      forgetShareFragment();
    },

    queueSharedModels: () => {
      const incoming = get().incomingShare;
      if (incoming?.kind !== 'ok') return;
      // Only the models the builder would train: the others stay out, with the banner's reason.
      const problems = sharedModelProblems(incoming.share, selectActiveDataset(get()));
      const ids = incoming.share.runs.flatMap((model, i) => (problems[i] === null ? (get().startRun(model.spec, model.name) ?? []) : []));
      if (ids.length === 0) return;
      // Queued once: the banner goes, and so does the fragment that would bring it back.
      set({ incomingShare: null });
      forgetShareFragment();
      // The runs' names here, which take this page's numbers, not the sharer's.
      const names = ids.map((id) => get().runs[id]?.name ?? id);
      get().announce(names.length === 1 ? `${names[0] ?? ''} is queued to train.` : `${names.join(', ')} are queued: they train one after another.`);
    },

    editSharedModel: (index) => {
      const incoming = get().incomingShare;
      const model = incoming?.kind === 'ok' ? incoming.share.runs[index] : undefined;
      if (!model) return;
      get().openDraft(model.spec, presetOfName(model.name));
      get().announce(`${model.name} is in the builder.`);
    },

    linkToRuns: async (runIds) => {
      const { linked } = linkedRuns(runIds.flatMap((id) => get().runs[id] ?? []));
      const first = linked[0];
      if (!first) return null;
      // Names keep their run numbers ("… #3"), so that two runs of one preset read apart in the
      // visitor's banner; the visitor's runs of them take numbers of their own (`startRun`).
      const models = linked.map((run) => ({ name: run.name, spec: run.spec }));
      return shareUrl(pageUrl(), { ...datasetOfShare(get(), first.datasetId), runs: models });
    },

    linkToDraft: async () => {
      const state = get();
      if (state.activeDatasetId === null) return null;
      return shareUrl(pageUrl(), { ...datasetOfShare(state, state.activeDatasetId), runs: [{ name: draftName(state), spec: state.draft }] });
    },
  };
};

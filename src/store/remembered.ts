/**
 * What the page remembers across visits, in localStorage: small settings and the model being
 * edited. Storage that cannot be read or written (a private mode, a full quota, storage turned
 * off) counts as nothing remembered: the page works the same, for this visit only.
 */

/** Where each remembered thing is kept. */
export const REMEMBERED = {
  /** 'off' when the user turned keeping datasets off; absent while it is on. */
  keepDatasets: 'playground.keepDatasets',
  /** The built-in dataset in use last (remembered once it has loaded). */
  dataset: 'playground.dataset',
  /** The model being edited: its spec, the preset it came from, and whether it was edited. */
  draft: 'playground.draft',
  /** Runs deleted in this browser whose saved models may outlive the page (a JSON list of {id, until}: when its undo ends): the next visit deletes them. */
  deletedModels: 'playground.deletedModels',
  /** Runs that were training or queued when the page closed (a JSON list of run records, failed): the next visit keeps them as failed runs. */
  interruptedRuns: 'playground.interruptedRuns',
  /** The last number a run started in this browser was given ("#15"): the next is numbered after it, even if #15 was never kept. */
  lastRunNumber: 'playground.lastRunNumber',
  /** Runs unticked in Compare (a JSON list of run ids): a narrowed comparison outlives a reload. */
  hiddenFromCompare: 'playground.hiddenFromCompare',
} as const;

export type RememberedKey = (typeof REMEMBERED)[keyof typeof REMEMBERED];

/** The remembered text, or null when there is none or storage cannot be read. */
export function readRemembered(key: RememberedKey): string | null {
  try {
    return globalThis.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Remembers `value` (null forgets it); where storage refuses, it is remembered for this visit only, that is, not at all. */
export function remember(key: RememberedKey, value: string | null): void {
  try {
    if (value === null) globalThis.localStorage.removeItem(key);
    else globalThis.localStorage.setItem(key, value);
  } catch {
    // Not remembered: it lasts until the page is closed.
  }
}

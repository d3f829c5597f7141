/**
 * Comparing runs: the comparison table's rows (parameters, best validation accuracy and its
 * epoch, test metrics, speed), which value is best in each column, sorting, and the
 * difference of two confusion matrices. Pure: reads runs, touches neither tfjs nor the DOM.
 */
import { summarize } from '../training/shapes';
import type { InputShape } from '../training/spec';
import type { Run, RunStatus } from './runsSlice';
import { epochsTrained, trainedTo } from './series';

/** One row of the comparison table; null where a run has no such figure (yet). */
export interface CompareRow {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly status: RunStatus;
  readonly datasetId: string;
  readonly datasetName: string;
  readonly params: number | null;
  readonly epochsDone: number;
  readonly epochs: number;
  /** True when EarlyStopping ended it before its last epoch. */
  readonly stoppedEarly: boolean;
  /** The 1-based epoch a Stop or a failure ended part-way through; null when the run did not end mid-epoch. */
  readonly endedInEpoch: number | null;
  /** True for a run stopped or failed before its first batch (stopped while waiting, say). */
  readonly endedBeforeTraining: boolean;
  /** Images it trained on (validation held out); null before it has started. */
  readonly trainCount: number | null;
  /**
   * Which images validated it: Keras holds out the last `validationSplit` of the training
   * images (of the subset, if any) before shuffling, so two runs share a validation set when
   * they share the dataset, the number of images split and the number held out; runs that
   * validated on the test set share it. A key, with the held-out count and the count split for
   * words (`of` null for the test set); null for a run without validation.
   */
  readonly validationSet: { readonly key: string; readonly images: number; readonly of: number | null } | null;
  readonly bestValAccuracy: number | null;
  /** The 1-based epoch of the best validation accuracy. */
  readonly bestValEpoch: number | null;
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
  /**
   * The epoch whose weights the test set measured, when EarlyStopping put back an earlier one
   * than the last trained (its best by its monitor, which may not be the best val_accuracy's
   * epoch); null when the test set measured the weights training ended with.
   */
  readonly testWeightsEpoch: number | null;
  readonly secondsPerEpoch: number | null;
  readonly samplesPerSecond: number | null;
  readonly backend: string | null;
}

/** The table's sortable columns and which way is better for each (none: not ranked). */
export const COMPARE_COLUMNS = {
  name: { label: 'run', better: 'none' },
  params: { label: 'parameters', better: 'none' },
  epochsDone: { label: 'epochs', better: 'none' },
  trainCount: { label: 'training images', better: 'none' },
  // Accuracy and loss on one dataset say nothing of a model on another: ranked within each
  // dataset; validation accuracy only among runs validated on the same images.
  bestValAccuracy: { label: 'best val_accuracy (epoch)', better: 'higher', sameDataset: true, sameValidationSet: true },
  testAccuracy: { label: 'test accuracy', better: 'higher', sameDataset: true },
  testLoss: { label: 'test loss', better: 'lower', sameDataset: true },
  // A shorter epoch is only faster training when the epochs are the same size: samples/s compares any.
  secondsPerEpoch: { label: 'time per epoch', better: 'lower', sameTrainingImages: true },
  samplesPerSecond: { label: 'samples/s', better: 'higher' },
  backend: { label: 'backend', better: 'none' },
} as const satisfies Record<string, { readonly label: string; readonly better: 'higher' | 'lower' | 'none'; readonly sameTrainingImages?: true; readonly sameDataset?: true; readonly sameValidationSet?: true }>;

export type CompareColumn = keyof typeof COMPARE_COLUMNS;

const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

/** The epoch EarlyStopping put the weights back to, when that is not the last one trained; else null. */
function restoredEpoch(run: Pick<Run, 'earlyStop' | 'epochs' | 'batches' | 'evaluation'>): number | null {
  const report = run.earlyStop;
  if (!report?.restored || run.evaluation === null) return null;
  return report.bestEpoch === epochsTrained(run) ? null : report.bestEpoch;
}

/** A run's comparison row; `input` is its dataset's image shape (null when unknown: no parameter count). */
export function compareRow(run: Run, input: InputShape | null): CompareRow {
  let bestValAccuracy: number | null = null;
  let bestValEpoch: number | null = null;
  for (const record of run.epochs) {
    if (record.valAccuracy !== null && (bestValAccuracy === null || record.valAccuracy > bestValAccuracy)) {
      bestValAccuracy = record.valAccuracy;
      bestValEpoch = record.epoch;
    }
  }
  const backend = run.backend === null ? null : `${run.backend.name}${run.backend.software ? ' (software)' : ''}`;
  const ended = run.status === 'stopped' || run.status === 'failed';
  const to = trainedTo(run);
  return {
    id: run.id,
    name: run.name,
    color: run.color,
    status: run.status,
    datasetId: run.datasetId,
    datasetName: run.datasetName,
    params: input === null ? null : summarize(run.spec, input).totalParams,
    epochsDone: run.epochs.length,
    epochs: run.spec.fit.epochs,
    stoppedEarly: run.earlyStop?.stoppedEpoch != null,
    endedInEpoch: ended && to.kind === 'in-epoch' ? to.epoch : null,
    endedBeforeTraining: ended && to.kind === 'before-training',
    trainCount: run.trainCount > 0 ? run.trainCount : null,
    validationSet:
      run.validationCount === 0
        ? null
        : run.spec.fit.validationData === 'test'
          ? { key: `${run.datasetId}\ntest`, images: run.validationCount, of: null }
          : { key: `${run.datasetId}\n${run.trainCount + run.validationCount}\n${run.validationCount}`, images: run.validationCount, of: run.trainCount + run.validationCount },
    bestValAccuracy,
    bestValEpoch,
    testAccuracy: run.evaluation?.accuracy ?? null,
    testLoss: run.evaluation?.loss ?? null,
    testWeightsEpoch: restoredEpoch(run),
    secondsPerEpoch: mean(run.epochs.map((e) => e.seconds)),
    samplesPerSecond: mean(run.epochs.map((e) => e.samplesPerSecond)),
    backend,
  };
}

/**
 * The epochs column: trained of planned, and where the run is or how it ended short of its
 * plan, so that "1/3" is never read the same for a run training, stopped or lost ("1/3,
 * failed in epoch 2").
 */
export function epochsWords(row: Pick<CompareRow, 'epochsDone' | 'epochs' | 'status' | 'stoppedEarly' | 'endedInEpoch' | 'endedBeforeTraining'>): string {
  const done = `${row.epochsDone}/${row.epochs}`;
  switch (row.status) {
    case 'starting':
      return `${done}, waiting`;
    case 'running':
      return `${done}, training`;
    case 'paused':
      return `${done}, paused`;
    case 'finished':
      return row.stoppedEarly ? `${done}, stopped early` : done;
    case 'stopped':
    case 'failed': {
      const how = row.status === 'stopped' ? 'stopped' : 'failed';
      if (row.endedBeforeTraining) return `${done}, ${how} before training`;
      return row.endedInEpoch === null ? `${done}, ${how}` : `${done}, ${how} in epoch ${row.endedInEpoch}`;
    }
  }
}

/**
 * True when two lists of rows would show the same table: a training run's row is rebuilt with
 * every streamed batch, but its figures change only at an epoch's end, a status or the test.
 */
export function sameRows(a: readonly CompareRow[], b: readonly CompareRow[]): boolean {
  return a.length === b.length && a.every((row, i) => {
    const other = b[i];
    return other !== undefined && (Object.keys(row) as (keyof CompareRow)[]).every((key) => (key === 'validationSet' ? row.validationSet?.key === other.validationSet?.key : row[key] === other[key]));
  });
}

/**
 * The ids of the best rows in each ranked column, ranked within groups of at least two rows
 * with a value: accuracy and loss within each dataset, validation accuracy within each
 * validation set, time per epoch among runs that trained and validated as many images; so
 * each group can have its best. Ties go to every row that shares the best value.
 */
export function bestInColumns(rows: readonly CompareRow[]): Partial<Record<CompareColumn, ReadonlySet<string>>> {
  const best: Partial<Record<CompareColumn, ReadonlySet<string>>> = {};
  for (const [column, spec] of Object.entries(COMPARE_COLUMNS) as [CompareColumn, (typeof COMPARE_COLUMNS)[CompareColumn]][]) {
    const { better } = spec;
    if (better === 'none') continue;
    const valued = rows.flatMap((row) => {
      const value = row[column];
      // An epoch's time has its validation pass in it: ranked among runs that trained and validated as many images.
      const images = `${row.trainCount ?? '–'} ${row.validationSet?.images ?? 0}`;
      const group = 'sameTrainingImages' in spec ? images : 'sameValidationSet' in spec && row.validationSet !== null ? row.validationSet.key : 'sameDataset' in spec ? row.datasetId : '';
      return typeof value === 'number' ? [{ id: row.id, value, group }] : [];
    });
    const ids = new Set<string>();
    for (const group of new Set(valued.map((v) => v.group))) {
      const members = valued.filter((v) => v.group === group);
      if (members.length < 2) continue;
      const values = members.map((v) => v.value);
      const target = better === 'higher' ? Math.max(...values) : Math.min(...values);
      for (const v of members) if (v.value === target) ids.add(v.id);
    }
    if (ids.size > 0) best[column] = ids;
  }
  return best;
}

/** Rows sorted by a column; missing values always sort last. */
export function sortRows(rows: readonly CompareRow[], column: CompareColumn, descending: boolean): CompareRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y));
  });
}

/** Each cell as a share of its row (its true class); an empty row stays zeros. */
export function rowShares(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total === 0 ? 0 : v / total));
  });
}

/**
 * Cell by cell, `b` minus `a` as shares of each true class's row (so test sets of different
 * sizes compare fairly): a positive diagonal cell means `b` gets that class right more often,
 * a negative off-diagonal cell means `b` makes that mistake less often. Null when the
 * matrices are not the same size.
 */
export function confusionDifference(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] | null {
  if (a.length !== b.length || a.some((row, i) => row.length !== b[i]?.length)) return null;
  const sa = rowShares(a);
  const sb = rowShares(b);
  return sb.map((row, t) => row.map((v, p) => v - (sa[t]?.[p] ?? 0)));
}

/** Runs validated on the same images, lettered for the table's marks and its note. */
export interface ValidationSetGroup {
  /** "A", "B", …, in the order the rows first name them. */
  readonly label: string;
  readonly key: string;
  readonly datasetName: string;
  readonly images: number;
  /** How many training images the set was split from; null for the test set. */
  readonly of: number | null;
  readonly names: readonly string[];
}

/**
 * The validation sets of the rows with a validation accuracy, when there is more than one
 * (the table then says which runs share one, and marks each set's best as that set's); null
 * when there is at most one: every validation accuracy is then ranked together.
 */
export function validationSetGroups(rows: readonly CompareRow[]): ValidationSetGroup[] | null {
  const groups = new Map<string, { key: string; datasetName: string; images: number; of: number | null; names: string[] }>();
  for (const row of rows) {
    if (row.bestValAccuracy === null || row.validationSet === null) continue;
    const { key, images, of } = row.validationSet;
    const group = groups.get(key) ?? { key, datasetName: row.datasetName, images, of, names: [] };
    group.names.push(row.name);
    groups.set(key, group);
  }
  return groups.size > 1 ? [...groups.values()].map((group, i) => ({ ...group, label: String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '') })) : null;
}

/**
 * Names of compared runs that share a colour (and so a marker), in groups: there are ten,
 * and from the eleventh run on they come round again.
 */
export function sharedColours(runs: readonly Pick<Run, 'name' | 'color'>[]): string[][] {
  const byColour = new Map<string, string[]>();
  for (const run of runs) byColour.set(run.color, [...(byColour.get(run.color) ?? []), run.name]);
  return [...byColour.values()].filter((names) => names.length > 1);
}

/**
 * The comparison table: one row per run, sortable by any column, the best value of each
 * ranked column marked with a star and the word "best" (not by colour alone). On a phone its
 * rows are stacked as cards, each value beside its column's name (styles.css), and its
 * headings are a row of sort buttons: the table at 390 px showed two of its eleven columns.
 */
import { memo, useState } from 'react';
import { bestInColumns, COMPARE_COLUMNS, epochsWords, sameRows, sortRows, validationSetGroups, type CompareColumn, type CompareRow } from '../store/compare';
import { useAppStore } from '../store';
import { backendWords, grouped } from './words';
import { RunSwatch } from './RunMarker';
import { progbarValue } from '../training/kerasLog';

const percent = (n: number | null): string => (n === null ? '–' : `${(n * 100).toFixed(2)}%`);

function cell(row: CompareRow, column: CompareColumn): string {
  switch (column) {
    case 'name':
      return row.name;
    case 'params':
      return row.params === null ? '–' : grouped(row.params);
    case 'epochsDone':
      return epochsWords(row);
    case 'trainCount':
      return row.trainCount === null ? '–' : grouped(row.trainCount);
    case 'bestValAccuracy':
      return row.bestValAccuracy === null ? '–' : `${percent(row.bestValAccuracy)} (${row.bestValEpoch ?? '–'})`;
    case 'testAccuracy':
      return `${percent(row.testAccuracy)}${row.testWeightsEpoch === null ? '' : ` (epoch ${row.testWeightsEpoch}'s weights)`}`;
    case 'testLoss':
      return row.testLoss === null ? '–' : progbarValue(row.testLoss);
    case 'secondsPerEpoch':
      return row.secondsPerEpoch === null ? '–' : `${row.secondsPerEpoch.toFixed(1)} s`;
    case 'samplesPerSecond':
      return row.samplesPerSecond === null ? '–' : String(Math.round(row.samplesPerSecond));
    case 'backend':
      return row.backend === null ? '–' : backendWords(row.backend);
  }
}

const COLUMNS = Object.keys(COMPARE_COLUMNS) as CompareColumn[];

/** Memoised on what its rows show: the panel above re-renders with every streamed batch. */
export const CompareTable = memo(function CompareTable({ rows }: { readonly rows: readonly CompareRow[] }) {
  const [sort, setSort] = useState<{ column: CompareColumn; descending: boolean } | null>(null);
  const best = bestInColumns(rows);
  // Accuracy and loss are ranked within each dataset: with several, the mark says which.
  const severalDatasets = new Set(rows.map((row) => row.datasetId)).size > 1;
  const sorted = sort === null ? rows : sortRows(rows, sort.column, sort.descending);
  const validationSets = validationSetGroups(rows);
  /** What a star ranks: a validation set's runs, a dataset's, or every run here. */
  const bestWhere = (row: CompareRow, column: CompareColumn): string => {
    const set = column === 'bestValAccuracy' ? validationSets?.find((group) => group.key === row.validationSet?.key) : undefined;
    if (set) return ` on validation set ${set.label}`;
    return severalDatasets && 'sameDataset' in COMPARE_COLUMNS[column] ? ` on ${row.datasetName}` : '';
  };
  const announce = useAppStore((state) => state.announce);
  const onSort = (column: CompareColumn): void => {
    const descending = sort?.column === column ? !sort.descending : COMPARE_COLUMNS[column].better === 'higher';
    setSort({ column, descending });
    // aria-sort alone is read only when the heading is reached again: say the new order now.
    const text = column === 'name' || column === 'backend';
    announce(`Runs sorted by ${column === 'name' ? 'name' : COMPARE_COLUMNS[column].label}, ${text ? (descending ? 'Z to A' : 'A to Z') : descending ? 'highest first' : 'lowest first'}.`);
  };

  return (
    <>
      <div className="table-scroll compare-scroll">
        <table className="compare-table" role="table" aria-label="Comparison of runs">
          <thead role="rowgroup">
            <tr role="row">
              {COLUMNS.map((column) => (
                <th key={column} scope="col" role="columnheader" aria-sort={sort?.column === column ? (sort.descending ? 'descending' : 'ascending') : undefined}>
                  <button type="button" className="link-button" onClick={() => onSort(column)}>
                    {COMPARE_COLUMNS[column].label}
                    <span aria-hidden="true">{sort?.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {sorted.map((row) => (
              <tr key={row.id} role="row" data-run={row.id}>
                {COLUMNS.map((column) => {
                  const isBest = best[column]?.has(row.id) ?? false;
                  if (column === 'name') {
                    return (
                      <th key={column} scope="row" role="rowheader">
                        <RunSwatch color={row.color} /> {row.name}
                        <span className="muted"> · {row.datasetName}</span>
                      </th>
                    );
                  }
                  return (
                    <td key={column} role="cell" data-column={column} data-label={COMPARE_COLUMNS[column].label} className={isBest ? 'best' : undefined}>
                      <span>
                        {cell(row, column)}
                        {isBest && <span className="best-mark"> ★ best{bestWhere(row, column)}</span>}
                      </span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="note" data-testid="compare-columns">
        Time per epoch is the mean, its validation pass included; samples/s counts training images only. A ★ ranks runs that can be ranked together (the same
        dataset, for accuracy and loss; the same validation images, for val_accuracy; as many training and validation images, for time; all runs, for samples/s), and is no verdict: the same
        model trained again with another seed often lands a few tenths of a point away.
      </p>
      {validationSets && (
        <p className="note" data-testid="validation-sets">
          Best val_accuracy is ranked only among runs validated on the same images (a validation split holds out the last part of the training images, before shuffling; the test set is a set of its own):{' '}
          {validationSets
            .map((set) => `set ${set.label}, ${set.of === null ? `the ${grouped(set.images)} ${set.datasetName} test images` : `the last ${grouped(set.images)} of ${grouped(set.of)} ${set.datasetName} training images`}: ${set.names.join(', ')}`)
            .join('; ')}
          .
        </p>
      )}
    </>
  );
}, (before, after) => sameRows(before.rows, after.rows));

/** What a notebook prints after `load_data()`: each array's shape and dtype. */
import { classRanges, emptyClasses, shapeText, type Dataset, type FileKind } from '../data/dataset';
import { isBuiltinDatasetId } from '../data/datasets';

export function DatasetSummary({ dataset }: { readonly dataset: Dataset }) {
  const builtin = isBuiltinDatasetId(dataset.id);
  const loader = builtin ? `tf.keras.datasets.${dataset.id.replace('-', '_')}.load_data()` : 'your four IDX files';
  const rows = [
    { name: 'x_train', label: 'train images', shape: shapeText(dataset.train, 'images'), file: dataset.train.imagesFile },
    { name: 'y_train', label: 'train labels', shape: shapeText(dataset.train, 'labels'), file: dataset.train.labelsFile },
    { name: 'x_test', label: 'test images', shape: shapeText(dataset.test, 'images'), file: dataset.test.imagesFile },
    { name: 'y_test', label: 'test labels', shape: shapeText(dataset.test, 'labels'), file: dataset.test.labelsFile },
  ];
  // A user's files are named beside their arrays: which file became which is the app's guess.
  const showFiles = !builtin && rows.every((row) => row.file !== undefined);
  const first = dataset.train.labels[0] ?? 0;
  // A class named by its own number (MNIST's digits) is not named twice: "5", not "5 (5)".
  const firstName = dataset.classNames[first] ?? String(first);
  const firstLabel = firstName === String(first) ? firstName : `${first} (${firstName})`;
  const gaps = emptyClasses(dataset);
  return (
    <div className="dataset-summary">
      <h3>{dataset.name}</h3>
      <p className="code-caption">
        <code>(x_train, y_train), (x_test, y_test) = {loader}</code>
      </p>
      <table className="shapes">
        <caption>Arrays, as Python prints them</caption>
        <thead>
          <tr>
            <th scope="col">array</th>
            <th scope="col">what</th>
            <th scope="col">shape</th>
            <th scope="col">dtype</th>
            {showFiles && <th scope="col">file</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">
                <code>{row.name}</code>
              </th>
              <td>{row.label}</td>
              <td data-testid={`shape-${row.name}`}>
                <code>{row.shape}</code>
              </td>
              <td>
                <code>uint8</code>
              </td>
              {showFiles && <td className="file-name" data-testid={`file-${row.name}`}>{row.file?.name}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        First training label: <strong data-testid="first-label">{firstLabel}</strong> ·{' '}
        {dataset.classNames.length} classes
      </p>
      {dataset.pickedInOrder && dataset.pickedInOrder.length > 0 && (
        <p className="note" data-testid="picked-in-order">
          {pickedInOrderNote(dataset.pickedInOrder)}
        </p>
      )}
      {gaps && (
        <p className="note" data-testid="empty-classes">
          No training image has class{gaps.empty.length === 1 ? '' : 'es'} {classRanges(gaps.empty)} ({gaps.empty.length} of {dataset.classNames.length}). The class count
          comes from the largest label, {gaps.largest}, first at {gaps.where}: if that is a stray byte, fix the file
          and load the four files again.
        </p>
      )}
    </div>
  );
}

/** Why a user's training and test files may be the wrong way round, and how to choose. */
function pickedInOrderNote(kinds: readonly FileKind[]): string {
  const both = kinds.length === 2;
  const what = both ? 'The two image files, and the two label files, have' : kinds[0] === 'images' ? 'The two image files have' : 'The two label files have';
  const arrays = both ? 'x_train and y_train' : kinds[0] === 'images' ? 'x_train' : 'y_train';
  return `${what} the same count, and their names do not tell train from test, so ${arrays} came from the first of each as the files came. If that is the wrong way round, put "train" in one name and "test" in the other, and load the four files again.`;
}

/** What a notebook prints after `load_data()`: each array's shape and dtype. */
import { classRanges, emptyClasses, shapeText, type Dataset } from '../data/dataset';
import { isBuiltinDatasetId } from '../data/datasets';

export function DatasetSummary({ dataset }: { readonly dataset: Dataset }) {
  const loader = isBuiltinDatasetId(dataset.id)
    ? `tf.keras.datasets.${dataset.id.replace('-', '_')}.load_data()`
    : 'your four IDX files';
  const rows = [
    { name: 'x_train', label: 'train images', shape: shapeText(dataset.train, 'images') },
    { name: 'y_train', label: 'train labels', shape: shapeText(dataset.train, 'labels') },
    { name: 'x_test', label: 'test images', shape: shapeText(dataset.test, 'images') },
    { name: 'y_test', label: 'test labels', shape: shapeText(dataset.test, 'labels') },
  ];
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
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        First training label: <strong data-testid="first-label">{firstLabel}</strong> ·{' '}
        {dataset.classNames.length} classes
      </p>
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

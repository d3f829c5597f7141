/** How many images each class has, as a bar chart with a table beside it for screen readers. */
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { classCounts, type Dataset } from '../data/dataset';
import { ChartFrame } from './ChartFrame';

/** The key in the bars' order, train then test (Recharts sorts it by name otherwise). */
const TRAIN_FIRST = (item: { readonly dataKey?: unknown }): number => (item.dataKey === 'train' ? 0 : 1);

/** The chart mounts this long after the rest of the dataset view: in one task with it, the page froze ~130 ms as the data arrived. */
const CHART_DELAY_MS = 100;

export function ClassDistribution({ dataset }: { readonly dataset: Dataset }) {
  const rows = useMemo(() => {
    const train = classCounts(dataset.train.labels, dataset.classNames.length);
    const test = classCounts(dataset.test.labels, dataset.classNames.length);
    return dataset.classNames.map((name, i) => ({ name, train: train[i] ?? 0, test: test[i] ?? 0 }));
  }, [dataset]);
  return (
    <figure className="class-distribution">
      <figcaption>Class distribution</figcaption>
      <ChartFrame height={220} delayMs={CHART_DELAY_MS}>
        {(width) => (
          <BarChart width={width} height={220} accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} angle={-30} textAnchor="end" height={50} fontSize={11} />
            <YAxis fontSize={11} />
            <Tooltip />
            <Legend itemSorter={TRAIN_FIRST} />
            <Bar dataKey="train" name="train" fill="#2563eb" isAnimationActive={false} />
            <Bar dataKey="test" name="test" fill="#f59e0b" isAnimationActive={false} />
          </BarChart>
        )}
      </ChartFrame>
      <details>
        <summary>Class distribution as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">class</th>
              <th scope="col">train</th>
              <th scope="col">test</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name}>
                <th scope="row">{row.name}</th>
                <td>{row.train}</td>
                <td>{row.test}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

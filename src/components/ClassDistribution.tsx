/** How many images each class has, as a bar chart with a table beside it for screen readers. */
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis, type XAxisTickContentProps } from 'recharts';
import { classCounts, type Dataset } from '../data/dataset';
import { ChartFrame } from './ChartFrame';
import { grouped } from './words';

/**
 * A class name under its bars, turned 30° so that ten fit: plain SVG text. Recharts's own
 * tick measures every word in the DOM to wrap it, the largest single cost of mounting this chart.
 */
function ClassTick({ x, y, payload }: XAxisTickContentProps) {
  return (
    <text x={x} y={y} dy={12} fontSize={11} textAnchor="end" fill="#4b5563" transform={`rotate(-30, ${x}, ${y})`}>
      {String(payload.value)}
    </text>
  );
}

const TRAIN_COLOR = '#2563eb';
const TEST_COLOR = '#f59e0b';

/** The bars' key, in HTML under the chart: Recharts's Legend measured itself as the chart mounted. Hidden from assistive technology like the chart; the table is their text. */
const BAR_KEY = (
  <ul className="curve-key" aria-hidden="true">
    {[
      ['train', TRAIN_COLOR],
      ['test', TEST_COLOR],
    ].map(([split, color]) => (
      <li key={split}>
        <span className="swatch" style={{ background: color }} />
        {split}
      </li>
    ))}
  </ul>
);

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
      <ChartFrame height={220} delayMs={CHART_DELAY_MS} footer={BAR_KEY}>
        {(width) => (
          <BarChart width={width} height={220} accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} tick={ClassTick} height={50} />
            <YAxis fontSize={11} />
            <Tooltip />
            <Bar dataKey="train" name="train" fill={TRAIN_COLOR} isAnimationActive={false} />
            <Bar dataKey="test" name="test" fill={TEST_COLOR} isAnimationActive={false} />
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
                <td>{grouped(row.train)}</td>
                <td>{grouped(row.test)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

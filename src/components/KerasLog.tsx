/**
 * "Keras log": what the run's tf.keras code prints, written as Keras writes it, live while the
 * run trains: a learner can lay it beside their notebook's output line by line.
 */
import type { Dataset } from '../data/dataset';
import { isActiveRun, type Run } from '../store';
import { lastStep } from '../store/series';
import { kerasLog, PREDICTED_COUNT, type KerasLogLine, type KerasLogRun } from '../training/kerasLog';

/** The log's input from a run: its live report, or where a run restored from storage stopped. */
function logRun(run: Run, dataset: Dataset | null): KerasLogRun {
  const { fit } = run.spec;
  const { progress, evaluation } = run;
  const last = run.batches.at(-1);
  const step = progress === null ? lastStep(run.batches, run.batchesPerEpoch) : null;
  // A run that has ended mid-epoch (Stop) has no time left: its line stops where it did, untimed.
  const pace = progress && isActiveRun(run) && progress.stepSeconds > 0 ? progress.stepSeconds : null;
  const current = progress
    ? { epoch: progress.epoch, step: progress.batch, loss: progress.loss, accuracy: progress.accuracy, secondsPerStep: pace }
    : step && last
      ? { epoch: step.epoch, step: step.batch, loss: last.loss, accuracy: last.accuracy, secondsPerStep: null }
      : null;
  const count = Math.min(PREDICTED_COUNT, evaluation?.count ?? 0);
  return {
    epochs: fit.epochs,
    batchSize: fit.batchSize,
    scheduled: fit.learningRateDecay !== 1,
    stepsPerEpoch: run.batchesPerEpoch,
    history: run.epochs,
    current,
    earlyStop: run.earlyStop ?? null,
    evaluation,
    predicted: evaluation ? Array.from(evaluation.predictions.subarray(0, count)) : null,
    // The sample's first card is test image 0.
    firstProbabilities: evaluation && evaluation.sampleIndices[0] === 0 ? Array.from(evaluation.sampleProbabilities.subarray(0, evaluation.sampleProbabilities.length / evaluation.sampleIndices.length)) : null,
    actual: evaluation && dataset && dataset.test.count >= count ? Array.from(dataset.test.labels.subarray(0, count)) : null,
  };
}

function Line({ line }: { readonly line: KerasLogLine }) {
  if (line.kind === 'text') return <>{line.text}</>;
  // The bar is drawn, not read: its step count says as much.
  return (
    <>
      {line.count}{' '}
      <span aria-hidden="true">
        <span className="bar-done">{'━'.repeat(line.done)}</span>
        <span className="bar-left">{'━'.repeat(line.left)}</span>
      </span>
      {line.info}
    </>
  );
}

export function KerasLog({ run, dataset }: { readonly run: Run | null; readonly dataset: Dataset | null }) {
  if (run === null) return <p>Train a model: this tab then shows what its tf.keras code prints, epoch by epoch, as it trains.</p>;
  const lines = kerasLog(logRun(run, dataset));
  if (lines.length === 0) return <p>The log starts with the run's first steps.</p>;
  return (
    <section className="keras-log-section" aria-labelledby="keras-log-heading">
      <h3 id="keras-log-heading">Keras log</h3>
      <figure className="keras-log-figure">
        {/* A scrolling region must take keyboard focus so it can be scrolled without a mouse. */}
        <pre className="keras-log scroll-x" role="region" tabIndex={0} aria-label={`Keras log of ${run.name}`}>
          {lines.map((line, i) => (
            <span key={i}>
              <Line line={line} />
              {'\n'}
            </span>
          ))}
        </pre>
        <figcaption>
          <p>
            What this run&apos;s tf.keras code (“Open in builder” puts its model there, under “The same model in tf.keras (Python)”) prints, as Keras 3 writes it: <code>model.fit</code>, then{' '}
            <code>model.evaluate</code> (verbose=2) and the code&apos;s own prints.
          </p>
          <ul>
            <li>The figures are this run&apos;s; the times are this browser&apos;s. A finished epoch&apos;s time per step is its time, validation included, over its steps.</li>
            <li>
              The epoch under way shows its running means and its pace. Keras 3 releases made before June 2026 (before keras-team/keras#23030) show a mean of the running means
              there, which lags them; once the epoch ends, the figures are the same.
            </li>
            <li>
              The same figures, written otherwise: with <code>metrics=[SparseCategoricalAccuracy()]</code>, Keras names them <code>sparse_categorical_accuracy</code>; with{' '}
              <code>evaluate(batch_size=128)</code>, the test pass counts 79/79 steps, not 313/313; TensorFlow 2.15 and older (Keras 2) draw <code>[=====]</code> bars, put loss first
              and call the rate <code>lr</code>.
            </li>
            <li>
              Not shown: <code>model.summary()</code>&apos;s table (the builder has it) and <code>model.predict</code>&apos;s progress line.
            </li>
          </ul>
        </figcaption>
      </figure>
    </section>
  );
}

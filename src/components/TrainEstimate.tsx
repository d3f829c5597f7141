/** About how long the model in the builder takes to train, said beside Train before it is pressed. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectActiveDataset, useAppStore } from '../store';
import { speedReference } from '../store/speed';
import { epochImages, estimateTraining } from '../training/cost';
import { backendWords, counted, duration, grouped } from './words';

/** Past this, the estimate suggests a training subset first. */
const LONG_SECONDS = 10 * 60;

/** A time, or "under a second" for one that `duration` would call 0 s. */
const brief = (seconds: number): string => (seconds < 1 ? 'under a second' : duration(seconds));

/** Multiply-adds in words: "205,000", "2.9 million". */
function multiplyAdds(n: number): string {
  return n < 1e6 ? grouped(Math.round(n / 1000) * 1000) : `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} million`;
}

/**
 * The estimate, from a run trained on this page on the backend the run will use: nothing
 * before one has (its speed is this machine's), for a model of quite another size than any
 * trained, or while Train is off.
 */
export function TrainEstimate() {
  const draft = useAppStore((state) => state.draft);
  const dataset = useAppStore(selectActiveDataset);
  const input = useMemo(() => (dataset === null ? null : { height: dataset.train.height, width: dataset.train.width, channels: 1 }), [dataset]);
  // Its fields, not a new object: the runs change with every batch a run reports, the reference rarely.
  const reference = useAppStore(
    useShallow((state) => {
      const found = input === null ? null : speedReference(state, state.backendPreference, draft, input);
      return {
        spec: found?.spec ?? null,
        height: found?.input.height ?? 0,
        width: found?.input.width ?? 0,
        samplesPerSecond: found?.samplesPerSecond ?? 0,
        runName: found?.runName ?? '',
        backend: found?.backend ?? '',
        otherDataset: found?.otherDataset ?? null,
      };
    }),
  );
  const words = useMemo(() => {
    if (dataset === null || input === null || reference.spec === null) return null;
    const used = { ...reference, spec: reference.spec, input: { height: reference.height, width: reference.width, channels: 1 } };
    const counts = { ...epochImages(draft.fit, dataset.train.count, dataset.test.count), testCount: dataset.test.count };
    const estimate = estimateTraining(draft, input, counts, used);
    if (estimate === null) return null;
    const { epochs, earlyStopping, trainLimit, batchSize } = draft.fit;
    const speed = `${grouped(Math.round(used.samplesPerSecond))} images/s`;
    const length = `${earlyStopping === null ? '' : 'at most '}${counted(epochs, 'epoch')} of ${brief(estimate.epochSeconds)}, then the test set`;
    const basis =
      estimate.kind === 'same'
        ? `${used.runName} trained the same layers at batch ${batchSize} there at ${speed}.`
        : estimate.kind === 'other batch'
          ? `a rough guide: ${used.runName} trained these layers there at ${speed} at batch ${used.spec.fit.batchSize}, and batch ${batchSize} trains at another speed.`
          : `a rough guide, from ${used.runName}'s speed there, scaled by a training step's multiply-adds per image: ${multiplyAdds(estimate.work)} for this model, ${multiplyAdds(estimate.referenceWork)} for that one (a model of another kind may do its multiply-adds at another rate).`;
    // On WASM, images that are mostly zeros (MNIST's) train a Dense layer faster than others.
    const otherData = used.otherDataset === null ? '' : ` That run trained on ${used.otherDataset}, whose images may train at another speed.`;
    const subset = estimate.totalSeconds > LONG_SECONDS && trainLimit === null ? ' A training subset shows it learning sooner.' : '';
    const total = estimate.totalSeconds < 1 ? 'Under a second' : `About ${duration(estimate.totalSeconds)}`;
    return `${total} to train (${length}) on ${backendWords(used.backend)}: ${basis}${otherData}${subset}`;
  }, [dataset, draft, input, reference]);
  if (words === null) return null;
  return (
    <p className="muted train-estimate" data-testid="train-estimate">
      {words}
    </p>
  );
}

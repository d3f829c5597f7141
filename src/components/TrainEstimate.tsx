/** About how long the model in the builder takes to train, said beside Train before it is pressed. */
import { useMemo } from 'react';
import { selectActiveDataset, useAppStore } from '../store';
import { speedReference } from '../store/speed';
import { epochImages, estimateTraining, trainingMultiplyAdds } from '../training/cost';
import { counted, duration, grouped } from './words';

/** Past this, the estimate suggests a training subset first. */
const LONG_SECONDS = 10 * 60;

const BACKEND_NAMES: Readonly<Record<string, string>> = { webgl: 'WebGL', wasm: 'WASM', cpu: 'the cpu backend' };

/** A time, or "under a second" for one that `duration` would call 0 s. */
const brief = (seconds: number): string => (seconds < 1 ? 'under a second' : duration(seconds));

/** Multiply-adds in words: "305,000", "2.9 million". */
function multiplyAdds(n: number): string {
  return n < 1e6 ? grouped(Math.round(n / 1000) * 1000) : `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} million`;
}

/**
 * The estimate, from a run this browser trained on the backend the run will use: nothing
 * before one has (its speed is this machine's), and nothing while Train is off.
 */
export function TrainEstimate() {
  const draft = useAppStore((state) => state.draft);
  const dataset = useAppStore(selectActiveDataset);
  const preference = useAppStore((state) => state.backendPreference);
  const runs = useAppStore((state) => state.runs);
  const runOrder = useAppStore((state) => state.runOrder);
  const datasets = useAppStore((state) => state.datasets);
  const words = useMemo(() => {
    if (dataset === null) return null;
    const input = { height: dataset.train.height, width: dataset.train.width, channels: 1 };
    const reference = speedReference({ runs, runOrder, datasets }, preference, draft, input);
    if (reference === null) return null;
    const counts = { ...epochImages(draft.fit, dataset.train.count, dataset.test.count), testCount: dataset.test.count };
    const estimate = estimateTraining(draft, input, counts, reference);
    if (estimate === null) return null;
    const { epochs, earlyStopping, trainLimit } = draft.fit;
    const backend = BACKEND_NAMES[reference.backend] ?? reference.backend;
    const length = `${earlyStopping === null ? '' : 'at most '}${counted(epochs, 'epoch')} of ${brief(estimate.epochSeconds)}, then the test set`;
    const speed = `${grouped(Math.round(reference.samplesPerSecond))} images/s`;
    const sameLayers = JSON.stringify(draft.layers) === JSON.stringify(reference.spec.layers) && input.height === reference.input.height && input.width === reference.input.width;
    const basis = estimate.sameModel
      ? `${reference.runName} trained this model there at ${speed}.`
      : sameLayers
        ? `a rough guide: ${reference.runName} trained these layers there at ${speed} at batch ${reference.spec.fit.batchSize}, and batch ${draft.fit.batchSize} trains at another speed.`
        : `a rough guide, from ${reference.runName}'s speed there, scaled by a training step's multiply-adds per image: ${multiplyAdds(trainingMultiplyAdds(draft, input))} for this model, ${multiplyAdds(trainingMultiplyAdds(reference.spec, reference.input))} for that one.`;
    const subset = estimate.totalSeconds > LONG_SECONDS && trainLimit === null ? ' A training subset shows it learning sooner.' : '';
    const total = estimate.totalSeconds < 1 ? 'Under a second' : `About ${duration(estimate.totalSeconds)}`;
    return `${total} to train (${length}) on ${backend}: ${basis}${subset}`;
  }, [dataset, draft, preference, runs, runOrder, datasets]);
  if (words === null) return null;
  return (
    <p className="muted train-estimate" data-testid="train-estimate">
      {words}
    </p>
  );
}

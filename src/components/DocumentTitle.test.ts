import { describe, expect, it } from 'vitest';
import type { Run } from '../store';
import { run } from '../store/testing';
import { endedTitle, PAGE_TITLE, trainingTitle } from './DocumentTitle';

// The quickstart preset trains 5 epochs. On MNIST, one and a half of them done, and one
// validation pass, is 29% of the run's work: 83,000 of 283,333 training images' worth (series.ts).
const counts = { trainCount: 54_000, validationCount: 6_000, testCount: 10_000, batchesPerEpoch: 6 };
/** A batch report as the store keeps it: the live progress, and its point at the end of the batch series. */
const reported = (progress: NonNullable<Run['progress']>) => ({ progress, batches: [{ x: progress.epoch - 1 + progress.batch / progress.batches, loss: progress.loss, accuracy: progress.accuracy }] });
const progress = { epoch: 2, batch: 3, batches: 6, loss: 0.4, accuracy: 0.9, samplesPerSecond: 900, stepSeconds: 0.035, etaSeconds: 185 };
const training = { ...run, ...counts, status: 'running' as const, evaluation: null, epochs: run.epochs.slice(0, 1), ...reported(progress) };

describe('the tab\'s title', () => {
  it('is the page\'s own with no run in training', () => {
    expect(trainingTitle(null)).toBe(PAGE_TITLE);
  });

  it('says how far the run in training is and how long it has left', () => {
    expect(training.spec.fit.epochs).toBe(5);
    expect(trainingTitle(training)).toBe(`29% · ETA 3 min 5 s · Quickstart MLP #1 — ${PAGE_TITLE}`);
  });

  it('says when that run is paused, starting or being evaluated', () => {
    expect(trainingTitle({ ...training, status: 'paused' })).toBe(`Paused at 29% · Quickstart MLP #1 — ${PAGE_TITLE}`);
    expect(trainingTitle({ ...training, status: 'paused', stopping: true })).toBe(`Stopping · Quickstart MLP #1 — ${PAGE_TITLE}`);
    expect(trainingTitle({ ...training, status: 'starting', progress: null, epochs: [] })).toBe(`Starting · Quickstart MLP #1 — ${PAGE_TITLE}`);
    const allEpochs = [1, 2, 3, 4, 5].flatMap((epoch) => run.epochs.map((record) => ({ ...record, epoch })));
    const trained = { ...training, epochs: allEpochs.map((record) => ({ ...record, etaSeconds: 5 })), ...reported({ ...progress, epoch: 5, batch: 6 }) };
    // Its epochs and their validation passes trained, the test set not yet evaluated: 280,000 of 283,333, 98.8%.
    expect(trainingTitle(trained)).toBe(`98% · evaluating · ETA 5 s · Quickstart MLP #1 — ${PAGE_TITLE}`);
    expect(trainingTitle({ ...trained, pass: { pass: 'test', done: 5000, total: 10_000, etaSeconds: 2 } })).toBe(`99% · evaluating · ETA 2 s · Quickstart MLP #1 — ${PAGE_TITLE}`);
  });

  it("counts down and on through an epoch's validation pass", () => {
    // Two epochs trained, the first validated and half of the second: 111,000 of 283,333.
    const validating = { ...training, ...reported({ ...progress, batch: 6 }), pass: { pass: 'validation' as const, done: 3000, total: 6000, etaSeconds: 150 } };
    expect(trainingTitle(validating)).toBe(`39% · ETA 2 min 30 s · Quickstart MLP #1 — ${PAGE_TITLE}`);
  });
});

describe("the tab's title for a run that ended out of sight", () => {
  it('says how it ended, with its test accuracy when it has one', () => {
    const evaluation = { ...run.evaluation, accuracy: 0.97354 } as Run['evaluation'];
    expect(endedTitle({ ...run, status: 'finished', evaluation })).toBe(`Finished · test 97.35% · Quickstart MLP #1 — ${PAGE_TITLE}`);
    expect(endedTitle({ ...run, status: 'stopped', evaluation })).toBe(`Stopped · test 97.35% · Quickstart MLP #1 — ${PAGE_TITLE}`);
    expect(endedTitle({ ...run, status: 'stopped', evaluation: null })).toBe(`Stopped · Quickstart MLP #1 — ${PAGE_TITLE}`);
    expect(endedTitle({ ...run, status: 'failed', evaluation: null })).toBe(`Failed · Quickstart MLP #1 — ${PAGE_TITLE}`);
  });
});

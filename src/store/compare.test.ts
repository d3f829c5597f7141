import { describe, expect, it } from 'vitest';
import { PRESETS } from '../training/presets';
import type { EpochRecord, Evaluation } from '../training/protocol';
import { bestInColumns, compareRow, confusionDifference, epochsWords, sameRows, sharedColours, sortRows, validationSetGroups } from './compare';
import type { Run } from './runsSlice';

const MNIST = { height: 28, width: 28, channels: 1 } as const;

function epoch(n: number, valAccuracy: number | null, seconds = 10): EpochRecord {
  return { epoch: n, epochs: 3, loss: 0.5 / n, accuracy: 0.8, valLoss: null, valAccuracy, learningRate: 0.001, seconds, samplesPerSecond: 1000 / seconds, etaSeconds: 0, tensors: 10, bytes: 0 };
}

function evaluation(accuracy: number, loss: number): Evaluation {
  const empty = new Int32Array(0);
  return { loss, accuracy, count: 100, confusion: [], perClass: [], predictions: empty, sampleIndices: empty, sampleProbabilities: new Float32Array(0), mistakeIndices: empty, mistakeProbabilities: new Float32Array(0) };
}

function run(id: string, preset: 'quickstart' | 'linear', epochs: readonly EpochRecord[], result: Evaluation | null): Run {
  return {
    id,
    name: id,
    color: '#000',
    datasetId: 'mnist',
    datasetName: 'MNIST',
    classNames: [],
    spec: PRESETS[preset].spec,
    status: 'finished',
    backend: { name: 'webgl', renderer: 'SwiftShader', software: true, fallbackReason: null, autoReason: null },
    trainCount: 0,
    validationCount: 0,
    batchesPerEpoch: 0,
    progress: null,
    batches: [],
    epochs,
    evaluation: result,
    error: null,
    startedAt: 0,
    seconds: null,
  };
}

describe('compareRow', () => {
  it("gives Keras's parameter count, the best validation epoch and mean speed", () => {
    const row = compareRow(run('a', 'quickstart', [epoch(1, 0.95, 10), epoch(2, 0.97, 20), epoch(3, 0.96, 30)], evaluation(0.975, 0.08)), MNIST);
    expect(row.params).toBe(101_770);
    expect(row.bestValAccuracy).toBe(0.97);
    expect(row.bestValEpoch).toBe(2);
    expect(row.secondsPerEpoch).toBe(20);
    expect(row.testAccuracy).toBe(0.975);
    expect(row.backend).toBe('webgl (software)');
  });

  it('says which runs EarlyStopping ended before their last epoch', () => {
    const trained = run('a', 'quickstart', [epoch(1, 0.95, 10), epoch(2, 0.94, 10)], evaluation(0.95, 0.1));
    const report = { monitor: 'val_accuracy', patience: 1, stoppedEpoch: 2, bestEpoch: 1, best: 0.95, restored: true } as const;
    expect(compareRow({ ...trained, earlyStop: report }, MNIST).stoppedEarly).toBe(true);
    expect(compareRow({ ...trained, earlyStop: { ...report, stoppedEpoch: null } }, MNIST).stoppedEarly).toBe(false);
    expect(compareRow(trained, MNIST).stoppedEarly).toBe(false);
  });

  it('says in which epoch a Stop or a failure ended a run part-way, so that "0/3" beside a test accuracy reads right', () => {
    const firstEpoch = { ...run('a', 'quickstart', [], evaluation(0.59, 1.69)), status: 'stopped' as const, batches: [{ x: 0.25, loss: 1.7, accuracy: 0.4 }] };
    expect(compareRow(firstEpoch, MNIST).endedInEpoch).toBe(1);
    expect(compareRow({ ...firstEpoch, status: 'failed' }, MNIST).endedInEpoch).toBe(1);
    expect(compareRow({ ...firstEpoch, status: 'running' }, MNIST).endedInEpoch).toBeNull();
    const betweenEpochs = { ...run('a', 'quickstart', [epoch(1, 0.95, 10)], evaluation(0.95, 0.1)), status: 'stopped' as const, batches: [{ x: 1, loss: 0.2, accuracy: 0.9 }] };
    expect(compareRow(betweenEpochs, MNIST).endedInEpoch).toBeNull();
    expect(compareRow(betweenEpochs, MNIST).endedBeforeTraining).toBe(false);
    const waited = { ...run('a', 'quickstart', [], null), status: 'stopped' as const };
    expect([compareRow(waited, MNIST).endedInEpoch, compareRow(waited, MNIST).endedBeforeTraining]).toEqual([null, true]);
    // Stopped before its first batch report: no batch here, but the worker trained a little and tested it.
    const tested = { ...waited, evaluation: evaluation(0.21, 2.1) };
    expect([compareRow(tested, MNIST).endedInEpoch, compareRow(tested, MNIST).endedBeforeTraining]).toEqual([1, false]);
  });

  it("names the epoch whose weights the test set measured when EarlyStopping put back an earlier one", () => {
    const trained = run('a', 'quickstart', [epoch(1, 0.95, 10), epoch(2, 0.96, 10), epoch(3, 0.94, 10)], evaluation(0.95, 0.1));
    // Watching val_loss, its best at epoch 1, while val_accuracy was best at epoch 2.
    const report = { monitor: 'val_loss', patience: 2, stoppedEpoch: 3, bestEpoch: 1, best: 0.2, restored: true } as const;
    const row = compareRow({ ...trained, earlyStop: report }, MNIST);
    expect([row.testWeightsEpoch, row.bestValEpoch]).toEqual([1, 2]);
    expect(compareRow({ ...trained, earlyStop: { ...report, restored: false } }, MNIST).testWeightsEpoch).toBeNull();
    expect(compareRow({ ...trained, earlyStop: { ...report, stoppedEpoch: null, bestEpoch: 3 } }, MNIST).testWeightsEpoch).toBeNull();
    // Stopped part-way through epoch 4, its best epoch 3's weights put back: they are not the ones it ended with.
    const partway = { ...trained, batches: [{ x: 3.4, loss: 0.2, accuracy: 0.9 }], earlyStop: { ...report, stoppedEpoch: null, bestEpoch: 3 } };
    expect(compareRow(partway, MNIST).testWeightsEpoch).toBe(3);
    expect(compareRow({ ...trained, earlyStop: report, evaluation: null }, MNIST).testWeightsEpoch).toBeNull();
    expect(compareRow(trained, MNIST).testWeightsEpoch).toBeNull();
  });

  it('leaves out what a run has not produced', () => {
    const row = compareRow(run('b', 'linear', [epoch(1, null)], null), null);
    expect(row.params).toBeNull();
    expect(row.bestValAccuracy).toBeNull();
    expect(row.bestValEpoch).toBeNull();
    expect(row.testLoss).toBeNull();
    expect(row.trainCount).toBeNull();
  });

  it('says how many images a run trained on, and does not rank runs by it', () => {
    const row = compareRow({ ...run('a', 'quickstart', [epoch(1, 0.95, 10)], null), trainCount: 54_000 }, MNIST);
    expect(row.trainCount).toBe(54_000);
    expect(bestInColumns([row, compareRow({ ...run('b', 'linear', [], null), trainCount: 3_000 }, MNIST)]).trainCount).toBeUndefined();
  });
});

describe('epochsWords', () => {
  const row = { epochsDone: 1, epochs: 3, status: 'finished', stoppedEarly: false, endedInEpoch: null, endedBeforeTraining: false } as const;

  it('says where a run is, so that "1/3" of one training is not read as one that ended', () => {
    expect(epochsWords({ ...row, epochsDone: 0, status: 'starting' })).toBe('0/3, waiting');
    expect(epochsWords({ ...row, status: 'running' })).toBe('1/3, training');
    expect(epochsWords({ ...row, status: 'paused' })).toBe('1/3, paused');
    expect(epochsWords({ ...row, epochsDone: 3 })).toBe('3/3');
    expect(epochsWords({ ...row, epochsDone: 2, stoppedEarly: true })).toBe('2/3, stopped early');
  });

  it('says how a run ended short of its plan: stopped or failed, in which epoch, or before training', () => {
    expect(epochsWords({ ...row, status: 'stopped', endedInEpoch: 2 })).toBe('1/3, stopped in epoch 2');
    expect(epochsWords({ ...row, status: 'stopped' })).toBe('1/3, stopped');
    expect(epochsWords({ ...row, status: 'failed', endedInEpoch: 2 })).toBe('1/3, failed in epoch 2');
    expect(epochsWords({ ...row, status: 'failed' })).toBe('1/3, failed');
    expect(epochsWords({ ...row, epochsDone: 0, status: 'stopped', endedBeforeTraining: true })).toBe('0/3, stopped before training');
    expect(epochsWords({ ...row, epochsDone: 0, status: 'failed', endedBeforeTraining: true })).toBe('0/3, failed before training');
  });
});

describe('sameRows', () => {
  it("holds a training run's rows the same between epochs, and tells them apart at an epoch's end, a status or a test result", () => {
    const training = { ...run('a', 'quickstart', [epoch(1, 0.95)], null), status: 'running' as const, trainCount: 2_700, validationCount: 300 };
    const other = run('b', 'linear', [epoch(1, null)], evaluation(0.9, 0.3));
    const otherRow = compareRow(other, MNIST);
    const trainingRow = compareRow(training, MNIST);
    const rows = [trainingRow, otherRow];
    // A batch later: a new run object, new rows, the same figures.
    const batchLater = { ...training, batches: [...training.batches, { x: 1.01, loss: 0.4, accuracy: 0.9 }], progress: { epoch: 2, batch: 1, batches: 85, loss: 0.4, accuracy: 0.9, samplesPerSecond: 9000, stepSeconds: 0.003, etaSeconds: 10 } };
    expect(sameRows(rows, [compareRow(batchLater, MNIST), compareRow(other, MNIST)])).toBe(true);
    expect(sameRows(rows, [compareRow({ ...training, epochs: [epoch(1, 0.95), epoch(2, 0.96)] }, MNIST), otherRow])).toBe(false);
    expect(sameRows(rows, [compareRow({ ...training, status: 'paused' }, MNIST), otherRow])).toBe(false);
    expect(sameRows(rows, [compareRow({ ...training, validationCount: 600 }, MNIST), otherRow])).toBe(false);
    expect(sameRows(rows, [compareRow({ ...training, evaluation: evaluation(0.97, 0.1) }, MNIST), otherRow])).toBe(false);
    expect(sameRows(rows, [otherRow, trainingRow])).toBe(false);
    expect(sameRows(rows, rows.slice(0, 1))).toBe(false);
  });
});

describe('bestInColumns and sortRows', () => {
  const a = compareRow(run('a', 'quickstart', [epoch(1, 0.9, 10)], evaluation(0.97, 0.1)), MNIST);
  const b = compareRow(run('b', 'linear', [epoch(1, 0.95, 5)], evaluation(0.92, 0.3)), MNIST);
  const c = compareRow(run('c', 'linear', [], null), MNIST);

  it('marks the best value of each ranked column, higher or lower as the column wants', () => {
    const best = bestInColumns([a, b, c]);
    expect(best.testAccuracy).toEqual(new Set(['a']));
    expect(best.testLoss).toEqual(new Set(['a']));
    expect(best.bestValAccuracy).toEqual(new Set(['b']));
    expect(best.secondsPerEpoch).toEqual(new Set(['b']));
    expect(best.params).toBeUndefined();
  });

  it('ranks time per epoch only among runs that trained and validated on as many images', () => {
    const smaller = compareRow({ ...run('d', 'linear', [epoch(1, 0.9, 1)], null), trainCount: 2_700 }, MNIST);
    const larger = compareRow({ ...run('e', 'linear', [epoch(1, 0.9, 5)], null), trainCount: 27_000 }, MNIST);
    expect(bestInColumns([smaller, larger]).secondsPerEpoch).toBeUndefined();
    expect(bestInColumns([smaller, larger]).samplesPerSecond).toEqual(new Set(['d']));
    // The same training images, but one validates the 10,000 test images in its epoch's time.
    const onTest = compareRow({ ...run('f', 'linear', [epoch(1, 0.9, 3)], null), trainCount: 2_700, validationCount: 10_000 }, MNIST);
    expect(bestInColumns([smaller, onTest]).secondsPerEpoch).toBeUndefined();
    // Among runs of several sizes, the fastest of each size that has two or more: one run of another size takes no star away.
    const smallerSlower = compareRow({ ...run('g', 'quickstart', [epoch(1, 0.9, 2)], null), trainCount: 2_700 }, MNIST);
    expect(bestInColumns([smaller, smallerSlower, larger]).secondsPerEpoch).toEqual(new Set(['d']));
  });

  it('ranks accuracy and loss within each dataset, and speed across them', () => {
    const fashion = compareRow({ ...run('f', 'linear', [epoch(1, 0.85, 20)], evaluation(0.84, 0.45)), datasetId: 'fashion-mnist', datasetName: 'Fashion-MNIST' }, MNIST);
    const fashionBetter = compareRow({ ...run('g', 'quickstart', [epoch(1, 0.88, 30)], evaluation(0.87, 0.36)), datasetId: 'fashion-mnist', datasetName: 'Fashion-MNIST' }, MNIST);
    const best = bestInColumns([a, b, fashion, fashionBetter]);
    expect(best.testAccuracy).toEqual(new Set(['a', 'g']));
    expect(best.testLoss).toEqual(new Set(['a', 'g']));
    expect(best.bestValAccuracy).toEqual(new Set(['b', 'g']));
    expect(best.samplesPerSecond).toEqual(new Set(['b']));
    // A dataset with one run has no best of its own.
    expect(bestInColumns([a, b, fashion]).testAccuracy).toEqual(new Set(['a']));
  });

  it('ranks validation accuracy only among runs validated on the same images', () => {
    // Keras holds out the last 10% of the first 6,000 images, or the last 20%: different images.
    const split = (id: string, valAccuracy: number, trainCount: number, validationCount: number): ReturnType<typeof compareRow> =>
      compareRow({ ...run(id, 'quickstart', [epoch(1, valAccuracy)], null), trainCount, validationCount }, MNIST);
    const tenth = split('tenth', 0.92, 5_400, 600);
    const fifth = split('fifth', 0.91, 4_800, 1_200);
    expect(bestInColumns([tenth, fifth]).bestValAccuracy).toBeUndefined();
    expect(validationSetGroups([tenth, fifth])).toEqual([
      { label: 'A', key: tenth.validationSet?.key, datasetName: 'MNIST', images: 600, of: 6_000, names: ['tenth'] },
      { label: 'B', key: fifth.validationSet?.key, datasetName: 'MNIST', images: 1_200, of: 6_000, names: ['fifth'] },
    ]);
    // The same 600 images: ranked. Also 600 images, but the last of all 60,000: not the same ones.
    const tenthAgain = split('again', 0.93, 5_400, 600);
    const allImages = split('all', 0.99, 59_400, 600);
    expect(bestInColumns([tenth, fifth, tenthAgain, allImages]).bestValAccuracy).toEqual(new Set(['again']));
    expect(validationSetGroups([tenth, tenthAgain])).toBeNull();
    // Runs validated on the test set (validation_data) share it, whatever they trained on.
    const onTest = (id: string, valAccuracy: number, trainCount: number): ReturnType<typeof compareRow> => {
      const trained = run(id, 'quickstart', [epoch(1, valAccuracy)], null);
      return compareRow({ ...trained, spec: { ...trained.spec, fit: { ...trained.spec.fit, validationData: 'test', validationSplit: 0 } }, trainCount, validationCount: 10_000 }, MNIST);
    };
    const [testA, testB] = [onTest('testA', 0.97, 6_000), onTest('testB', 0.98, 60_000)];
    expect(bestInColumns([tenth, testA, testB]).bestValAccuracy).toEqual(new Set(['testB']));
    expect(validationSetGroups([tenth, testA, testB])?.[1]).toMatchObject({ images: 10_000, of: null, names: ['testA', 'testB'] });
  });

  it('ranks nothing with a single value', () => {
    expect(bestInColumns([a, c]).testAccuracy).toBeUndefined();
  });

  it('sorts either way with missing values last', () => {
    expect(sortRows([c, b, a], 'testAccuracy', true).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(sortRows([c, a, b], 'testAccuracy', false).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortRows([b, a], 'params', false).map((r) => r.id)).toEqual(['b', 'a']);
  });
});

describe('confusionDifference', () => {
  it('subtracts row shares, so test sets of different sizes compare fairly', () => {
    const diff = confusionDifference(
      [
        [8, 2],
        [1, 9],
      ],
      [
        [18, 2],
        [0, 20],
      ],
    );
    expect(diff?.[0]?.[0]).toBeCloseTo(0.1);
    expect(diff?.[0]?.[1]).toBeCloseTo(-0.1);
    expect(diff?.[1]?.[0]).toBeCloseTo(-0.1);
    expect(diff?.[1]?.[1]).toBeCloseTo(0.1);
  });

  it('refuses matrices of different sizes', () => {
    expect(confusionDifference([[1]], [[1, 0], [0, 1]])).toBeNull();
  });
});

describe('sharedColours', () => {
  it('groups the runs that look alike in the charts, from the eleventh on', () => {
    const look = (name: string, color: string) => ({ name, color });
    expect(sharedColours([look('#1', 'blue'), look('#2', 'red')])).toEqual([]);
    expect(sharedColours([look('#1', 'blue'), look('#2', 'red'), look('#11', 'blue'), look('#12', 'red'), look('#21', 'blue')])).toEqual([
      ['#1', '#11', '#21'],
      ['#2', '#12'],
    ]);
  });
});

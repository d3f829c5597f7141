/**
 * Keras 3's `EarlyStopping` callback (no baseline, from the first epoch): after each epoch it
 * compares the monitored log with the best so far; once that has not improved by more than
 * `minDelta` for `patience` epochs in a row (and never after the first epoch) training stops. With
 * `restoreBestWeights`, the weights of the best epoch are kept aside as it goes, and put back
 * when training ends, early or not. Touches neither the DOM nor `self`.
 */
import * as tf from '@tensorflow/tfjs';
import type { EarlyStopReport, EpochRecord } from './protocol';
import { lowerIsBetter, type EarlyStoppingSpec, type MonitorName } from './spec';

/** An epoch's value of `monitor`; null when the epoch has none (no validation split). */
export function monitoredValue(record: EpochRecord, monitor: MonitorName): number | null {
  switch (monitor) {
    case 'val_loss':
      return record.valLoss;
    case 'val_accuracy':
      return record.valAccuracy;
    case 'loss':
      return record.loss;
    case 'accuracy':
      return record.accuracy;
  }
}

export class EarlyStopping {
  private best: number;
  private bestEpoch = 0;
  private wait = 0;
  private stoppedEpoch: number | null = null;
  private bestWeights: tf.Tensor[] | null = null;

  constructor(
    private readonly spec: EarlyStoppingSpec,
    private readonly model: tf.LayersModel,
  ) {
    this.best = lowerIsBetter(spec.monitor) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Tensors it holds (the best epoch's weights), which a leak count leaves out. */
  get heldTensors(): number {
    return this.bestWeights?.length ?? 0;
  }

  /** Bytes of those tensors. */
  get heldBytes(): number {
    return (this.bestWeights ?? []).reduce((sum, w) => sum + w.size * 4, 0);
  }

  /** After an epoch's history entry: true when training should stop here. */
  afterEpoch(record: EpochRecord): boolean {
    const current = monitoredValue(record, this.spec.monitor);
    if (current === null) return false;
    if (this.spec.restoreBestWeights && this.bestWeights === null) this.keepWeights(record.epoch);
    this.wait++;
    // Keras: monitor_op(current - min_delta, best), the delta's sign turned for a loss.
    const delta = this.spec.minDelta;
    const improved = lowerIsBetter(this.spec.monitor) ? current + delta < this.best : current - delta > this.best;
    if (improved) {
      this.best = current;
      this.bestEpoch = record.epoch;
      if (this.spec.restoreBestWeights) this.keepWeights(record.epoch);
      this.wait = 0;
      return false;
    }
    if (this.wait >= this.spec.patience && record.epoch > 1) {
      this.stoppedEpoch = record.epoch;
      return true;
    }
    return false;
  }

  /**
   * At training's end: puts the best epoch's weights back if asked, frees its copy, and says what
   * it did (null: it never saw a value). A stop at the run's last epoch (`epochs`) cut nothing
   * short: Keras sets `stopped_epoch` then, but the report says it did not stop the run.
   */
  finish(epochs = Number.POSITIVE_INFINITY): EarlyStopReport | null {
    const restored = this.bestWeights !== null;
    if (this.bestWeights) this.model.setWeights(this.bestWeights);
    this.dispose();
    if (this.bestEpoch === 0) return null;
    const stoppedEpoch = this.stoppedEpoch !== null && this.stoppedEpoch < epochs ? this.stoppedEpoch : null;
    const atEnd = this.stoppedEpoch !== null && stoppedEpoch === null;
    return { monitor: this.spec.monitor, patience: this.spec.patience, stoppedEpoch, ...(atEnd ? { stoppedAtEnd: true } : {}), bestEpoch: this.bestEpoch, best: this.best, restored };
  }

  /** Frees the kept weights (finish does; a failed run calls this). */
  dispose(): void {
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = null;
  }

  private keepWeights(epoch: number): void {
    this.dispose();
    this.bestWeights = this.model.getWeights().map((w) => w.clone());
    this.bestEpoch = epoch;
  }
}

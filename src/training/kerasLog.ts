/**
 * What the tf.keras code (pythonCode.ts) prints for a run, line by line, written as Keras 3's
 * Progbar writes it (keras/src/utils/progbar.py, callbacks/progbar_logger.py): `model.fit`
 * at verbose=1, `model.evaluate` at verbose=2, then the code's own prints. Built from what the
 * run recorded, with this browser's times. Pure: no tfjs, no DOM.
 *
 * Keras's rules, as followed here:
 * - "Epoch 3/5" before each epoch, only when fit has more than one epoch;
 * - a step count right-aligned to the target's width ("  563/1688"), then a bar of 20 "━",
 *   the first ⌊20 · step / steps⌋ done;
 * - under way: the epoch's time left ("45s", "2:05", "1:02:05"), then the time per step;
 *   finished: the seconds the epoch took, rounded, then the time per step;
 * - a time per step as "2ms/step", "350us/step" or "1s/step", rounded;
 * - the logs' metrics in sorted order (Keras sorts them: accuracy before loss), the epoch's
 *   validation figures after them and the LearningRateScheduler's rate last; each value
 *   with 4 decimals, or in exponent form ("5.0000e-04") at or under 0.001.
 */
import type { EarlyStopReport, EpochRecord } from './protocol';

/** One printed line: plain text, or a progress bar line. */
export type KerasLogLine =
  | { readonly kind: 'text'; readonly text: string }
  /** `count` ("  563/1688"), the bar's done and left lengths, then `info` (" 2s 3ms/step - accuracy: …"). */
  | { readonly kind: 'bar'; readonly count: string; readonly done: number; readonly left: number; readonly info: string };

/** The bar's length in Keras's Progbar. */
export const PROGBAR_WIDTH = 20;
/** `model.evaluate`'s default batch size: its steps are the test images over this. */
const EVALUATE_BATCH_SIZE = 32;
/** How many test images the code predicts (`x_test[:5]`). */
export const PREDICTED_COUNT = 5;

/**
 * `value` with `digits` decimals as Python's format writes it ("{:.4f}"): an exact tie
 * (0.15625 to 4 places, a running accuracy after 32 images) goes to the even digit, 0.1562,
 * where JavaScript's toFixed rounds it up. Any other value is rounded alike by both.
 */
export function pythonFixed(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  // A tie ends, exactly, in a 5 right after the kept digits (a double's expansion is exact here).
  const exact = Math.abs(value).toFixed(Math.min(100, digits + 40));
  const cut = exact.indexOf('.') + digits + 1;
  if (!/^50*$/.test(exact.slice(cut)) || !Number.isFinite(value)) return rounded;
  const kept = exact.slice(0, digits === 0 ? cut - 1 : cut);
  const even = Number(kept.at(-1)) % 2 === 0;
  const magnitude = even ? kept : (Number(kept) + 10 ** -digits).toFixed(digits);
  return value < 0 ? `-${magnitude}` : magnitude;
}

/**
 * A metric as the Progbar writes it: 4 decimals, or Python's `.4e` at or under 0.001. Keras's
 * logs are float32, so the value is first: a learning rate of 0.001 is 0.0010000000475 there,
 * over 0.001, and prints 0.0010.
 */
export function progbarValue(logged: number): string {
  const value = Math.fround(logged);
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Math.abs(value) > 1e-3) return pythonFixed(value, 4);
  // Python writes the exponent with a sign and at least two digits: 5.0000e-04, 0.0000e+00.
  const [mantissa, exponent = '0'] = value.toExponential(4).split('e');
  const power = Number(exponent);
  return `${mantissa}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
}

/** A time per step as `_format_time` writes it, with its leading space: " 2ms/step". */
export function stepTime(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return ` ${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return ` ${(seconds * 1e3).toFixed(0)}ms/step`;
  return ` ${(seconds * 1e6).toFixed(0)}us/step`;
}

/** The time left in an epoch as the Progbar writes it: "45s", "2:05", "1:02:05" (whole seconds, cut down). */
export function progbarEta(seconds: number): string {
  const whole = Math.floor(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (seconds > 3600) return `${Math.floor(whole / 3600)}:${two(Math.floor((whole % 3600) / 60))}:${two(whole % 60)}`;
  if (seconds > 60) return `${Math.floor(whole / 60)}:${two(whole % 60)}`;
  return `${whole}s`;
}

/** The step count, right-aligned to the target's width: "  563/1688". */
function stepCount(current: number, target: number): string {
  return `${String(current).padStart(String(target).length)}/${target}`;
}

/** " - name: value" for each metric, in order. */
function metricsText(metrics: readonly (readonly [string, number])[]): string {
  return metrics.map(([name, value]) => ` - ${name}: ${progbarValue(value)}`).join('');
}

/** A verbose=1 bar line at `current` of `target` steps. */
function barLine(current: number, target: number, time: string, metrics: readonly (readonly [string, number])[]): KerasLogLine {
  const done = target > 0 ? Math.min(PROGBAR_WIDTH, Math.floor((PROGBAR_WIDTH * current) / target)) : 0;
  return { kind: 'bar', count: stepCount(current, target), done, left: PROGBAR_WIDTH - done, info: `${time}${metricsText(metrics)}` };
}

/** A line as the console shows it. */
export function kerasLogText(line: KerasLogLine): string {
  return line.kind === 'text' ? line.text : `${line.count} ${'━'.repeat(line.done + line.left)}${line.info}`;
}

/** An epoch's history entry, as the log needs it (its time includes the validation pass). */
export type LoggedEpoch = Pick<EpochRecord, 'epoch' | 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy' | 'learningRate' | 'seconds'>;

/** What a run's log is written from. */
export interface KerasLogRun {
  readonly epochs: number;
  readonly batchSize: number;
  /** True when a LearningRateScheduler is in the code (a per-epoch decay): its rate is logged. */
  readonly scheduled: boolean;
  readonly stepsPerEpoch: number;
  readonly history: readonly LoggedEpoch[];
  /**
   * The epoch under way and its step, with the running means; `secondsPerStep` is null where
   * no pace is known (a run restored from storage, where it stopped). Null when no epoch is.
   */
  readonly current: { readonly epoch: number; readonly step: number; readonly loss: number; readonly accuracy: number; readonly secondsPerStep: number | null } | null;
  /** What EarlyStopping (verbose=1) did, once training has ended; null without it. */
  readonly earlyStop: Pick<EarlyStopReport, 'stoppedEpoch' | 'stoppedAtEnd' | 'bestEpoch' | 'restored'> | null;
  /** The test evaluation, once done; `seconds` absent for runs saved before it was timed. */
  readonly evaluation: { readonly loss: number; readonly accuracy: number; readonly count: number; readonly seconds?: number } | null;
  /** The first test images' predicted and true classes (`actual` null when the test labels are not loaded). */
  readonly predicted: readonly number[] | null;
  /** Test image 0's probabilities, one per class (`probabilities[0]`); null before the evaluation. */
  readonly firstProbabilities: readonly number[] | null;
  readonly actual: readonly number[] | null;
}

/** numpy's print of a small integer array, each number right-aligned to the widest: "[7 2 1 0 4]", "[ 3 17  9]". */
export function numpyArray(values: readonly number[]): string {
  const width = Math.max(0, ...values.map((value) => String(value).length));
  return `[${values.map((value) => String(value).padStart(width)).join(' ')}]`;
}

/** numpy's line width, and the indent of a wrapped 1-D array's next lines. */
const NUMPY_LINE_WIDTH = 75;

/**
 * The shortest decimal that reads back as the float32 `value` (numpy's unique repr), with at
 * most 8 digits after the point: in exponent form ("1.1144306e-07": the mantissa's digits and
 * the power) or positional ("0.12").
 */
function float32Digits(value: number, exponent: boolean): { readonly int: string; readonly frac: string; readonly power: number } {
  const format = (digits: number): string => (exponent ? value.toExponential(digits) : value.toFixed(digits));
  let text = format(8);
  for (let digits = 0; digits < 8; digits++) {
    if (Math.fround(Number(format(digits))) === value) {
      text = format(digits);
      break;
    }
  }
  const [mantissa = '0', power = '0'] = text.split('e');
  // Eight digits that still do not read back are rounded, and their trailing zeros go.
  const [int = '0', frac = ''] = mantissa.split('.');
  return { int, frac: frac.replace(/0+$/, ''), power: Number(power) };
}

/**
 * numpy's print of a float32 vector, as `print(probabilities[0])` writes it (numpy's default
 * print options): all in exponent form when any non-zero value is under 0.0001 or the largest
 * is over 1000 times the smallest, each with as many digits as the longest shortest form needs
 * ("[9.9962282e-01 2.9959209e-04 …]"), else positional, each in its shortest form, padded with
 * spaces ("[0.1  0.12 0.08]"); wrapped at 75 characters, the next lines indented one space.
 */
export function numpyFloat32Array(values: ArrayLike<number>): string {
  const numbers = Array.from(values, (value) => Math.fround(value));
  const finite = numbers.filter((value) => Number.isFinite(value));
  const sizes = finite.filter((value) => value !== 0).map((value) => Math.abs(value));
  const exponent = sizes.length > 0 && (Math.max(...sizes) >= 1e8 || Math.min(...sizes) < 1e-4 || Math.max(...sizes) / Math.min(...sizes) > 1e3);
  const digits = new Map(finite.map((value) => [value, float32Digits(value, exponent)]));
  const parts = [...digits.values()];
  const intWidth = Math.max(0, ...parts.map((part) => part.int.length));
  const fracWidth = Math.max(0, ...parts.map((part) => part.frac.length));
  const powerWidth = Math.max(2, ...parts.map((part) => String(Math.abs(part.power)).length));
  const rightWidth = exponent ? fracWidth + 2 + powerWidth : fracWidth;
  const leftWidth = finite.length === numbers.length ? intWidth : Math.max(intWidth, 3 + (numbers.some((value) => value === -Infinity) ? 1 : 0) - (rightWidth + 1));
  const words = numbers.map((value) => {
    const part = digits.get(value);
    if (part === undefined) return (Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf').padStart(leftWidth + rightWidth + 1);
    const int = part.int.padStart(leftWidth);
    if (!exponent) return `${int}.${part.frac.padEnd(fracWidth)}`;
    // As many digits as the longest needs, each value's own (0.3 is 3.0000001e-01 beside 9.9999997e-06).
    const [mantissa = '', power = '0'] = value.toExponential(fracWidth).split('e');
    const [whole = '', frac = ''] = mantissa.split('.');
    return `${whole.padStart(leftWidth)}.${frac}e${Number(power) < 0 ? '-' : '+'}${String(Math.abs(Number(power))).padStart(powerWidth, '0')}`;
  });
  // numpy's _formatArray: a word goes on the next line when it would pass the width less the closing bracket.
  const lines: string[] = [];
  let line = ' ';
  for (const [i, word] of words.entries()) {
    if (line.length + word.length > NUMPY_LINE_WIDTH - 1 && line.length > 1) {
      lines.push(line.trimEnd());
      line = ' ';
    }
    line += i < words.length - 1 ? `${word} ` : word;
  }
  lines.push(line);
  return `[${lines.join('\n').slice(1)}]`;
}

/** The lines `fit`, `evaluate` and the prints after them write for `run`, so far. */
export function kerasLog(run: KerasLogRun): KerasLogLine[] {
  const lines: KerasLogLine[] = [];
  const text = (value: string): void => void lines.push({ kind: 'text', text: value });
  const steps = run.stepsPerEpoch;
  const epochLine = (epoch: number): void => {
    if (run.epochs > 1) text(`Epoch ${epoch}/${run.epochs}`);
  };
  for (const record of run.history) {
    epochLine(record.epoch);
    const metrics: [string, number][] = [
      ['accuracy', record.accuracy],
      ['loss', record.loss],
    ];
    if (record.valAccuracy !== null) metrics.push(['val_accuracy', record.valAccuracy]);
    if (record.valLoss !== null) metrics.push(['val_loss', record.valLoss]);
    if (run.scheduled && record.learningRate !== null) metrics.push(['learning_rate', record.learningRate]);
    lines.push(barLine(steps, steps, ` ${record.seconds.toFixed(0)}s${stepTime(steps > 0 ? record.seconds / steps : 0)}`, metrics));
  }
  const { current } = run;
  if (current && current.epoch > run.history.length) {
    epochLine(current.epoch);
    const pace = current.secondsPerStep;
    const time = pace === null ? '' : ` ${progbarEta(pace * (steps - current.step))}${stepTime(pace)}`;
    lines.push(barLine(current.step, steps, time, [
      ['accuracy', current.accuracy],
      ['loss', current.loss],
    ]));
  }
  const { evaluation } = run;
  if (evaluation === null) return lines;
  // EarlyStopping's on_train_end, at verbose=1.
  const stop = run.earlyStop;
  const lastEpoch = run.history.at(-1)?.epoch;
  if (stop?.stoppedEpoch != null) text(`Epoch ${stop.stoppedEpoch}: early stopping`);
  else if (stop?.stoppedAtEnd === true && lastEpoch !== undefined) text(`Epoch ${lastEpoch}: early stopping`);
  if (stop?.restored === true) text(`Restoring model weights from the end of the best epoch: ${stop.bestEpoch}.`);
  // verbose=2: one line at the end, "313/313 - 1s - 3ms/step - accuracy: 0.9770 - loss: 0.0744".
  const evaluateSteps = Math.ceil(evaluation.count / EVALUATE_BATCH_SIZE);
  const time = evaluation.seconds === undefined ? '' : ` - ${evaluation.seconds.toFixed(0)}s -${stepTime(evaluation.seconds / evaluateSteps)}`;
  text(`${stepCount(evaluateSteps, evaluateSteps)}${time}${metricsText([
    ['accuracy', evaluation.accuracy],
    ['loss', evaluation.loss],
  ])}`);
  // print(f'{test_accuracy:.4f}') of the float32 Keras returns.
  text(`Test accuracy: ${pythonFixed(Math.fround(evaluation.accuracy), 4)}`);
  if (run.predicted !== null && run.firstProbabilities !== null) {
    // print(probabilities.shape), then print(probabilities[0]).
    text(`(${run.predicted.length}, ${run.firstProbabilities.length})`);
    for (const line of numpyFloat32Array(run.firstProbabilities).split('\n')) text(line);
  }
  if (run.predicted !== null) text(`Predicted: ${numpyArray(run.predicted)}`);
  if (run.actual !== null) text(`Actual:    ${numpyArray(run.actual)}`);
  return lines;
}

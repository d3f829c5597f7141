/** Train, pause/resume and stop; progress through the epoch and the run; the backend in use. */
import { useEffect, useRef, useState, type ButtonHTMLAttributes, type MouseEvent, type RefObject } from 'react';
import type { BackendPreference } from '../training/protocol';
import { earlyStopWords, isActiveRun, useAppStore, type Run } from '../store';
import { batchNormLagWords, epochsTrained, isEvaluating, lastStep, runFraction, runPercent, secondsLeftOf, testGapWords, trainedTo } from '../store/series';
import { fieldControl, SelectField } from './fields';
import { TrainEstimate } from './TrainEstimate';
import { backendWords, counted, duration, grouped } from './words';
import { useFocusFallback } from './useFocusFallback';
import { usePanelShown } from './Tabs';
import { progbarValue } from '../training/kerasLog';

const BACKENDS = {
  auto: 'Automatic',
  webgl: 'WebGL (GPU)',
  wasm: 'WASM (CPU, SIMD)',
  cpu: 'CPU (plain JavaScript)',
} as const satisfies Record<BackendPreference, string>;

/** The backend badge: name, renderer, and whether a GPU is really doing the work. */
export function BackendBadge({ run, queued }: { readonly run: Run; readonly queued: boolean }) {
  const { backend } = run;
  // A run that ended before the worker took it up (failed, or stopped while waiting) has no backend to name.
  if (!backend) return isActiveRun(run) ? <p className="backend">Backend: {queued ? 'chosen when it starts' : 'starting…'}</p> : null;
  const name = backendWords(backend.name);
  return (
    <p className="backend" data-testid="backend">
      Backend: <strong>{name}</strong>
      {backend.renderer !== null && <span> on {backend.renderer}</span>}
      {backend.software && <span className="warning-text"> — a software renderer: no GPU is used, so training is slower.</span>}
      {backend.autoReason !== null && <span> Chosen automatically: {backend.autoReason}</span>}
      {backend.fallbackReason !== null && <span className="warning-text"> Fell back: {backend.fallbackReason}</span>}
    </p>
  );
}

/**
 * Pause or Resume, for a run that is training or paused (not one waiting, or stopping);
 * `named` puts the run's name in the label, for a list of runs. The rest goes on the button
 * (focus handlers; the floating copy's tabIndex and mouse-down).
 */
export function PauseResumeButton({ run, named = false, ...button }: { readonly run: Run; readonly named?: boolean } & Pick<ButtonHTMLAttributes<HTMLButtonElement>, 'onFocus' | 'onBlur' | 'tabIndex' | 'onMouseDown'>) {
  const pauseRun = useAppStore((state) => state.pauseRun);
  const resumeRun = useAppStore((state) => state.resumeRun);
  if ((run.status !== 'running' && run.status !== 'paused') || run.stopping) return null;
  const paused = run.status === 'paused';
  return (
    <button type="button" {...button} onClick={() => (paused ? resumeRun(run.id) : pauseRun(run.id))}>
      {paused ? 'Resume' : 'Pause'}
      {named ? ` ${run.name}` : ''}
    </button>
  );
}

/**
 * How a run ended short of its plan, after its percentage: "Run 41%" alone read as a run
 * still under way, or as 41% of its epochs trained (the test pass counts as work).
 */
function runEndWords(run: Run): string {
  if (run.earlyStop?.stoppedEpoch != null) return ' · ended early';
  if (run.status !== 'stopped') return '';
  const to = trainedTo(run);
  return to.kind === 'before-training' ? ' · stopped before training' : ` · stopped ${to.kind === 'in-epoch' ? 'in' : 'after'} epoch ${to.epoch}`;
}

/** The controls' element id: "Skip to Train" moves focus there. */
export const TRAINING_CONTROLS_ID = 'training-controls';

/** Focuses Train, or the controls when Train is disabled (a model with an error): the keyboard's way past the builder's fields. */
export function focusTrain(): void {
  const controls = document.getElementById(TRAINING_CONTROLS_ID);
  const train = controls?.querySelector<HTMLButtonElement>('button.primary');
  (train && !train.disabled ? train : controls)?.focus();
}

/** Why Train is off: the model's first error, with the builder field it is about (`field` of layer `layer`, null: of the model), or no dataset. */
export interface TrainBlocker {
  readonly message: string;
  readonly field: string | null;
  readonly layer: number | null;
}

/** Focuses the builder field a blocker is about. */
function goToField({ field, layer }: TrainBlocker): void {
  // An error in how a layer fits its input is about the whole layer, and a field with no control of its own (a layer's unknown type) too: its title.
  const control = field === null ? null : fieldControl(document, field, layer);
  (control ?? (layer === null ? null : document.querySelector<HTMLElement>(`[data-layer-title="${layer}"]`)))?.focus();
}

/** Whether `element` is on screen, as an IntersectionObserver reports it (true until it has; true where there is none). */
function useInView(element: RefObject<HTMLElement | null>): boolean {
  const [inView, setInView] = useState(true);
  useEffect(() => {
    const target = element.current;
    if (!target || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => setInView(entries.at(-1)?.isIntersecting ?? true));
    observer.observe(target);
    return () => observer.disconnect();
  }, [element]);
  return inView;
}

/**
 * A copy of Pause (or Resume) and Stop, with where the run is, fixed at the window's foot while
 * the controls are scrolled out of sight: at 1280×800 the curves start below the fold, and a
 * mouse user watching them had to scroll back up to pause. For the pointer only: hidden from
 * assistive technology and out of the Tab order (the controls above are the ones to reach),
 * and a click does not take the focus.
 */
function FloatingControls({ run, words }: { readonly run: Run; readonly words: string }) {
  // Room at the page's foot while it is shown, so that it covers neither the page's last lines nor an element scrolled to the bottom edge.
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('has-floating-controls');
    return () => root.classList.remove('has-floating-controls');
  }, []);
  const stopRun = useAppStore((state) => state.stopRun);
  const keepFocus = (event: MouseEvent): void => event.preventDefault();
  return (
    <div className="floating-controls" aria-hidden="true" data-testid="floating-controls">
      <span>{words}</span>
      <PauseResumeButton run={run} tabIndex={-1} onMouseDown={keepFocus} />
      <button type="button" tabIndex={-1} onMouseDown={keepFocus} onClick={() => stopRun(run.id)}>
        Stop
      </button>
    </div>
  );
}

/**
 * Which epoch the running figures are of (this one, the last one, or one the run stopped in the
 * middle of), and its speed: an epoch that ended shows its history's, taken at its end.
 */
function runningFigures(active: boolean, progress: NonNullable<Run['progress']>, epochs: Run['epochs']): { readonly words: string; readonly samplesPerSecond: number } {
  const { samplesPerSecond } = progress;
  if (active) return { words: 'running mean of this epoch', samplesPerSecond };
  if (progress.epoch > epochs.length) return { words: `running mean of epoch ${progress.epoch} until it stopped, at step ${progress.batch}/${progress.batches}`, samplesPerSecond };
  return { words: 'running mean of its last epoch', samplesPerSecond: epochs.at(-1)?.samplesPerSecond ?? samplesPerSecond };
}

/** `blocker`: why Train is off, said beside it (the error may be far up the builder); null when it is on. */
export function TrainingControls({ run, blocker }: { readonly run: Run | null; readonly blocker: TrainBlocker | null }) {
  const canTrain = blocker === null;
  const startTraining = useAppStore((state) => state.startTraining);
  const stopRun = useAppStore((state) => state.stopRun);
  const backend = useAppStore((state) => state.backendPreference);
  const setBackend = useAppStore((state) => state.setBackendPreference);
  const active = run !== null && isActiveRun(run);
  const progress = run?.progress ?? null;
  // Where the run got to: live, or for a run restored from storage, its last recorded batch.
  const step = progress ?? (run === null ? null : lastStep(run.batches, run.batchesPerEpoch));
  const epochsDone = run?.epochs.length ?? 0;
  const epochs = run?.spec.fit.epochs ?? 1;
  const fraction = run === null ? 0 : runFraction(run);
  const batchNormLag = run === null ? null : batchNormLagWords(run);
  const testGap = run === null ? null : testGapWords(run);
  const evaluating = run !== null && active && isEvaluating(run);
  const pass = run?.pass ?? null;
  const testPass = pass?.pass === 'test' ? ` (${grouped(pass.done)} of ${counted(pass.total, 'image')})` : '';
  // The first bar follows the epoch's steps, then its validation pass, then the test set's.
  const passBar = pass !== null && (pass.pass === 'test' || step !== null) ? pass : null;
  const etaSeconds = run === null ? Number.NaN : secondsLeftOf(run);
  const figures = run === null || progress === null ? null : runningFigures(active, progress, run.epochs);
  // Stop asked, and the worker still evaluating what was trained: the run is ending, not paused or training.
  const stopping = run?.stopping === true;
  // A run waiting for the runs queued before it to finish, rather than starting: the first of
  // them, null when none. Only a paused one is kept (it waits until that is resumed or
  // stopped), so that a run training before it does not redraw these controls at every batch.
  const waitingFor = useAppStore((state): Run | 'running' | null => {
    if (run?.status !== 'starting') return null;
    const at = state.runOrder.indexOf(run.id);
    const first = state.runOrder
      .slice(0, at)
      .map((id) => state.runs[id])
      .find((before): before is Run => before !== undefined && isActiveRun(before));
    return first === undefined ? null : first.status === 'paused' ? first : 'running';
  });
  const queued = waitingFor !== null;
  const pausedBefore = typeof waitingFor === 'object' ? waitingFor : null;
  const waitingWords = pausedBefore ? `, waiting: ${pausedBefore.name} is paused before it` : ', waiting for the runs before it';
  const epochWords =
    passBar?.pass === 'test'
      ? `Test set: ${grouped(passBar.done)} of ${counted(passBar.total, 'image')}`
      : passBar && step
      ? `Epoch ${step.epoch}/${epochs}, validating: ${grouped(passBar.done)} of ${counted(passBar.total, 'image')}`
      : step
      ? `Epoch ${step.epoch}/${epochs}, step ${step.batch}/${step.batches}`
      : run?.status === 'failed' && epochsDone === 0
      ? `Failed before training (0 of ${counted(epochs, 'epoch')})`
      : `Epoch ${epochsDone}/${epochs}${queued ? waitingWords : active ? ', starting' : ''}`;
  // Whether the buttons' row is on screen: scrolled down to the curves, a mouse user gets a copy of Pause and Stop.
  const buttonsRow = useRef<HTMLDivElement>(null);
  const buttonsInView = useInView(buttonsRow);
  const shown = usePanelShown();
  // Pause, Resume and Stop go when the run ends: a keyboard user's focus moves to Train, not
  // back to the top of the page.
  const train = useRef<HTMLButtonElement>(null);
  const runButtonFocus = useFocusFallback(active, train);
  // "Resume <name>" goes once that run resumes: its focus goes to Train too.
  const resumeBeforeFocus = useFocusFallback(pausedBefore !== null, train);
  return (
    <section id={TRAINING_CONTROLS_ID} tabIndex={-1} className="training-controls" aria-label="Training controls">
      <div className="buttons" ref={buttonsRow}>
        <button ref={train} type="button" className="primary" disabled={!canTrain} aria-describedby={canTrain ? undefined : 'train-blocked'} onClick={startTraining}>
          Train
        </button>
        {run && <PauseResumeButton run={run} {...runButtonFocus} />}
        {run && active && !stopping && (
          <button
            type="button"
            {...runButtonFocus}
            onClick={() => {
              stopRun(run.id);
              train.current?.focus();
            }}
          >
            Stop
          </button>
        )}
        <SelectField<BackendPreference> label="Backend" value={backend} options={BACKENDS} onChange={setBackend} />
      </div>
      {canTrain && <TrainEstimate />}
      {blocker !== null && (
        <p className="warning-text">
          {/* Train's description is why it is off, not "Go to it" after it. */}
          <span id="train-blocked">Train is off: {blocker.message}</span>{' '}
          {(blocker.field !== null || blocker.layer !== null) && (
            <button type="button" className="link-button" onClick={() => goToField(blocker)}>
              Go to it
            </button>
          )}
        </p>
      )}
      {run && (
        <div className="progress-block">
          <p>
            <strong>{run.name}</strong> on {run.datasetName}: <span data-testid="run-status">{queued ? 'waiting' : stopping ? 'stopping' : run.status}</span>
            {run.trainCount > 0 && (
              <span className="muted">
                {' '}
                · {counted(run.trainCount, 'training image')}{run.validationCount === 0 ? '' : run.spec.fit.validationData === 'test' ? `, validated on the ${grouped(run.validationCount)} test images` : `, ${grouped(run.validationCount)} for validation`}
              </span>
            )}
          </p>
          <div className="progress-row">
            <label htmlFor="epoch-progress">{epochWords}</label>
            {passBar ? (
              <progress id="epoch-progress" max={passBar.total} value={passBar.done} />
            ) : (
              <progress id="epoch-progress" max={step?.batches ?? 1} value={step?.batch ?? (epochsDone > 0 ? 1 : 0)} />
            )}
          </div>
          {/* Resumed from here: the paused run it waits for is no longer on the dashboard. */}
          {pausedBefore && (
            <p>
              <PauseResumeButton run={pausedBefore} named {...resumeBeforeFocus} />
            </p>
          )}
          <div className="progress-row">
            <label htmlFor="run-progress">
              Run {runPercent(run)}%{runEndWords(run)}
            </label>
            <progress id="run-progress" max={1} value={fraction} />
          </div>
          {figures && progress && (
            <p className="muted" data-testid="running-metrics">
              Training ({figures.words}): loss {progbarValue(progress.loss)} · accuracy {progbarValue(progress.accuracy)} · {Math.round(figures.samplesPerSecond)} samples/s
              {run.status === 'running' && !stopping ? ` · ETA ${duration(etaSeconds)}` : ''}
            </p>
          )}
          {(evaluating || (stopping && progress !== null)) && (
            <p className="muted" data-testid="evaluating">
              {stopping && pass?.pass === 'validation'
                ? `Stopping: epoch ${step?.epoch ?? epochsDone + 1} was trained to its end, so it is validated first (as Keras does), then the test set is evaluated…`
                : stopping
                ? `Stopping: evaluating ${run.spec.fit.earlyStopping?.restoreBestWeights && epochsDone > 0 ? "the best epoch's weights (EarlyStopping restores them)" : 'the model as trained so far'} on the test set${testPass}…`
                : run.status === 'paused'
                ? `Training done; paused while evaluating on the test set${testPass}. Resume to finish.`
                : `Training done: evaluating on the test set${testPass}…`}
            </p>
          )}
          <BackendBadge run={run} queued={queued} />
          {active && !stopping && shown && !buttonsInView && <FloatingControls run={run} words={`${epochWords} · Run ${runPercent(run)}%`} />}
          {run.error && (
            // Read out as it happens; a failed run restored from an earlier visit is not news.
            <p className="error" role={run.restored ? undefined : 'alert'}>
              {run.error.message}
            </p>
          )}
          {run.evaluation && (
            <p className="test-result" data-testid="test-accuracy">
              Test accuracy: {(run.evaluation.accuracy * 100).toFixed(2)}% · test loss {progbarValue(run.evaluation.loss)} ({counted(run.evaluation.count, 'test image')})
            </p>
          )}
          {batchNormLag && (
            <p className="note" data-testid="batch-norm-lag">
              {batchNormLag}
            </p>
          )}
          {testGap && (
            <p className="muted" data-testid="test-gap">
              {testGap}
            </p>
          )}
          {run.earlyStop && (
            <p className="muted" data-testid="early-stop">
              {earlyStopWords(run.earlyStop, epochs, epochsTrained(run), run.spec.fit.earlyStopping?.minDelta)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

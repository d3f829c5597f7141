/**
 * Draw to classify: the pad, the 28×28 image the model actually receives, and the model's
 * probabilities for every class, updated as you draw. A keyboard user picks a test image
 * instead; a dropped PNG or JPEG goes through the same pipeline as a drawing.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { hasDrawingModel, modelStage, runImageSize, selectActiveDataset, selectDrawingRunId, selectNewestDrawingRunId, useAppStore, type AppState, type Run, type RunStatus } from '../store';
import { BUILTIN_DATASETS, drawingLayoutOf, isBuiltinDatasetId, USER_DRAWING_HINT } from '../data/datasets';
import { smallDrawingWords } from '../data/drawing';
import { IMAGE_HEAD_BYTES, imageFileProblem } from '../data/imageFile';
import { DigitImage } from './DigitImage';
import { usePanelShown } from './Tabs';
import { useRunWords } from './useRunWords';
import { useSettledValue } from './useThrottledValue';
import { DrawingPad, type PadChange, type PadImage } from './DrawingPad';
import type { PredictImage } from '../training/protocol';
import { grouped, probability, probabilityWords } from './words';
import { predictOneSession } from '../training/pythonCode';
import { messageOf } from '../data/errors';

/** Largest side a dropped photo is reduced to before it is sent to the worker. */
const MAX_PHOTO_SIDE = 512;

/** The browser could not decode a file as an image (its own message says no more than that). */
class UndecodableImage extends Error {}

async function imageFilePixels(file: File): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const bitmap = await createImageBitmap(file).catch((error: unknown) => {
    throw new UndecodableImage(messageOf(error));
  });
  const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot read images');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { rgba: context.getImageData(0, 0, width, height).data, width, height };
}

/** The image the answer on show is about: another model chosen is asked about the same one. */
type Shown = { readonly kind: 'drawing' } | { readonly kind: 'file'; readonly image: PadImage; readonly name: string } | { readonly kind: 'test'; readonly index: number };

/** The median shows once there are this many answers: of two, the first (which loads the model) weighs half. */
const MEDIAN_AFTER = 5;
/** How long an answer must stay the same before a screen reader is told it: a stroke changes it 5-10 times a second. */
const ANSWER_QUIET_MS = 700;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** What a run's model learnt from: its name, dataset, classes and image size (unknown where neither its record nor its dataset says). */
function modelOf(state: AppState, runId: string | null) {
  const run = runId === null ? undefined : state.runs[runId];
  if (!run) return null;
  const imageSize = runImageSize(state, run);
  return { name: run.name, datasetId: run.datasetId, datasetName: run.datasetName, classNames: run.classNames, height: imageSize?.height, width: imageSize?.width, probabilityWords: probabilityWords(run.spec), spec: run.spec };
}

/** What the model menu shows of a run. */
const menuEntry = (run: Run) => ({
  name: run.name,
  status: run.status,
  datasetName: run.datasetName,
  model: hasDrawingModel(run) ? ('model' as const) : run.modelLost === true ? ('lost' as const) : ('none' as const),
});

/** A run in the model menu: its status, and why it cannot classify when it has no model. */
function modelMenuWords(run: { readonly status: RunStatus; readonly model: 'model' | 'lost' | 'none' }): string {
  if (run.model === 'model') return run.status;
  if (run.model === 'lost') return `${run.status}, model lost`;
  if (run.status === 'starting') return 'waiting, no model yet';
  return run.status === 'stopped' ? 'stopped before training, no model' : `${run.status}, no model`;
}

export function DrawPanel() {
  const dataset = useAppStore(selectActiveDataset);
  const classify = useAppStore((state) => state.classify);
  const classifyDrawing = useAppStore((state) => state.classifyDrawing);
  const clearPrediction = useAppStore((state) => state.clearPrediction);
  const prediction = useAppStore((state) => state.prediction);
  const roundTrips = useAppStore((state) => state.roundTrips);
  const runId = useAppStore(selectDrawingRunId);
  const newestId = useAppStore(selectNewestDrawingRunId);
  const chosen = useAppStore((state) => state.drawingRunId);
  const setDrawingRun = useAppStore((state) => state.setDrawingRun);
  const runs = useRunWords(menuEntry);
  // What the classifying model learnt from: its dataset, classes and image size, not the Data tab's.
  const model = useAppStore(useShallow((state) => modelOf(state, runId)));
  // Test images come from the model's dataset, and only while the page holds it.
  const testDataset = useAppStore((state) => (model ? (state.datasets[model.datasetId]?.dataset ?? null) : selectActiveDataset(state)));
  // The answer shown came from the model that was asked, which may not be the one chosen now.
  const answeredBy = useAppStore(useShallow((state) => modelOf(state, prediction?.runId ?? null)));
  const [testIndexText, setTestIndexText] = useState('0');
  // The test image last asked about, its label, and the request whose answer is about it: null once a drawing or a file is classified.
  const [askedTest, setAskedTest] = useState<{ readonly index: number; readonly label: number; readonly requestId: number } | null>(null);
  // The image file last asked about and the request whose answer is about it: the answer names it, since the pad may still hold a drawing.
  const [askedFile, setAskedFile] = useState<{ readonly name: string; readonly requestId: number } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [empty, setEmpty] = useState(true);
  const shown = useRef<Shown | null>(null);
  /** Reads the pad's drawing; null while the pad is empty. */
  const readPad = useRef<(() => PredictImage | null) | null>(null);
  const selectId = useId();
  const testId = useId();

  const height = model?.height ?? dataset?.train.height ?? 28;
  const width = model?.width ?? dataset?.train.width ?? 28;
  const size = useMemo(() => ({ height, width }), [height, width]);
  const onPadChange = useCallback(
    ({ empty, read }: PadChange) => {
      setEmpty(empty);
      setAskedTest(null);
      setAskedFile(null);
      if (empty) {
        shown.current = null;
        readPad.current = null;
        clearPrediction();
        return;
      }
      const readDrawing = (): PredictImage | null => {
        const image = read();
        return image && { kind: 'rgba', ...image };
      };
      shown.current = { kind: 'drawing' };
      readPad.current = readDrawing;
      classifyDrawing(readDrawing, size);
    },
    [classifyDrawing, clearPrediction, size],
  );

  const classifyFile = (file: File | undefined): void => {
    if (!file) return;
    setFileError(null);
    imageFilePixels(file).then(
      (image) => {
        setEmpty(false);
        setAskedTest(null);
        shown.current = { kind: 'file', image, name: file.name };
        // Until its answer comes, no earlier answer stands beside the file's name.
        clearPrediction();
        // A copy: the worker takes the buffer it is sent, and another model may be asked about this image.
        setAskedFile({ name: file.name, requestId: classify({ kind: 'rgba', ...image, rgba: image.rgba.slice() }, size) });
      },
      (error: unknown) => {
        if (!(error instanceof UndecodableImage)) {
          setFileError(`${file.name} could not be read as an image: ${messageOf(error)}`);
          return;
        }
        // The browser says the same of every file it cannot decode: its size and first bytes say more.
        file
          .slice(0, IMAGE_HEAD_BYTES)
          .arrayBuffer()
          .then((head) => setFileError(`${file.name} could not be read as an image: ${imageFileProblem(new Uint8Array(head), file.size)}.`))
          .catch(() => setFileError(`${file.name} could not be read as an image: ${messageOf(error)}`));
      },
    );
  };

  const testFits = testDataset !== null && testDataset.test.height === height && testDataset.test.width === width;
  const testCount = testDataset?.test.count ?? 0;
  const testIndex = testIndexText.trim() === '' ? NaN : Number(testIndexText);
  const testIndexValid = Number.isInteger(testIndex) && testIndex >= 0 && testIndex < testCount;
  const rangeError = testDataset !== null && !testIndexValid;
  const classifyTest = useCallback(
    (index: number): void => {
      if (!testDataset || !testFits) return;
      const { test } = testDataset;
      const pixels = new Float32Array(test.height * test.width);
      const offset = index * pixels.length;
      for (let i = 0; i < pixels.length; i++) pixels[i] = (test.images[offset + i] ?? 0) / 255;
      setEmpty(false);
      setAskedFile(null);
      shown.current = { kind: 'test', index };
      const requestId = classify({ kind: 'pixels', pixels }, size);
      setAskedTest({ index, label: test.labels[index] ?? 0, requestId });
    },
    [testDataset, testFits, classify, size],
  );
  const classifyTestImage = (): void => {
    if (testIndexValid) classifyTest(testIndex);
  };

  // Another model chosen (or a newer run, for "Newest run") answers about the image on show,
  // so that no answer stays under the name of a model that did not give it; so does the same
  // model after each epoch and when its training ends, since its weights have changed.
  const stage = useAppStore((state) => {
    const at = modelStage(state, runId);
    return at === null || at === 'ended' ? at : `${at.epochsDone} of ${at.epochs}`;
  });
  const askedModel = useRef(`${runId} ${stage}`);
  useEffect(() => {
    const asked = `${runId} ${stage}`;
    if (askedModel.current === asked) return;
    askedModel.current = asked;
    const last = shown.current;
    if (last === null) return;
    if (last.kind === 'file') setAskedFile({ name: last.name, requestId: classify({ kind: 'rgba', ...last.image, rgba: last.image.rgba.slice() }, size) });
    else if (last.kind === 'test' && testFits && last.index < testCount) classifyTest(last.index);
    // A drawing, or a test image the new model's dataset does not hold here: the pad's drawing, if any.
    else if (readPad.current) {
      const read = readPad.current;
      shown.current = { kind: 'drawing' };
      setAskedTest(null);
      setAskedFile(null);
      classifyDrawing(read, size);
    } else {
      shown.current = null;
      setAskedTest(null);
      setAskedFile(null);
      setEmpty(true);
      clearPrediction();
    }
  }, [runId, stage, size, testFits, testCount, classify, classifyDrawing, classifyTest, clearPrediction]);

  const names = answeredBy?.classNames ?? model?.classNames ?? dataset?.classNames ?? [];
  const inputHeight = answeredBy?.height ?? size.height;
  const inputWidth = answeredBy?.width ?? size.width;
  const otherDataset = model !== null && dataset !== null && model.datasetId !== dataset.id;
  const probabilities = prediction?.probabilities ?? null;
  const top = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
  // Said only beside the answer to that image, not beside the one before it while it comes.
  const shownTest = askedTest !== null && prediction?.requestId === askedTest.requestId ? askedTest : null;
  const shownFile = askedFile !== null && prediction?.requestId === askedFile.requestId ? askedFile : null;
  const newest = runs.find((run) => run.id === newestId);
  // What to draw, for the model that answers (or the dataset in use, before there is one).
  const hintDatasetId = model?.datasetId ?? dataset?.id ?? null;
  const drawingHint = hintDatasetId !== null && isBuiltinDatasetId(hintDatasetId) ? BUILTIN_DATASETS[hintDatasetId].drawingHint : USER_DRAWING_HINT;
  const shownPanel = usePanelShown();
  const answerText = empty
    ? 'The pad is empty: draw something to classify.'
    : !prediction
      ? 'Asking the model…'
      : probabilities
        ? `Prediction${shownFile === null ? '' : ` for ${shownFile.name}`}: ${names[top] ?? top} (${probability(probabilities[top] ?? 0)})${shownTest === null ? '' : `. Test image #${shownTest.index} is labelled ${names[shownTest.label] ?? shownTest.label}: ${shownTest.label === top ? 'right' : 'wrong'}.`}`
        : `${shownFile === null ? '' : `${shownFile.name}: `}${prediction.note ?? ''}`;
  const settledAnswer = useSettledValue(shownPanel ? answerText : '', ANSWER_QUIET_MS);
  // A drawing on the pad (not a file, whose pen is not the pad's, nor a test image) drawn small.
  const smallDrawing =
    probabilities && !empty && shownFile === null && shownTest === null && askedFile === null && prediction?.inkSpan != null
      ? smallDrawingWords(prediction.inkSpan, drawingLayoutOf(answeredBy?.datasetId ?? hintDatasetId ?? ''), inputHeight, names.length)
      : null;

  return (
    <section className="panel draw-panel" aria-labelledby="draw-heading">
      <h2 id="draw-heading">Draw to classify</h2>
      <div className="draw-layout">
        {/* Dropping an image is a pointer shortcut; the file input below does the same for everyone. */}
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
        <div
          onDragOver={(event: DragEvent<HTMLDivElement>) => event.preventDefault()}
          onDrop={(event: DragEvent<HTMLDivElement>) => {
            event.preventDefault();
            classifyFile(event.dataTransfer.files[0]);
          }}
          role="group"
          aria-label="Draw, or drop an image to classify"
        >
          <DrawingPad onChange={onPadChange} />
          <p className="muted draw-hint" data-testid="draw-hint">
            {drawingHint}
          </p>
          <label className="file-button">
            Classify an image file…
            <input type="file" accept="image/png,image/jpeg" onChange={(event) => classifyFile(event.target.files?.[0])} />
          </label>
          {fileError && (
            <p className="error" role="alert">
              {fileError}
            </p>
          )}
          {/* A form, so that Enter in the number field classifies, as it does in any form. */}
          <form
            className="test-pick"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              classifyTestImage();
            }}
          >
            <label htmlFor={testId}>Or classify test image #</label>
            <input
              id={testId}
              type="number"
              min={0}
              max={Math.max(0, testCount - 1)}
              step={1}
              value={testIndexText}
              onChange={(event) => setTestIndexText(event.target.value)}
              aria-invalid={rangeError}
              aria-describedby={`${testId}-of${rangeError ? ` ${testId}-error` : ''}`}
            />
            <span id={`${testId}-of`} className="muted">
              {testDataset
                ? `of ${testDataset.name}'s ${grouped(testDataset.test.count)}`
                : model
                  ? `(load ${model.datasetName} on the Data tab for the test images ${model.name} learnt from)`
                  : ''}
            </span>
            <button type="submit" disabled={!testFits || !testIndexValid}>
              Classify test image
            </button>
            {rangeError && (
              <p className="error" id={`${testId}-error`}>
                Test images are numbered from 0 to {grouped(testCount - 1)}: enter a whole number in that range.
              </p>
            )}
          </form>
        </div>

        <div className="draw-result">
          <div className="field">
            <label htmlFor={selectId}>Model</label>
            <select id={selectId} value={chosen !== null && chosen === runId ? chosen : ''} onChange={(event) => setDrawingRun(event.target.value === '' ? null : event.target.value)}>
              <option value="">Newest run{newest ? ` (${newest.name})` : ''}</option>
              {/* A run without a model (failed, waiting to start, or lost with a restarted worker) is listed, not offered. */}
              {runs.map((run) => (
                <option key={run.id} value={run.id} disabled={run.model !== 'model'}>
                  {run.name} ({run.datasetName}) — {modelMenuWords(run)}
                </option>
              ))}
            </select>
          </div>
          {otherDataset && (
            <p className="note" data-testid="other-dataset">
              {model.name} was trained on {model.datasetName}, not on {dataset.name}: it answers with {model.datasetName}&apos;s classes.
            </p>
          )}
          {/* Dimmed while the answer is about the drawing as it was (a slow answer, a model in training): the next one is on its way. */}
          <div className="answer" data-behind={prediction?.behind === true && !empty}>
            <figure className="model-input">
              <figcaption>What the model sees ({inputHeight}×{inputWidth})</figcaption>
              {prediction?.input ? (
                <DigitImage pixels={prediction.input} width={inputWidth} height={inputHeight} size={140} label={`The ${inputHeight}×${inputWidth} image the model receives`} />
              ) : (
                <div className="empty-input" aria-hidden="true" />
              )}
            </figure>
            {/* Not live itself: it changes with every answer while a stroke is drawn. The line below reads the answer it settles on. */}
            <output className="prediction" aria-live="off" data-testid="prediction">
              {answerText}
            </output>
          </div>
          <p className="sr-only" aria-live="polite">
            {settledAnswer}
          </p>
          {probabilities && !empty && prediction?.training && (
            <p className="muted" data-testid="model-stage">
              {answeredBy?.name ?? 'The model'} is still training (epoch {Math.min(prediction.training.epochsDone + 1, prediction.training.epochs)} of {prediction.training.epochs} when asked): this answer
              comes from the weights it had then, and is asked again after each epoch.
            </p>
          )}
          {smallDrawing !== null && (
            <p className="note" data-testid="small-drawing">
              {smallDrawing}
            </p>
          )}
          {probabilities && !empty && (
            <>
              <ol className="bars big" aria-label="Class probabilities">
                {names.map((name, c) => {
                  const p = probabilities[c] ?? 0;
                  return (
                    <li key={name} data-probability={p} className={c === top ? 'top' : undefined}>
                      <span className="bar-label">{name}</span>
                      <span className="bar" style={{ width: `${Math.max(0.5, p * 100)}%` }} aria-hidden="true" />
                      <span className="bar-value">{probability(p)}</span>
                    </li>
                  );
                })}
              </ol>
              {answeredBy && (
                <>
                  <p className="muted" data-testid="probability-words">
                    {answeredBy.probabilityWords}
                  </p>
                  <details className="predict-python">
                    <summary>The same in Python: model.predict on a batch of one</summary>
                    {/* A scrolling region must take keyboard focus so it can be scrolled without a mouse. */}
                    <pre className="scroll-x" data-testid="predict-python" role="region" tabIndex={0} aria-label="model.predict in a Python console">
                      {predictOneSession(answeredBy.spec, { height: inputHeight, width: inputWidth }, shownTest?.index ?? null, probabilities)}
                    </pre>
                  </details>
                </>
              )}
              <p className="muted" data-testid="latency">
                Answered in {prediction?.roundTripMs.toFixed(1)} ms (worker {prediction?.workerMs.toFixed(1)} ms)
                {roundTrips.length >= MEDIAN_AFTER ? `; median of the last ${roundTrips.length}: ${median(roundTrips).toFixed(1)} ms` : ''}
              </p>
            </>
          )}
        </div>
      </div>
    </section>
  );
}

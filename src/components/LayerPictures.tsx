/**
 * "First layer": the weights of the run's first Dense or Conv2D layer as pictures, asked
 * for again after each epoch and when the run ends, so that a person watches random noise
 * turn into stroke detectors and templates of each class as the model learns.
 */
import { useEffect, useRef } from 'react';
import { MODEL_LOST, useAppStore, type Run } from '../store';
import type { LayerPictures as Pictures } from '../training/protocol';
import { counted } from './words';
import { paintPictures } from './weightPixels';

/** Pictures to a row: Dense(128) makes 8 rows of 16; 32 filters make 2 rows. */
const COLUMNS = 16;

function PictureCanvas({ pictures, label }: { readonly pictures: Pictures; readonly label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { layer, values } = pictures;
  const columns = Math.min(COLUMNS, layer.count);
  useEffect(() => {
    const grid = paintPictures(values, layer.count, layer.height, layer.width, columns);
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    element.width = grid.width;
    element.height = grid.height;
    context.putImageData(new ImageData(grid.rgba, grid.width, grid.height), 0, 0);
  }, [values, layer, columns]);
  // Each picture at least 48 CSS pixels wide, the grid no wider than its column.
  const maxWidth = `${columns * Math.max(48, layer.width * 2)}px`;
  return (
    <div className="layer-pictures" role="img" aria-label={label} style={{ maxWidth }} data-testid="layer-pictures">
      <canvas ref={canvas} aria-hidden="true" />
    </div>
  );
}

/** When the weights shown were read, in words. */
function stageWords(run: Run, epochsDone: number, ended: boolean): string {
  const restored = ended && run.earlyStop?.restored === true ? `, then epoch ${run.earlyStop.bestEpoch}'s weights restored by EarlyStopping` : '';
  if (epochsDone === 0) return ended ? 'stopped before its first epoch ended' : 'as initialised, before any training';
  return `after epoch ${epochsDone} of ${run.spec.fit.epochs}${restored}`;
}

export function LayerPictures({ run }: { readonly run: Run | null }) {
  const request = useAppStore((state) => state.requestLayerPictures);
  const shown = useAppStore((state) => state.layerPictures);
  const runId = run?.id ?? null;
  const epochsDone = run?.epochs.length ?? 0;
  // A run in the queue has no model yet; from its start, its weights are asked for at each epoch's end and once it ends.
  const stage = run === null || run.modelLost === true ? null : run.status === 'starting' ? null : run.status === 'running' || run.status === 'paused' ? 'training' : 'ended';
  useEffect(() => {
    if (runId !== null && stage !== null) request(runId);
  }, [request, runId, epochsDone, stage]);
  if (run === null) return <p>Train a model to see what its first layer learns.</p>;
  if (run.modelLost === true) return <p className="note">No pictures: {MODEL_LOST}.</p>;
  const current = shown?.runId === run.id ? shown : null;
  if (current === null) return <p>{stage === null ? 'This run has not started yet.' : 'Reading the weights…'}</p>;
  const { pictures } = current;
  if (pictures === null) return <p className="note">{current.note}</p>;
  const { layer } = pictures;
  const when = stageWords(run, current.epochsDone, current.ended);
  const each =
    layer.kind === 'dense'
      ? `each unit's ${layer.height * layer.width} weights laid over the ${layer.height}×${layer.width} image it sees`
      : `each filter's ${layer.height}×${layer.width} kernel`;
  const label = `${counted(layer.count, layer.kind === 'dense' ? 'unit' : 'filter')} of layer ${layer.name}, ${when}: ${each}.`;
  return (
    <section className="layer-pictures-section" aria-labelledby="layer-heading">
      <h3 id="layer-heading">First layer</h3>
      <figure className="layer-pictures-figure">
        <PictureCanvas pictures={pictures} label={label} />
        <figcaption>
          <strong>{layer.name}</strong>, {when}: {counted(layer.count, layer.kind === 'dense' ? 'unit' : 'filter')}, {each}. Red where a bright pixel raises the
          {layer.kind === 'dense' ? ' unit' : ' filter'}&apos;s output, blue where it lowers it, white near 0; each picture scaled to its own largest weight.
          {layer.kind === 'dense' && current.epochsDone === 0 && !current.ended ? ' Random now: watch them change after each epoch.' : ''}
        </figcaption>
      </figure>
    </section>
  );
}

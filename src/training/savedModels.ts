/**
 * Trained models outside the worker's memory: saved to and loaded from this browser's
 * IndexedDB through tfjs (`indexeddb://…`, one key per run), and turned into and back from
 * tfjs's standard files (model.json and weights.bin) for export and import. Touches neither
 * the DOM nor `self`; the run records that go with the models are the page's business.
 */
import * as tf from '@tensorflow/tfjs';
import { messageOf } from '../data/errors';
// Registers the layer classes our models use, so that a saved topology can be rebuilt.
import './buildModel';
import type { ModelFiles, WeightSpec } from './protocol';
import { formatShape, summarize } from './shapes';
import type { InputShape, LayerSpec, ModelSpec } from './spec';
import { describeLayer } from './specDiff';

/** Where tfjs keeps each run's model in IndexedDB: the prefix, then the run's id. */
export const SAVED_MODEL_PREFIX = 'indexeddb://digit-fashion-playground-run-';

/** The tfjs URL of a run's saved model. */
export function savedModelUrl(runId: string): string {
  return `${SAVED_MODEL_PREFIX}${runId}`;
}

/** Whether tfjs's IndexedDB reader failed because no model is saved under the key ("Cannot find model with path '…'"). */
function isMissingModel(error: unknown): boolean {
  return error instanceof Error && /cannot find model/i.test(error.message);
}

/**
 * Saves a model under its run's id, replacing any earlier save, and rejects unless it was kept.
 * tfjs resolves `model.save` when IndexedDB has accepted the write, before it commits it; Chromium
 * checks the site's quota at the commit and cancels the write there, with no one listening. So
 * the model is read back (a transaction begun after the write waits for it to end) and its
 * weights' size compared with what was saved. (An earlier save of the same size under the key
 * would pass; the key only ever holds the same run's model.)
 */
export async function saveModel(model: tf.LayersModel, runId: string): Promise<void> {
  const url = savedModelUrl(runId);
  const { modelArtifactsInfo } = await model.save(url);
  const bytes = modelArtifactsInfo.weightDataBytes ?? 0;
  const [handler] = tf.io.getLoadHandlers(url);
  if (handler?.load === undefined) throw new Error('tfjs has no IndexedDB reader here to check the saved model with');
  let keptBytes: number | null;
  try {
    const kept = await handler.load();
    keptBytes = kept.weightData === undefined ? null : new tf.io.CompositeArrayBuffer(kept.weightData).byteLength;
  } catch (error) {
    // No model there is a cancelled write; anything else is another failure, named as it is.
    if (!isMissingModel(error)) throw new Error(`its model could not be read back once saved (${messageOf(error)})`, { cause: error });
    keptBytes = null;
  }
  // Chromium gives no reason for a cancelled write, and its storage estimate does not show a full quota either.
  if (keptBytes !== bytes) throw new Error(`the browser cancelled the write of its model (${Math.round(bytes / 1024)} KB) as it committed it, as it does when this site's storage quota is used up`);
}

/** Loads a run's saved model; rejects when there is none or it cannot be read. */
export async function loadSavedModel(runId: string): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(savedModelUrl(runId));
  } catch (error) {
    // Name what tfjs's "Cannot find model with path '…' in IndexedDB." means here.
    if (isMissingModel(error)) {
      throw new Error("this run's model is no longer saved in this browser (it was deleted, perhaps in another tab of the app); its history and results are kept", { cause: error });
    }
    throw error;
  }
}

/** Deletes a run's saved model; a model that was never saved is no error. */
export async function removeSavedModel(runId: string): Promise<void> {
  const url = savedModelUrl(runId);
  const saved = await tf.io.listModels();
  if (url in saved) await tf.io.removeModel(url);
}

/** How old a saved model without a run record must be before it is deleted as an orphan. */
export const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The saved models of `listing` (tf.io.listModels's answer) that are this playground's, belong
 * to no run in `keep`, and were saved before `savedBefore`. Models of other apps on this
 * origin, and models without a date, are left alone.
 */
export function orphanedModels(listing: Readonly<Record<string, tf.io.ModelArtifactsInfo>>, keep: ReadonlySet<string>, savedBefore: Date): string[] {
  return Object.entries(listing).flatMap(([url, info]) => {
    if (!url.startsWith(SAVED_MODEL_PREFIX) || keep.has(url.slice(SAVED_MODEL_PREFIX.length))) return [];
    const saved = new Date(info.dateSaved).getTime();
    return Number.isFinite(saved) && saved < savedBefore.getTime() ? [url] : [];
  });
}

/** Deletes the orphaned saved models (see `orphanedModels`). */
export async function removeOrphanedModels(keep: ReadonlySet<string>): Promise<void> {
  for (const url of orphanedModels(await tf.io.listModels(), keep, new Date(Date.now() - ORPHAN_AGE_MS))) await tf.io.removeModel(url);
}

const WEIGHT_DTYPES = { float32: true, int32: true, bool: true } as const satisfies Record<WeightSpec['dtype'], true>;

function weightSpec(entry: tf.io.WeightsManifestEntry): WeightSpec {
  if (!Object.hasOwn(WEIGHT_DTYPES, entry.dtype) || entry.quantization) throw new Error(`weight ${entry.name} has a dtype (${entry.dtype}) this playground does not export`);
  return { name: entry.name, shape: [...entry.shape], dtype: entry.dtype as WeightSpec['dtype'] };
}

/** A model's files: what `model.save` would write as model.json and weights.bin. */
export async function modelFiles(model: tf.LayersModel): Promise<ModelFiles> {
  const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve, reject) => {
    model
      .save(
        tf.io.withSaveHandler((saved) => {
          resolve(saved);
          return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
        }),
      )
      .catch(reject);
  });
  const { modelTopology, weightSpecs, weightData, format, generatedBy, convertedBy } = artifacts;
  if (!modelTopology || modelTopology instanceof ArrayBuffer || !weightSpecs || !weightData) throw new Error('tfjs saved no topology or weights for this model');
  return {
    modelJson: {
      format: format ?? 'layers-model',
      generatedBy: generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: convertedBy ?? null,
      modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs.map(weightSpec) }],
    },
    weightData: tf.io.CompositeArrayBuffer.join(weightData),
  };
}

/**
 * A model from its files; rejects when the weights do not fit the topology. Built in two
 * steps (topology, then weights) so that a model whose weights do not fit is disposed:
 * tf.loadLayersModel leaves it, and the decoded weights, in memory when it rejects.
 */
export async function modelFromFiles(files: ModelFiles): Promise<tf.LayersModel> {
  const { modelJson, weightData } = files;
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype })));
  const model = await tf.models.modelFromJSON({ modelTopology: modelJson.modelTopology as tf.serialization.ConfigDict });
  let weights: tf.NamedTensorMap = {};
  try {
    weights = tf.tidy(() => tf.io.decodeWeights(weightData, weightSpecs));
    model.loadWeights(weights, true);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** The tfjs class each layer type of a spec becomes (buildModel's). */
const LAYER_CLASSES = {
  flatten: 'Flatten',
  dense: 'Dense',
  conv2d: 'Conv2D',
  maxPooling2d: 'MaxPooling2D',
  averagePooling2d: 'AveragePooling2D',
  dropout: 'SeededDropout',
  batchNormalization: 'BatchNormalization',
  activation: 'Activation',
} as const satisfies Record<LayerSpec['type'], string>;

/** A layer's activation as its tfjs config names it, or null for a layer without one. */
function activationOf(layer: tf.layers.Layer): string | null {
  const { activation } = layer.getConfig();
  return typeof activation === 'string' ? activation : null;
}

/**
 * Why a model rebuilt from files is not the model its run's spec describes, in words (the
 * first difference: input, layer count, then each layer's kind, activation, output shape and
 * parameters), or null when it is. A run file carries both, and the page shows the spec (its
 * summary, its Python), so a file whose two disagree would show one model and draw with another.
 */
export function specMismatch(model: tf.LayersModel, spec: ModelSpec, input: InputShape): string | null {
  const summary = summarize(spec, input);
  if (summary.stoppedAt !== null) {
    const layer = spec.layers[summary.stoppedAt];
    return `its spec cannot take ${input.height}×${input.width} images (layer ${summary.stoppedAt + 1}${layer ? `, ${describeLayer(layer)},` : ''} does not apply)`;
  }
  const modelInput = formatShape(model.inputs[0]?.shape ?? []);
  if (modelInput !== formatShape(summary.inputShape)) return `its model takes inputs of shape ${modelInput}, but its spec's takes ${formatShape(summary.inputShape)}`;
  if (model.layers.length !== spec.layers.length) return `its model has ${model.layers.length} layers, but its spec has ${spec.layers.length}`;
  for (const [i, layer] of model.layers.entries()) {
    const wanted = spec.layers[i];
    const row = summary.rows[i];
    if (!wanted || !row) break;
    const where = `layer ${i + 1} of its model (${layer.name})`;
    const words = describeLayer(wanted);
    if (layer.getClassName() !== LAYER_CLASSES[wanted.type]) return `${where} is a ${layer.getClassName()}, but its spec has ${words} there`;
    if ('activation' in wanted && activationOf(layer) !== wanted.activation) return `${where} has the activation ${activationOf(layer) ?? 'none'}, but its spec has ${words} there`;
    const outputShape = formatShape(layer.outputShape as (number | null)[]);
    if (outputShape !== formatShape(row.outputShape)) return `${where} outputs ${outputShape}, but its spec's ${words} outputs ${formatShape(row.outputShape)}`;
    if (layer.countParams() !== row.params) return `${where} has ${layer.countParams().toLocaleString('en-US')} parameters, but its spec's ${words} has ${row.params.toLocaleString('en-US')}`;
  }
  return null;
}

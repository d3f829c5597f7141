/**
 * The model builder: pick a preset or start empty, then add, remove, reorder and edit layers,
 * and set compile and fit options. Problems are explained inline; Train waits until there
 * are none.
 */
import { memo, useId, useLayoutEffect, useMemo, useRef } from 'react';
import { BUILTIN_DATASETS, isBuiltinDatasetId } from '../data/datasets';
import { PRESET_ORDER, PRESETS, emptySpec, isPresetId, twinPresetOn, type Preset } from '../training/presets';
import { insertionIndex, type SpecIssue } from '../training/shapes';
import { classWeightWords, describeSpecDiff } from '../training/specDiff';
import { ACTIVATIONS, classWeightOf, DEFAULT_BATCH_NORM_MOMENTUM, DEFAULT_EARLY_STOPPING, LAYER_TYPES, LOSSES, MAX_EPOCHS, MONITORS, OPTIMIZERS, type Activation, type LayerSpec, type LayerType, type ModelSpec, withClassWeight } from '../training/spec';
import { useAppStore } from '../store';
import { CheckField, fieldControl, NumberField, SelectField, type FieldIssues } from './fields';
import { focusTrain } from './TrainingControls';
import { counted, grouped } from './words';

const NEW_LAYER = {
  flatten: { type: 'flatten' },
  dense: { type: 'dense', units: 64, activation: 'relu', useBias: true },
  conv2d: { type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
  maxPooling2d: { type: 'maxPooling2d', poolSize: 2, strides: null, padding: 'valid' },
  averagePooling2d: { type: 'averagePooling2d', poolSize: 2, strides: null, padding: 'valid' },
  dropout: { type: 'dropout', rate: 0.2 },
  batchNormalization: { type: 'batchNormalization', momentum: DEFAULT_BATCH_NORM_MOMENTUM },
  activation: { type: 'activation', activation: 'relu' },
} as const satisfies Record<LayerType, LayerSpec>;

const PADDINGS = { valid: 'valid', same: 'same' } as const;
/** What validates each epoch: a split of the training images (validation_split), or the test set (validation_data), as some tutorials do. */
const VALIDATION_DATA = { split: 'the validation split', test: 'the test set (validation_data)' } as const;

/** A number in a layer's title: '?' while its field is empty. */
const shown = (value: number): string => (Number.isFinite(value) ? String(value) : '?');

/** The layer's parameters as Keras would write them: `Dense(128, relu)`. */
export function layerLabel(layer: LayerSpec): string {
  switch (layer.type) {
    case 'dense':
      return `Dense(${shown(layer.units)}${layer.activation === 'linear' ? '' : `, ${layer.activation}`})`;
    case 'conv2d':
      return `Conv2D(${shown(layer.filters)}, ${shown(layer.kernelSize)}×${shown(layer.kernelSize)}${layer.strides === 1 ? '' : `, stride ${shown(layer.strides)}`}, ${layer.padding}, ${layer.activation})`;
    case 'maxPooling2d':
    case 'averagePooling2d':
      return `${LAYER_TYPES[layer.type]}(${shown(layer.poolSize)}×${shown(layer.poolSize)})`;
    case 'dropout':
      return `Dropout(${shown(layer.rate)})`;
    case 'activation':
      return `Activation(${layer.activation})`;
    case 'batchNormalization':
      return layer.momentum === DEFAULT_BATCH_NORM_MOMENTUM ? 'BatchNormalization()' : `BatchNormalization(momentum ${layer.momentum})`;
    case 'flatten':
      return 'Flatten()';
  }
}

/** What the checks say about a field: of a layer (its index), or of compile and fit (null). */
type IssuesOf = (layerIndex: number | null, field: string) => FieldIssues;

interface LayerEditorProps {
  readonly layer: LayerSpec;
  readonly index: number;
  readonly issuesOf: IssuesOf;
  readonly onChange: (layer: LayerSpec) => void;
}

function LayerFields({ layer, index, issuesOf, onChange }: LayerEditorProps) {
  const bad = (field: string): FieldIssues => issuesOf(index, field);
  const n = index + 1;
  switch (layer.type) {
    case 'dense':
      return (
        <>
          <NumberField label={`Layer ${n} units`} value={layer.units} min={1} {...bad('units')} onChange={(units) => onChange({ ...layer, units })} />
          <SelectField label={`Layer ${n} activation`} value={layer.activation} options={ACTIVATIONS} {...bad('activation')} onChange={(activation) => onChange({ ...layer, activation })} />
          <CheckField label={`Layer ${n} use bias`} checked={layer.useBias} onChange={(useBias) => onChange({ ...layer, useBias })} />
        </>
      );
    case 'conv2d':
      return (
        <>
          <NumberField label={`Layer ${n} filters`} value={layer.filters} min={1} {...bad('filters')} onChange={(filters) => onChange({ ...layer, filters })} />
          <NumberField label={`Layer ${n} kernel size`} value={layer.kernelSize} min={1} {...bad('kernelSize')} onChange={(kernelSize) => onChange({ ...layer, kernelSize })} />
          <NumberField label={`Layer ${n} strides`} value={layer.strides} min={1} {...bad('strides')} onChange={(strides) => onChange({ ...layer, strides })} />
          <SelectField label={`Layer ${n} padding`} value={layer.padding} options={PADDINGS} {...bad('padding')} onChange={(padding) => onChange({ ...layer, padding })} />
          <SelectField label={`Layer ${n} activation`} value={layer.activation} options={ACTIVATIONS} {...bad('activation')} onChange={(activation) => onChange({ ...layer, activation })} />
        </>
      );
    case 'maxPooling2d':
    case 'averagePooling2d':
      return (
        <>
          <NumberField label={`Layer ${n} pool size`} value={layer.poolSize} min={1} {...bad('poolSize')} onChange={(poolSize) => onChange({ ...layer, poolSize })} />
          <NumberField
            label={`Layer ${n} strides`}
            value={layer.strides}
            min={1}
            placeholder="= pool"
            {...bad('strides')}
            onChange={(strides) => onChange({ ...layer, strides })}
            onClear={() => onChange({ ...layer, strides: null })}
          />
          <SelectField label={`Layer ${n} padding`} value={layer.padding} options={PADDINGS} {...bad('padding')} onChange={(padding) => onChange({ ...layer, padding })} />
        </>
      );
    case 'dropout':
      return <NumberField label={`Layer ${n} rate`} value={layer.rate} step={0.05} {...bad('rate')} onChange={(rate) => onChange({ ...layer, rate })} />;
    case 'activation':
      return <SelectField<Activation> label={`Layer ${n} activation`} value={layer.activation} options={ACTIVATIONS} {...bad('activation')} onChange={(activation) => onChange({ ...layer, activation })} />;
    case 'batchNormalization':
      return (
        <NumberField label={`Layer ${n} momentum`} value={layer.momentum} step={0.01} {...bad('momentum')} onChange={(momentum) => onChange({ ...layer, momentum })} />
      );
    case 'flatten':
      return null;
  }
}

/** The repair an issue suggests, as a button that makes it (none when the issue has no single repair); `onFixed` gets the button, which goes with the issue. */
function FixButton({ issue, onFixed }: { readonly issue: SpecIssue; readonly onFixed: (button: HTMLElement, issue: SpecIssue) => void }) {
  const setDraft = useAppStore((state) => state.setDraft);
  const { fix } = issue;
  if (!fix) return null;
  return (
    <button
      type="button"
      className="fix"
      onClick={(event) => {
        onFixed(event.currentTarget, issue);
        setDraft(fix.spec);
      }}
    >
      {fix.label}
    </button>
  );
}

interface ModelBuilderProps {
  readonly issues: readonly SpecIssue[];
  readonly classCount: number;
}

/** Where "+ Layer" puts a layer, in words: before the Flatten (convolution and pooling), before the output layer, or at the end. */
function whereLayersGo(layers: readonly LayerSpec[], classCount: number): string {
  const other = insertionIndex(layers, classCount, 'dense');
  const image = insertionIndex(layers, classCount, 'conv2d');
  const otherPlace = other < layers.length ? `before the output layer (layer ${other + 1})` : 'at the end';
  if (image === other) return `New layers go in ${otherPlace}; ↑ and ↓ move them.`;
  return `Conv2D and pooling layers go in before the Flatten (layer ${image + 1}), other layers ${otherPlace}; ↑ and ↓ move them.`;
}

/** Where keyboard focus goes after a layer moves or goes: the moved layer's arrow, or the title of the layer now in the removed one's place. */
interface FocusTarget {
  readonly index: number;
  readonly control: 'up' | 'down' | 'title';
}

/**
 * Focuses `target` in the layer list. The rows are keyed by position, so after "Move layer 3
 * up" the focused button would stay on row 3, under another layer, and a second Enter would
 * move that one back down. A moved layer keeps the arrow that moved it; at the list's end,
 * where that arrow is disabled, the other one. With no layers left, focus goes to "+ Dense".
 */
function focusLayerControl(list: HTMLOListElement, { index, control }: FocusTarget): void {
  const row = list.children.item(index);
  const arrows = control === 'up' ? ['up', 'down'] : ['down', 'up'];
  const candidates =
    control === 'title' ? [row?.querySelector<HTMLElement>('.layer-title')] : arrows.map((arrow) => row?.querySelector<HTMLButtonElement>(`button[data-move="${arrow}"]:not(:disabled)`));
  const element = candidates.find((candidate) => candidate) ?? list.parentElement?.querySelector<HTMLElement>('.add-layer button');
  element?.focus();
}

/** Memoised: a training run's updates re-render the dashboard, not the builder. */
export const ModelBuilder = memo(function ModelBuilder({ issues, classCount }: ModelBuilderProps) {
  const draft = useAppStore((state) => state.draft);
  const presetId = useAppStore((state) => state.draftPresetId);
  const modified = useAppStore((state) => state.draftModified);
  const setDraft = useAppStore((state) => state.setDraft);
  const loadPreset = useAppStore((state) => state.loadPreset);
  const openDraft = useAppStore((state) => state.openDraft);
  const replaced = useAppStore((state) => state.replacedDraft);
  const keepDraftBeforeReplacing = useAppStore((state) => state.keepDraftBeforeReplacing);
  const bringBackReplacedDraft = useAppStore((state) => state.bringBackReplacedDraft);
  const { layers, compile, fit } = draft;
  const stopping = fit.earlyStopping;
  const update = (change: Partial<ModelSpec>): void => setDraft({ ...draft, ...change });
  const setLayers = (next: LayerSpec[]): void => update({ layers: next });
  const announce = useAppStore((state) => state.announce);
  const listRef = useRef<HTMLOListElement>(null);
  const focusNext = useRef<FocusTarget | null>(null);
  useLayoutEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target && listRef.current) focusLayerControl(listRef.current, target);
  });
  const move = (from: number, to: number): void => {
    const next = [...layers];
    const [moved] = next.splice(from, 1);
    if (moved) next.splice(to, 0, moved);
    focusNext.current = { index: to, control: to < from ? 'up' : 'down' };
    setLayers(next);
    if (moved) announce(`Moved ${layerLabel(moved)} to layer ${to + 1} of ${next.length}.`);
  };
  // A button that goes when pressed (a repair, Reset, Use <dataset>) would leave the keyboard's
  // focus on the page's body, the next Tab back at the top: once it has gone, the focus goes
  // where the change was made.
  const builderRef = useRef<HTMLElement>(null);
  const afterGone = useRef<{ readonly button: HTMLElement; readonly focus: () => void } | null>(null);
  useLayoutEffect(() => {
    const pending = afterGone.current;
    if (!pending || pending.button.isConnected) return;
    afterGone.current = null;
    if (document.activeElement === document.body || document.activeElement === null) pending.focus();
  });
  /**
   * Waits for `button` to go, then focuses with `focus`; forgotten once the focus moves from it
   * to another element first (a Tab). Its own removal blurs it too, with no element to go to.
   */
  const whenGone = (button: HTMLElement, focus: () => void): void => {
    afterGone.current = { button, focus };
    const moved = (event: FocusEvent): void => {
      if (event.relatedTarget === null) return;
      button.removeEventListener('blur', moved);
      if (afterGone.current?.button === button) afterGone.current = null;
    };
    button.addEventListener('blur', moved);
  };
  const focusPreset = (): void => document.getElementById('preset')?.focus();
  /** After a repair: the control of the field it changed (the fix's, else the issue's), else the title of its layer, else Train. */
  const onFixed = (button: HTMLElement, issue: SpecIssue): void =>
    whenGone(button, () => {
      // A repair's own field is the model's; the issue's is its layer's, if it has one.
      const [field, layer] = issue.fix?.field !== undefined ? [issue.fix.field, null] : [issue.field, issue.layerIndex];
      const control = field === null || !builderRef.current ? null : fieldControl(builderRef.current, field, layer);
      const rows = listRef.current?.children.length ?? 0;
      if (control) control.focus();
      else if (issue.layerIndex !== null && listRef.current && rows > 0) focusLayerControl(listRef.current, { index: Math.min(issue.layerIndex, rows - 1), control: 'title' });
      else focusTrain();
    });
  const remove = (index: number): void => {
    focusNext.current = { index: Math.min(index, layers.length - 2), control: 'title' };
    setLayers(layers.filter((_, j) => j !== index));
    const removed = layers[index];
    const left = layers.length - 1;
    if (removed) announce(`Removed ${layerLabel(removed)}, layer ${index + 1}: the model has ${left === 0 ? 'no layers' : counted(left, 'layer')}.`);
  };
  const addHint = whereLayersGo(layers, classCount);
  const issueBase = useId();
  const issueId = (issue: SpecIssue): string => `${issueBase}-issue-${issues.indexOf(issue)}`;
  const issuesOf: IssuesOf = (layerIndex, field) => {
    const about = issues.filter((issue) => issue.layerIndex === layerIndex && issue.field === field);
    return { invalid: about.some((issue) => issue.severity === 'error'), describedBy: about.length === 0 ? undefined : about.map(issueId).join(' '), field, layer: layerIndex };
  };
  const layerIssues = useMemo(() => issues.filter((issue) => issue.layerIndex !== null), [issues]);
  const otherIssues = useMemo(() => issues.filter((issue) => issue.layerIndex === null), [issues]);
  const preset: Preset | null = presetId === null ? null : PRESETS[presetId];
  const activeDatasetId = useAppStore((state) => state.activeDatasetId);
  const classNames = useAppStore((state) => (state.activeDatasetId === null ? null : (state.datasets[state.activeDatasetId]?.dataset?.classNames ?? null)));
  const activeName = useAppStore((state) => (state.activeDatasetId === null ? '' : (state.datasets[state.activeDatasetId]?.name ?? '')));
  const selectDataset = useAppStore((state) => state.selectDataset);
  const presetDataset = preset ? BUILTIN_DATASETS[preset.dataset] : null;
  const twin = presetId !== null && activeDatasetId !== null && isBuiltinDatasetId(activeDatasetId) ? twinPresetOn(presetId, activeDatasetId) : null;
  const changes = useMemo(() => (preset && modified ? describeSpecDiff(preset.spec, draft) : []), [preset, modified, draft]);

  return (
    <section ref={builderRef} className="model-builder" aria-labelledby="builder-heading">
      <h3 id="builder-heading">Model</h3>
      <div className="preset-row">
        <label htmlFor="preset">Preset</label>
        <select
          id="preset"
          value={presetId ?? ''}
          onChange={(event) => {
            const id = event.target.value;
            keepDraftBeforeReplacing();
            if (isPresetId(id)) loadPreset(id);
            else if (id === 'empty') openDraft(emptySpec(), null);
          }}
        >
          {presetId === null && <option value="">Custom model</option>}
          {PRESET_ORDER.map((id) => (
            <option key={id} value={id}>
              {PRESETS[id].title} ({BUILTIN_DATASETS[PRESETS[id].dataset].name}){id === presetId && modified ? ', modified' : ''}
            </option>
          ))}
          <option value="empty">Start empty</option>
        </select>
        {replaced && (
          <p className="note" data-testid="replaced-draft">
            {replaced.name} was replaced.{' '}
            <button
              type="button"
              onClick={(event) => {
                whenGone(event.currentTarget, focusPreset);
                bringBackReplacedDraft();
              }}
            >
              Bring it back
            </button>
          </p>
        )}
        {preset && (
          <p className="preset-note">
            {preset.source}. Keras: {grouped(preset.expectedParams)} parameters; {preset.expectedResult.floor ? 'aim' : preset.expectedResult.source ? 'this version’s result' : 'tutorial’s result'} {preset.expectedResult.text}
            {preset.expectedResult.source ? ` (${preset.expectedResult.source})` : ''}. {preset.notes}
          </p>
        )}
        {preset && presetId !== null && changes.length > 0 && (
          <p className="preset-note" data-testid="preset-changes">
            Changed from the preset: {changes.join(', ')}.{' '}
            <button
              type="button"
              onClick={(event) => {
                whenGone(event.currentTarget, focusPreset);
                loadPreset(presetId);
              }}
            >
              Reset to {preset.title}
            </button>
          </p>
        )}
        {preset && presetDataset && activeDatasetId !== null && activeDatasetId !== preset.dataset && preset.expectedResult.onOtherDataset?.dataset !== activeDatasetId && (
          <p className="note preset-dataset" data-testid="preset-dataset">
            This preset is made for {presetDataset.name}; the page is using {activeName}, so its result will not compare with the tutorial’s.{' '}
            {twin !== null && (
              <>
                Its layers are those of “{PRESETS[twin].title}”, made for {activeName}.{' '}
                <button
                  type="button"
                  onClick={(event) => {
                    whenGone(event.currentTarget, focusPreset);
                    loadPreset(twin);
                  }}
                >
                  Use {PRESETS[twin].title}
                </button>{' '}
              </>
            )}
            <button
              type="button"
              onClick={(event) => {
                whenGone(event.currentTarget, focusPreset);
                selectDataset(preset.dataset);
              }}
            >
              Use {presetDataset.name}
            </button>
          </p>
        )}
      </div>

      <ol className="layers" aria-label="Layers" ref={listRef}>
        {layers.map((layer, i) => (
          <li key={i} className={layerIssues.some((issue) => issue.layerIndex === i && issue.severity === 'error') ? 'layer invalid' : 'layer'}>
            <span className="layer-title" tabIndex={-1} data-layer-title={i}>
              {i + 1}. {layerLabel(layer)}
            </span>
            <span className="layer-actions">
              <button type="button" aria-label={`Move layer ${i + 1} up`} data-move="up" disabled={i === 0} onClick={() => move(i, i - 1)}>
                ↑
              </button>
              <button type="button" aria-label={`Move layer ${i + 1} down`} data-move="down" disabled={i === layers.length - 1} onClick={() => move(i, i + 1)}>
                ↓
              </button>
              <button type="button" aria-label={`Remove layer ${i + 1}`} onClick={() => remove(i)}>
                ✕
              </button>
            </span>
            <span className="layer-fields">
              <LayerFields layer={layer} index={i} issuesOf={issuesOf} onChange={(next) => setLayers(layers.map((l, j) => (j === i ? next : l)))} />
            </span>
            {layerIssues
              .filter((issue) => issue.layerIndex === i)
              .map((issue) => (
                <p key={issue.message} className={issue.severity === 'error' ? 'issue error-text' : 'issue warning-text'}>
                  {/* The field it describes reads the message, not the repair button's name after it. */}
                  <span id={issueId(issue)}>{issue.message}</span> <FixButton issue={issue} onFixed={onFixed} />
                </p>
              ))}
          </li>
        ))}
      </ol>
      <div className="add-layer" role="group" aria-label="Add a layer" aria-describedby="add-layer-where">
        {(Object.keys(NEW_LAYER) as LayerType[]).map((type) => (
          <button
            key={type}
            type="button"
            onClick={() => {
              const at = insertionIndex(layers, classCount, type);
              setLayers([...layers.slice(0, at), NEW_LAYER[type], ...layers.slice(at)]);
              // Focus stays on the button, for adding another: say what was added, and where.
              announce(`Added ${layerLabel(NEW_LAYER[type])} as layer ${at + 1} of ${layers.length + 1}.`);
            }}
          >
            + {LAYER_TYPES[type]}
          </button>
        ))}
        <span id="add-layer-where" className="muted">
          {addHint}
        </span>
      </div>

      <fieldset className="options">
        <legend>compile</legend>
        <SelectField
          label="Optimizer"
          {...issuesOf(null, 'optimizer')}
          value={compile.optimizer}
          options={{ adam: OPTIMIZERS.adam.label, sgd: OPTIMIZERS.sgd.label, rmsprop: OPTIMIZERS.rmsprop.label }}
          onChange={(optimizer) => update({ compile: { ...compile, optimizer, learningRate: OPTIMIZERS[optimizer].defaultLearningRate } })}
        />
        <NumberField label="Learning rate" {...issuesOf(null, 'learningRate')} value={compile.learningRate} step="any" onChange={(learningRate) => update({ compile: { ...compile, learningRate } })} />
        {compile.optimizer === 'sgd' && (
          <NumberField label="Momentum" {...issuesOf(null, 'momentum')} value={compile.momentum} step={0.1} onChange={(momentum) => update({ compile: { ...compile, momentum } })} />
        )}
        <SelectField label="Loss" {...issuesOf(null, 'loss')} value={compile.loss} options={LOSSES} onChange={(loss) => update({ compile: { ...compile, loss } })} />
        <CheckField label="from_logits" {...issuesOf(null, 'fromLogits')} checked={compile.fromLogits} onChange={(fromLogits) => update({ compile: { ...compile, fromLogits } })} />
      </fieldset>

      <fieldset className="options">
        <legend>fit</legend>
        <NumberField label="Epochs" {...issuesOf(null, 'epochs')} value={fit.epochs} min={1} max={MAX_EPOCHS} onChange={(epochs) => update({ fit: { ...fit, epochs } })} />
        <NumberField label="Batch size" {...issuesOf(null, 'batchSize')} value={fit.batchSize} min={1} onChange={(batchSize) => update({ fit: { ...fit, batchSize } })} />
        <SelectField
          label="Validate on"
          {...issuesOf(null, 'validationData')}
          value={fit.validationData ?? 'split'}
          options={VALIDATION_DATA}
          // The test set overrides a split, as in Keras: the split goes to 0 rather than stay unused; back on the split, it holds out 10%, as "Hold out 10% for validation" does.
          onChange={(on) => update({ fit: on === 'test' ? { ...fit, validationData: 'test', validationSplit: 0 } : { ...fit, validationData: null, validationSplit: fit.validationSplit > 0 ? fit.validationSplit : 0.1 } })}
        />
        <NumberField label="Validation split" {...issuesOf(null, 'validationSplit')} value={fit.validationSplit} min={0} max={0.95} step={0.05} onChange={(validationSplit) => update({ fit: { ...fit, validationSplit } })} />
        <NumberField label="Seed" {...issuesOf(null, 'seed')} value={fit.seed} min={0} onChange={(seed) => update({ fit: { ...fit, seed } })} />
        <NumberField
          label="Learning-rate decay per epoch"
          {...issuesOf(null, 'learningRateDecay')}
          value={fit.learningRateDecay}
          min={0}
          max={1}
          step="any"
          onChange={(learningRateDecay) => update({ fit: { ...fit, learningRateDecay } })}
        />
        <NumberField label="Random shift (px)" {...issuesOf(null, 'augmentShift')} value={fit.augmentShift} min={0} max={8} onChange={(augmentShift) => update({ fit: { ...fit, augmentShift } })} />
        <NumberField
          label="Training subset (empty = all)"
          {...issuesOf(null, 'trainLimit')}
          value={fit.trainLimit}
          min={1}
          step={100}
          placeholder="all"
          onChange={(trainLimit) => update({ fit: { ...fit, trainLimit } })}
          onClear={() => update({ fit: { ...fit, trainLimit: null } })}
        />
        <details className="class-weights">
          <summary>Class weights (class_weight): {classWeightWords(fit.classWeight)}</summary>
          <div className="class-weight-fields">
            {Array.from({ length: classCount }, (_, label) => (
              <NumberField
                key={label}
                label={`Weight of class ${label}${classNames?.[label] === undefined || classNames[label] === String(label) ? '' : ` (${classNames[label]})`}`}
                {...issuesOf(null, `classWeight.${label}`)}
                value={classWeightOf(fit, label)}
                min={0}
                step="any"
                onChange={(weight) => update({ fit: { ...fit, classWeight: withClassWeight(fit.classWeight, label, weight) } })}
              />
            ))}
          </div>
        </details>
        <CheckField label="Shuffle each epoch" checked={fit.shuffle} onChange={(shuffle) => update({ fit: { ...fit, shuffle } })} />
        <CheckField
          label="Early stopping"
          checked={fit.earlyStopping !== null}
          onChange={(on) => update({ fit: { ...fit, earlyStopping: on ? DEFAULT_EARLY_STOPPING : null } })}
        />
        {stopping && (
          <>
            <SelectField label="Monitor" {...issuesOf(null, 'earlyStoppingMonitor')} value={stopping.monitor} options={MONITORS} onChange={(monitor) => update({ fit: { ...fit, earlyStopping: { ...stopping, monitor } } })} />
            <NumberField
              label="Min delta (least improvement)"
              {...issuesOf(null, 'earlyStoppingMinDelta')}
              value={stopping.minDelta}
              min={0}
              step="any"
              onChange={(minDelta) => update({ fit: { ...fit, earlyStopping: { ...stopping, minDelta } } })}
            />
            <NumberField label="Patience (epochs)" {...issuesOf(null, 'earlyStoppingPatience')} value={stopping.patience} min={0} onChange={(patience) => update({ fit: { ...fit, earlyStopping: { ...stopping, patience } } })} />
            <CheckField
              label="Restore best weights (Keras's default: off)"
              checked={stopping.restoreBestWeights}
              onChange={(restoreBestWeights) => update({ fit: { ...fit, earlyStopping: { ...stopping, restoreBestWeights } } })}
            />
          </>
        )}
      </fieldset>

      {otherIssues.length > 0 && (
        <ul className="issues" aria-label="Problems with this model">
          {otherIssues.map((issue) => (
            <li key={issue.message} className={issue.severity === 'error' ? 'error-text' : 'warning-text'}>
              <span id={issueId(issue)}>
                <strong>{issue.severity === 'error' ? 'Error: ' : 'Warning: '}</strong>
                {issue.message}
              </span>{' '}
              <FixButton issue={issue} onFixed={onFixed} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});

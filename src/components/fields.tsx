/** Small labelled form controls shared by the model builder. */
import { useId } from 'react';

/**
 * What the builder's checks say about one field: whether it is in error, and the ids of the
 * messages about it; and which spec field it edits (`field`, of layer `layer` or of the
 * model), where a repair puts the focus back.
 */
export interface FieldIssues {
  readonly invalid?: boolean;
  readonly describedBy?: string | undefined;
  readonly field?: string;
  readonly layer?: number | null;
}

/** The attributes that say which spec field a control edits. */
const fieldData = (field: string | undefined, layer: number | null | undefined) => ({ 'data-field': field, 'data-layer': layer ?? undefined });

/**
 * The control under `root` that edits spec field `field` of layer `layer` (null: of the model),
 * found by those attributes; a closed <details> around it (the class weights) is opened, so
 * that it can take the focus.
 */
export function fieldControl(root: ParentNode, field: string, layer: number | null): HTMLElement | null {
  const control = root.querySelector<HTMLElement>(`[data-field="${field}"]${layer === null ? ':not([data-layer])' : `[data-layer="${layer}"]`}`);
  const details = control?.closest('details');
  if (details && !details.open) details.open = true;
  return control;
}

interface NumberFieldProps extends FieldIssues {
  readonly label: string;
  readonly value: number | null;
  readonly onChange: (value: number) => void;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number | 'any';
  readonly placeholder?: string;
  readonly onClear?: () => void;
}

/** A number input; an empty field calls `onClear` when given, else reports NaN (which validation explains). */
export function NumberField({ label, value, onChange, min, max, step = 1, invalid = false, describedBy, placeholder, onClear, field, layer }: NumberFieldProps) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={value === null || Number.isNaN(value) ? '' : value}
        min={min}
        max={max}
        step={step}
        placeholder={placeholder}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        {...fieldData(field, layer)}
        onChange={(event) => {
          if (event.target.value === '' && onClear) onClear();
          else onChange(event.target.value === '' ? Number.NaN : Number(event.target.value));
        }}
      />
    </span>
  );
}

interface SelectFieldProps<T extends string> extends FieldIssues {
  readonly label: string;
  readonly value: T;
  readonly options: Readonly<Record<T, string>>;
  readonly onChange: (value: T) => void;
}

export function SelectField<T extends string>({ label, value, options, onChange, invalid = false, describedBy, field, layer }: SelectFieldProps<T>) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} aria-invalid={invalid} aria-describedby={describedBy} {...fieldData(field, layer)} onChange={(event) => onChange(event.target.value as T)}>
        {(Object.keys(options) as T[]).map((key) => (
          <option key={key} value={key}>
            {options[key]}
          </option>
        ))}
      </select>
    </span>
  );
}

interface CheckFieldProps extends FieldIssues {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

export function CheckField({ label, checked, onChange, invalid = false, describedBy, field, layer }: CheckFieldProps) {
  return (
    <label className="field check">
      <input type="checkbox" checked={checked} aria-invalid={invalid} aria-describedby={describedBy} {...fieldData(field, layer)} onChange={(event) => onChange(event.target.checked)} />
      {label}
    </label>
  );
}

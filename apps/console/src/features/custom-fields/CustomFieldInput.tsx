import type { CustomFieldDefinition } from '../../api/types';
import { Field } from '../../ui/Field';
import './custom-fields.css';
import type { ValueDraft } from './field-values';

const INPUT_TYPES: Partial<Record<CustomFieldDefinition['field_type'], string>> = {
  number: 'number',
  decimal: 'number',
  currency: 'number',
  date: 'date',
  datetime: 'datetime-local',
  email: 'email',
  phone: 'tel',
  url: 'url',
};

const STEPS: Partial<Record<CustomFieldDefinition['field_type'], number | 'any'>> = {
  number: 1,
  decimal: 'any',
  currency: 'any',
  datetime: 60,
};

/** One custom field of a customer in the edit form, with the control its type needs. */
export function CustomFieldInput({
  def,
  value,
  currency,
  timeZone,
  error,
  onChange,
}: {
  def: CustomFieldDefinition;
  value: ValueDraft;
  /** For money: the currency the amount is in. */
  currency: string;
  /** For a date and time: the zone it is read in. */
  timeZone: string | undefined;
  error: string | undefined;
  onChange: (next: ValueDraft) => void;
}) {
  const id = `edit-cf-${def.field_name}`;
  const label = def.is_required ? `${def.field_label} (required)` : def.field_label;
  if (def.field_type === 'multiselect') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset
        className={`field choice-group${error ? ' field-invalid' : ''}`}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <legend>{label}</legend>
        {def.field_options.map((option) => (
          <div className="checkbox" key={option.value}>
            <input
              id={`${id}-${option.value}`}
              type="checkbox"
              checked={chosen.includes(option.value)}
              onChange={(e) => {
                onChange(
                  e.target.checked
                    ? [...chosen, option.value]
                    : chosen.filter((v) => v !== option.value),
                );
              }}
            />
            <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
          </div>
        ))}
        {error && (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        )}
      </fieldset>
    );
  }
  const text = Array.isArray(value) ? '' : value;
  const hint =
    def.field_type === 'currency'
      ? `Amount in ${currency}`
      : def.field_type === 'datetime'
        ? `On the clock of ${timeZone ?? 'this browser'}`
        : undefined;
  const control = (() => {
    switch (def.field_type) {
      case 'select':
        return (
          <select
            value={text}
            onChange={(e) => {
              onChange(e.target.value);
            }}
          >
            <option value="">Not set</option>
            {!def.field_options.some((o) => o.value === text) && text !== '' && (
              <option value={text}>{text}</option>
            )}
            {def.field_options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        );
      case 'boolean':
        return (
          <select
            value={text}
            onChange={(e) => {
              onChange(e.target.value);
            }}
          >
            <option value="">Not set</option>
            <option value="true">Yes</option>
            <option value="false">No</option>
          </select>
        );
      case 'textarea':
        return (
          <textarea
            rows={3}
            value={text}
            onChange={(e) => {
              onChange(e.target.value);
            }}
          />
        );
      default:
        return (
          <input
            type={INPUT_TYPES[def.field_type] ?? 'text'}
            step={STEPS[def.field_type]}
            inputMode={
              def.field_type === 'number'
                ? 'numeric'
                : def.field_type === 'decimal' || def.field_type === 'currency'
                  ? 'decimal'
                  : undefined
            }
            value={text}
            autoComplete="off"
            onChange={(e) => {
              onChange(e.target.value);
            }}
          />
        );
    }
  })();
  return (
    <Field id={id} label={label} error={error} {...(hint ? { hint } : {})}>
      {control}
    </Field>
  );
}

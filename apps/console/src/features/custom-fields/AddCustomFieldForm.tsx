import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus, X } from 'lucide-react';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { CustomFieldDefinition } from '../../api/types';
import { Field } from '../../ui/Field';
import { useFormat } from '../../ui/format';
import { bodyOf, emptyDraft, withLabel, type FieldDraft } from './field-draft';
import {
  FIELD_TYPES,
  TYPE_LABELS,
  boundKindOf,
  takesOptions,
  takesPattern,
  type BoundKind,
} from './field-types';
import { CUSTOM_FIELDS_KEY } from './queries';

const BOUND_LABELS: Record<Exclude<BoundKind, null>, [string, string, string]> = {
  length: ['Shortest (characters)', 'Longest (characters)', 'number'],
  number: ['Smallest value', 'Largest value', 'number'],
  money: ['Smallest amount', 'Largest amount', 'number'],
  count: ['Fewest choices', 'Most choices', 'number'],
  date: ['Earliest date', 'Latest date', 'date'],
  datetime: ['Earliest time', 'Latest time', 'datetime-local'],
};

function currencies(): string[] {
  try {
    return Intl.supportedValuesOf('currency');
  } catch {
    return ['EUR', 'GBP', 'USD'];
  }
}

/** Defines a new custom field: its label and key, type, choices and the rules its values obey. */
export function AddCustomFieldForm({
  onDone,
  onAdded,
}: {
  onDone: () => void;
  onAdded: (field: CustomFieldDefinition) => void;
}) {
  const format = useFormat();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<FieldDraft>(() =>
    emptyDraft(format.conventions.currency ?? 'USD'),
  );
  // One key per form: a retried submit does not define the field twice.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/crm/custom-fields', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: bodyOf(draft, format.conventions.timeZone),
        }),
      ),
    onSuccess: (field) => {
      void queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY });
      onAdded(field);
      onDone();
    },
  });

  const fieldErrors = add.error instanceof ApiError ? add.error.fieldErrors : [];
  const errorOf = (...fields: string[]) =>
    fieldErrors
      .filter((e) => fields.includes(e.field))
      .map((e) => e.message)
      .join(' ') || undefined;
  // The API numbers the choices it was sent; empty rows are not sent.
  const sentIndex = (row: number) =>
    draft.options.slice(0, row + 1).filter((o) => o.trim() !== '').length - 1;
  const set = (patch: Partial<FieldDraft>) => {
    setDraft({ ...draft, ...patch });
  };
  const kind = boundKindOf(draft.field_type);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    add.mutate();
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="add-field-heading" noValidate>
      <h2 id="add-field-heading" tabIndex={-1} ref={heading}>
        Add a custom field
      </h2>
      {add.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">The field was not added</p>
          <p>{describeError(add.error)}</p>
        </div>
      )}
      <div className="form-grid">
        <Field id="field-label" label="Label" error={errorOf('field_label')}>
          <input
            type="text"
            value={draft.field_label}
            autoComplete="off"
            onChange={(e) => {
              setDraft(withLabel(draft, e.target.value));
            }}
          />
        </Field>
        <Field
          id="field-name"
          label="Key"
          hint="How the API names it: lower-case letters, digits and _. It cannot change later."
          error={errorOf('field_name')}
        >
          <input
            type="text"
            value={draft.field_name}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              set({ field_name: e.target.value, nameTouched: true });
            }}
          />
        </Field>
        <Field id="field-type" label="Type" error={errorOf('field_type')}>
          <select
            value={draft.field_type}
            onChange={(e) => {
              const type = FIELD_TYPES.find((t) => t === e.target.value);
              if (type) set({ field_type: type, min: '', max: '', pattern: '' });
            }}
          >
            {FIELD_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </Field>
        {draft.field_type === 'currency' && (
          <Field
            id="field-currency"
            label="Currency"
            hint="The one currency its amounts are in."
            error={errorOf('validation.currency')}
          >
            <select
              value={draft.currency}
              onChange={(e) => {
                set({ currency: e.target.value });
              }}
            >
              {currencies().map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>

      {takesOptions(draft.field_type) && (
        <fieldset className="form-section">
          <legend>Choices</legend>
          {errorOf('field_options') && (
            <p className="field-error" id="field-options-error">
              {errorOf('field_options')}
            </p>
          )}
          <ol className="option-rows">
            {draft.options.map((option, row) => (
              <li key={row} className="option-row">
                <Field
                  id={`field-option-${row}`}
                  label={`Choice ${row + 1}`}
                  error={
                    option.trim() === ''
                      ? undefined
                      : errorOf(
                          `field_options.${sentIndex(row)}.value`,
                          `field_options.${sentIndex(row)}.label`,
                        )
                  }
                >
                  <input
                    type="text"
                    value={option}
                    autoComplete="off"
                    onChange={(e) => {
                      const options = [...draft.options];
                      options[row] = e.target.value;
                      set({ options });
                    }}
                  />
                </Field>
                <button
                  type="button"
                  className="btn btn-icon"
                  aria-label={`Remove choice ${row + 1}`}
                  title="Remove this choice"
                  disabled={draft.options.length <= 1}
                  onClick={() => {
                    set({ options: draft.options.filter((_, i) => i !== row) });
                  }}
                >
                  <X aria-hidden="true" size={16} />
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              set({ options: [...draft.options, ''] });
            }}
          >
            <Plus aria-hidden="true" size={14} /> Add a choice
          </button>
        </fieldset>
      )}

      <fieldset className="form-section">
        <legend>Rules</legend>
        <div className="checkbox">
          <input
            id="field-required"
            type="checkbox"
            checked={draft.is_required}
            onChange={(e) => {
              set({ is_required: e.target.checked });
            }}
          />
          <label htmlFor="field-required">Required on every new customer</label>
        </div>
        <div className="checkbox">
          <input
            id="field-sensitive"
            type="checkbox"
            checked={draft.is_sensitive}
            aria-describedby="field-sensitive-hint"
            onChange={(e) => {
              set({ is_sensitive: e.target.checked });
            }}
          />
          <label htmlFor="field-sensitive">Sensitive</label>
        </div>
        <p id="field-sensitive-hint" className="field-hint">
          Sensitive values are stored encrypted and erased with the customer; they are never
          searched, filtered on or exported.
        </p>
        {kind !== null && (
          <div className="form-grid">
            <Field
              id="field-min"
              label={BOUND_LABELS[kind][0]}
              error={errorOf('validation.min')}
              {...(kind === 'datetime'
                ? { hint: `On the clock of ${format.conventions.timeZone ?? 'this browser'}` }
                : {})}
            >
              <input
                type={BOUND_LABELS[kind][2]}
                inputMode={BOUND_LABELS[kind][2] === 'number' ? 'decimal' : undefined}
                value={draft.min}
                onChange={(e) => {
                  set({ min: e.target.value });
                }}
              />
            </Field>
            <Field id="field-max" label={BOUND_LABELS[kind][1]} error={errorOf('validation.max')}>
              <input
                type={BOUND_LABELS[kind][2]}
                inputMode={BOUND_LABELS[kind][2] === 'number' ? 'decimal' : undefined}
                value={draft.max}
                onChange={(e) => {
                  set({ max: e.target.value });
                }}
              />
            </Field>
          </div>
        )}
        {takesPattern(draft.field_type) && (
          <Field
            id="field-pattern"
            label="Pattern"
            hint="A regular expression every value must match, e.g. ^[A-Z]{2}\d{4}$"
            error={errorOf('validation.pattern')}
          >
            <input
              type="text"
              value={draft.pattern}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => {
                set({ pattern: e.target.value });
              }}
            />
          </Field>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add field'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { Plus, X } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import type { CustomFieldDefinition } from '../../api/types';
import { useFormat } from '../../ui/format';
import {
  OPS_OF,
  buildCondition,
  currencyOf,
  describeCondition,
  kindOf,
  valueInputOf,
} from './field-conditions';
import type { ConditionOp, FieldCondition } from './list-query';

/**
 * Conditions on custom fields: pick a field, how to compare and a value, then Add; each
 * condition shows as a chip that removes it. The list applies them at once.
 */
export function ConditionBuilder({
  fields,
  conditions,
  onChange,
}: {
  fields: CustomFieldDefinition[];
  conditions: FieldCondition[];
  onChange: (next: FieldCondition[]) => void;
}) {
  const format = useFormat();
  const [fieldName, setFieldName] = useState('');
  const [op, setOp] = useState<ConditionOp | ''>('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const definition = fields.find((f) => f.field_name === fieldName);
  const ops = definition ? OPS_OF[kindOf(definition)] : [];
  const chosenOp = ops.find((o) => o.op === op)?.op ?? ops[0]?.op;
  const input = definition && chosenOp ? valueInputOf(kindOf(definition), chosenOp) : 'none';

  const add = () => {
    if (!definition || !chosenOp) {
      setError('Choose a field');
      return;
    }
    const built = buildCondition(
      definition,
      chosenOp,
      input === 'yes_no' && value === '' ? 'true' : value,
    );
    if ('error' in built) {
      setError(built.error);
      return;
    }
    setError(null);
    setValue('');
    onChange([...conditions, built.condition]);
  };
  const addOnEnter = (event: KeyboardEvent) => {
    // Enter adds the condition rather than submitting the search form around it.
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };
  const currency = definition ? currencyOf(definition) : null;

  return (
    <fieldset className="condition-builder">
      <legend>Custom fields</legend>
      {conditions.length > 0 && (
        <ul className="chip-list" aria-label="Custom field conditions">
          {conditions.map((condition, i) => {
            const words = describeCondition(condition, fields, format);
            return (
              <li key={`${condition.field}-${String(i)}`} className="chip chip-static">
                {words}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove condition: ${words}`}
                  onClick={() => {
                    onChange(conditions.filter((_, at) => at !== i));
                  }}
                >
                  <X aria-hidden="true" size={14} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="condition-row">
        <div className="field">
          <label htmlFor="condition-field">Field</label>
          <select
            id="condition-field"
            value={fieldName}
            onChange={(e) => {
              setFieldName(e.target.value);
              setOp('');
              setValue('');
              setError(null);
            }}
          >
            <option value="">Choose a field</option>
            {fields.map((f) => (
              <option key={f.id} value={f.field_name}>
                {f.field_label}
              </option>
            ))}
          </select>
        </div>
        {definition && (
          <div className="field">
            <label htmlFor="condition-op">Condition</label>
            <select
              id="condition-op"
              value={chosenOp ?? ''}
              onChange={(e) => {
                setOp(ops.find((o) => o.op === e.target.value)?.op ?? '');
                setError(null);
              }}
            >
              {ops.map((o) => (
                <option key={o.op} value={o.op}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        )}
        {definition && input !== 'none' && (
          <div className={`field${error ? ' field-invalid' : ''}`}>
            <label htmlFor="condition-value">
              {input === 'days'
                ? 'Days'
                : input === 'money' && currency
                  ? `Amount (${currency})`
                  : 'Value'}
            </label>
            {input === 'option' || input === 'yes_no' ? (
              <select
                id="condition-value"
                value={input === 'yes_no' && value === '' ? 'true' : value}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'condition-error' : undefined}
                onChange={(e) => {
                  setValue(e.target.value);
                }}
              >
                {input === 'yes_no' ? (
                  <>
                    <option value="true">Yes</option>
                    <option value="false">No</option>
                  </>
                ) : (
                  <>
                    <option value="">Choose…</option>
                    {definition.field_options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </>
                )}
              </select>
            ) : (
              <input
                id="condition-value"
                type={input === 'date' ? 'date' : 'text'}
                inputMode={input === 'number' || input === 'days' ? 'decimal' : undefined}
                value={value}
                autoComplete="off"
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'condition-error' : undefined}
                onKeyDown={addOnEnter}
                onChange={(e) => {
                  setValue(e.target.value);
                }}
              />
            )}
          </div>
        )}
        <div className="condition-actions">
          <button type="button" className="btn" onClick={add} disabled={!definition}>
            <Plus aria-hidden="true" size={16} /> Add condition
          </button>
        </div>
      </div>
      {error && (
        <p id="condition-error" className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

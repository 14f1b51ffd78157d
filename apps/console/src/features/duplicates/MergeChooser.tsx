import { GitMerge, Star } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { Customer } from '../../api/types';
import { Badge } from '../../ui/Badge';
import { useFormat } from '../../ui/format';
import {
  choose,
  defaultChoices,
  describeValue,
  fieldRows,
  mergeBody,
  previewMerge,
  type Choices,
  type CustomFieldName,
  type Describe,
  type MergeCustomersBody,
} from './merge-chooser';
import './duplicates.css';

export function fullName(c: Pick<Customer, 'first_name' | 'last_name'>): string {
  return `${c.first_name} ${c.last_name}`.trim();
}

function Value({ text }: { text: string }) {
  return text === 'Empty' ? <span className="muted">Empty</span> : <>{text}</>;
}

/**
 * Side by side, the values of the customers being merged; per field the person picks the one
 * the survivor keeps, sees the result, and confirms. `customers` starts with the survivor.
 */
export function MergeChooser({
  customers,
  custom,
  stageLabel,
  pending,
  errorOf,
  onMerge,
}: {
  customers: Customer[];
  custom: CustomFieldName[];
  stageLabel?: (key: string) => string;
  pending: boolean;
  /** The API's message about a field (`field_choices.<key>`), shown in its row. */
  errorOf: (key: string) => string | undefined;
  onMerge: (body: MergeCustomersBody) => void;
}) {
  const format = useFormat();
  const rows = useMemo(() => fieldRows(customers, custom), [customers, custom]);
  const [picked, setPicked] = useState<Choices>({});
  // Fields without a pick (yet) follow the defaults, also those of custom fields known later.
  const choices: Choices = { ...defaultChoices(rows), ...picked };
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const mergeButton = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);
  // The button pressed is replaced: keyboard focus follows to its successor.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (cancelled.current) mergeButton.current?.focus();
    cancelled.current = false;
  }, [confirming]);
  const survivor = customers[0];
  if (survivor === undefined) return null;
  const others = customers.slice(1);
  const describe: Describe = { money: format.money, ...(stageLabel ? { stage: stageLabel } : {}) };
  const text = (key: Parameters<typeof describeValue>[0], value: unknown) =>
    describeValue(key, value, describe);
  const nameOf = (id: string) => {
    const c = customers.find((x) => x.id === id);
    return c ? fullName(c) : id;
  };
  const preview = previewMerge(customers, rows, choices);
  const columns = { '--merge-columns': customers.length } as CSSProperties;

  return (
    <div className="merge">
      <section className="card" aria-labelledby="choose-heading">
        <h2 id="choose-heading">Choose the values to keep</h2>
        <p className="field-hint">
          Each field starts with {fullName(survivor)}’s value, or the first other one where that is
          empty. Every phone number, tag and collaborator is kept; VIP and do-not-contact stay on if
          any record has them.
        </p>
        <div className="merge-grid" style={columns}>
          <div className="merge-head" aria-hidden="true">
            <span />
            {customers.map((c, i) => (
              <span key={c.id} className="merge-customer">
                {fullName(c)}
                {i === 0 && <span className="muted"> keeps its id</span>}
              </span>
            ))}
          </div>
          {rows.map((row) => {
            const labelId = `merge-label-${row.key}`;
            if (row.same) {
              return (
                <div key={row.key} className="merge-row merge-row-same">
                  <span className="merge-label" id={labelId}>
                    {row.label}
                  </span>
                  <span className="merge-same">
                    <Value text={text(row.key, row.values[0]?.value)} />{' '}
                    <span className="muted">(the same in every record)</span>
                  </span>
                </div>
              );
            }
            const error = errorOf(`field_choices.${row.key}`);
            return (
              <div
                key={row.key}
                className={`merge-row${error ? ' field-invalid' : ''}`}
                role="radiogroup"
                aria-labelledby={labelId}
                aria-describedby={error ? `${labelId}-error` : undefined}
              >
                <span className="merge-label" id={labelId}>
                  {row.label}
                </span>
                {row.values.map((v) => (
                  <label
                    key={v.customerId}
                    className={`merge-option${v.choosable ? '' : ' merge-option-off'}`}
                  >
                    <input
                      type="radio"
                      name={`merge-${row.key}`}
                      value={v.customerId}
                      checked={choices[row.key] === v.customerId}
                      disabled={!v.choosable || pending}
                      onChange={() => {
                        setConfirming(false);
                        setPicked(choose(choices, row, v.customerId));
                      }}
                    />
                    <span className="merge-value">
                      <Value text={text(row.key, v.value)} />
                    </span>{' '}
                    <span className="merge-source">from {nameOf(v.customerId)}</span>
                  </label>
                ))}
                {error && (
                  <p id={`${labelId}-error`} className="field-error merge-error">
                    {error}
                  </p>
                )}
              </div>
            );
          })}
        </div>
      </section>

      <section className="card merge-preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">After the merge</h2>
        <p className="profile-badges">
          {preview.vip && (
            <Badge tone="vip">
              <Star aria-hidden="true" size={12} /> VIP
            </Badge>
          )}
          {preview.doNotContact && <Badge tone="bad">Do not contact</Badge>}
        </p>
        <dl className="details">
          {preview.fields.map((f) => (
            <div key={f.key}>
              <dt>{f.label}</dt>
              <dd>
                <Value text={text(f.key, f.value)} />
              </dd>
            </div>
          ))}
          {preview.phones.length > 1 && (
            <div>
              <dt>Other numbers</dt>
              <dd>{preview.phones.slice(1).join(', ')}</dd>
            </div>
          )}
          <div>
            <dt>Tags</dt>
            <dd>
              <Value text={preview.tags.length > 0 ? preview.tags.join(', ') : 'Empty'} />
            </dd>
          </div>
        </dl>
        {confirming ? (
          <div className="merge-confirm" role="group" aria-labelledby="confirm-heading">
            <p id="confirm-heading" className="state-title">
              Merge {others.map(fullName).join(', ')} into {fullName(survivor)}?
            </p>
            <p>
              This cannot be undone: the other {others.length === 1 ? 'record goes' : 'records go'},
              and {others.length === 1 ? 'its id answers' : 'their ids answer'} with{' '}
              {fullName(survivor)} from now on. Their notes, bookings and history move over.
            </p>
            <div className="form-actions">
              <button
                ref={confirmButton}
                type="button"
                className="btn btn-primary"
                disabled={pending}
                onClick={() => {
                  onMerge(
                    mergeBody(
                      survivor.id,
                      others.map((o) => o.id),
                      rows,
                      choices,
                    ),
                  );
                }}
              >
                <GitMerge aria-hidden="true" size={16} />
                {pending ? 'Merging…' : 'Confirm merge'}
              </button>
              <button
                type="button"
                className="btn"
                disabled={pending}
                onClick={() => {
                  cancelled.current = true;
                  setConfirming(false);
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <div className="form-actions">
            <button
              ref={mergeButton}
              type="button"
              className="btn btn-primary"
              onClick={() => {
                setConfirming(true);
              }}
            >
              <GitMerge aria-hidden="true" size={16} />
              Merge {customers.length} customers
            </button>
          </div>
        )}
      </section>
    </div>
  );
}

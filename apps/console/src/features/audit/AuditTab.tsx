import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Pager } from '../../ui/Pager';
import { Lock } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { AuditEntry } from '../../api/types';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';

const PAGE_SIZE = 25;

function words(key: string): string {
  return key.replaceAll('_', ' ');
}

/**
 * A field name as people read it: `job_title` → "Job title", `custom_fields.size` → "Size
 * (custom field)", `consent.sms.marketing` → "Consent: sms marketing".
 */
export function fieldLabel(field: string): string {
  const [head = '', ...rest] = field.split('.');
  const custom = head === 'custom_fields' && rest.length > 0;
  const main = words(custom ? rest.join('.') : head);
  const label = main.charAt(0).toUpperCase() + main.slice(1);
  if (custom) return `${label} (custom field)`;
  return rest.length > 0 ? `${label}: ${rest.map(words).join(' ')}` : label;
}

/** A value of the trail in words: empty, yes/no, a list, or the parts of anything richer. */
export function auditValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(auditValue).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([key, part]) => `${words(key)}: ${auditValue(part)}`)
      .join(', ');
  }
  return JSON.stringify(value);
}

function Who({ actor }: { actor: AuditEntry['actor'] }) {
  const kind =
    actor.type === 'staff'
      ? 'Staff'
      : actor.type === 'customer'
        ? 'The customer'
        : actor.type === 'bookingx'
          ? 'BookingX'
          : 'The CRM';
  const name = actor.name ?? actor.id;
  return name && actor.type !== 'customer' ? (
    <span>
      {name}
      <span className="muted"> ({kind.toLowerCase()})</span>
    </span>
  ) : (
    <span>{kind}</span>
  );
}

/** The customer's audit trail (admins only): who changed which field, when, from what to what. */
export function AuditTab({ customerId }: { customerId: string }) {
  const format = useFormat();
  const [field, setField] = useState('');
  const [typed, setTyped] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: ['audit', customerId, field, cursor],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => {
      const query: { limit: number; cursor?: string; field?: string } = { limit: PAGE_SIZE };
      if (cursor !== undefined) query.cursor = cursor;
      if (field !== '') query.field = field;
      return unwrap(
        api.GET('/crm/customers/{id}/audit', {
          params: { path: { id: customerId }, query },
          signal,
        }),
      );
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setField(typed.trim());
    setCursors([]);
  };

  return (
    <section className="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit trail</h2>
      <p className="field-hint section-hint">
        Every change to the profile, newest first. The trail cannot be changed; sensitive values are
        not kept in it.
      </p>
      <form className="inline-form" role="search" aria-label="Audit trail" onSubmit={submit}>
        <div className="field">
          <label htmlFor="audit-field">Only changes of the field</label>
          <input
            id="audit-field"
            type="text"
            value={typed}
            placeholder="e.g. email or custom_fields.size"
            autoComplete="off"
            onChange={(e) => {
              setTyped(e.target.value);
            }}
          />
        </div>
        <button type="submit" className="btn">
          Show
        </button>
        {field !== '' && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setTyped('');
              setField('');
              setCursors([]);
            }}
          >
            All fields
          </button>
        )}
      </form>
      {page.isPending ? (
        <Loading label="Loading the audit trail…" />
      ) : page.isError ? (
        <ErrorMessage
          title="The audit trail could not be loaded"
          error={page.error}
          onRetry={() => void page.refetch()}
        />
      ) : page.data.data.length === 0 ? (
        <Empty title={field === '' ? 'No changes recorded yet' : `No changes of ${field}`} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-stack" aria-busy={page.isFetching}>
              <caption className="visually-hidden">Changes to the profile, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What changed</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Through</th>
                </tr>
              </thead>
              <tbody>
                {page.data.data.map((entry) => (
                  <tr key={entry.id}>
                    <td data-label="When">
                      <time dateTime={entry.occurred_at}>{format.dateTime(entry.occurred_at)}</time>
                    </td>
                    <td data-label="Who">
                      <Who actor={entry.actor} />
                    </td>
                    <td data-label="What changed">{fieldLabel(entry.field)}</td>
                    {entry.masked ? (
                      <td data-label="From and to" colSpan={2}>
                        <span className="muted">
                          <Lock aria-hidden="true" size={14} /> Sensitive: values not kept
                        </span>
                      </td>
                    ) : (
                      <>
                        <td data-label="From" className="audit-value">
                          {auditValue(entry.old_value)}
                        </td>
                        <td data-label="To" className="audit-value">
                          {auditValue(entry.new_value)}
                        </td>
                      </>
                    )}
                    <td data-label="Through" className="muted audit-via">
                      {entry.via}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Pages of the audit trail"
            cursors={cursors}
            nextCursor={page.data.next_cursor}
            onCursors={setCursors}
            previousLabel="Newer"
            nextLabel="Older"
          />
        </>
      )}
    </section>
  );
}

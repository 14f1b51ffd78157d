import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus, X } from 'lucide-react';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { describeError, fieldErrorText, unplacedFieldErrors } from '../../api/problem';
import type { Customer, Relationship, RelationshipType } from '../../api/types';
import { useSession } from '../../auth/session';
import { Badge } from '../../ui/Badge';
import { Field } from '../../ui/Field';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { CustomerPicker, type PickedCustomer } from '../pickers/CustomerPicker';
import { HouseholdSection } from './HouseholdSection';
import { RELATIONSHIPS, useRelationships } from './queries';
import { RELATIONSHIP_LABELS, RELATIONSHIP_TYPES } from './types';

function nameOf(c: { first_name: string; last_name: string }): string {
  return `${c.first_name} ${c.last_name}`.trim();
}

/** The customer's household and relationships to other customers, both sides kept by the API. */
export function RelationshipsTab({
  customer,
  onChanged,
}: {
  customer: Customer;
  onChanged: () => void;
}) {
  const { can } = useSession();
  const relationships = useRelationships(customer.id);
  const [adding, setAdding] = useState(false);

  if (relationships.isPending) return <Loading label="Loading the relationships…" />;
  if (relationships.isError) {
    return (
      <ErrorMessage
        title="The relationships could not be loaded"
        error={relationships.error}
        onRetry={() => void relationships.refetch()}
      />
    );
  }
  const { data, household } = relationships.data;
  return (
    <div className="tab-sections">
      <HouseholdSection
        customer={customer}
        household={household}
        onReload={() => void relationships.refetch()}
        onChanged={onChanged}
      />
      <section className="card" aria-labelledby="relationships-heading">
        <div className="section-header">
          <h2 id="relationships-heading">Relationships</h2>
          {can('createRelationship') && !adding && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                setAdding(true);
              }}
            >
              <Plus aria-hidden="true" size={16} /> Add relationship
            </button>
          )}
        </div>
        {adding && (
          <AddRelationshipForm
            customer={customer}
            excludeIds={[customer.id]}
            onDone={() => {
              setAdding(false);
            }}
            onChanged={onChanged}
          />
        )}
        {data.length === 0 ? (
          <Empty title="No relationships yet">
            <p>Relate family, friends, colleagues and referrals to see them side by side.</p>
          </Empty>
        ) : (
          <ul className="item-list" aria-label={`Relationships of ${nameOf(customer)}`}>
            {data.map((r) => (
              <RelationshipItem
                key={r.id}
                relationship={r}
                customer={customer}
                onChanged={onChanged}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function RelationshipItem({
  relationship,
  customer,
  onChanged,
}: {
  relationship: Relationship;
  customer: Customer;
  onChanged: () => void;
}) {
  const { can } = useSession();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const other = nameOf(relationship.related_customer);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/crm/customers/{id}/relationships/{relationship_id}', {
          params: { path: { id: customer.id, relationship_id: relationship.id } },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: RELATIONSHIPS });
      onChanged();
    },
  });
  return (
    <li className="item">
      <div className="item-main">
        <Link to={`/customers/${relationship.related_customer.id}`}>{other}</Link>{' '}
        <Badge tone="info">{RELATIONSHIP_LABELS[relationship.type]}</Badge>
        {relationship.note && <p className="item-note">{relationship.note}</p>}
        <p className="item-meta">
          Added{' '}
          <time dateTime={relationship.created_at}>{format.date(relationship.created_at)}</time>
        </p>
        {remove.isError && (
          <p className="field-error" role="alert">
            The relationship was not removed: {describeError(remove.error)}
          </p>
        )}
      </div>
      {can('deleteRelationship') &&
        (confirming ? (
          <div className="item-actions" role="group" aria-label={`Remove ${other}`}>
            <span>Remove the relationship with {other} on both sides?</span>
            <button
              type="button"
              className="btn btn-danger btn-small"
              disabled={remove.isPending}
              onClick={() => {
                remove.mutate();
              }}
            >
              {remove.isPending ? 'Removing…' : 'Remove'}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setConfirming(false);
              }}
            >
              Keep
            </button>
          </div>
        ) : (
          <div className="item-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setConfirming(true);
              }}
            >
              <X aria-hidden="true" size={14} /> Remove
              <span className="visually-hidden"> the relationship with {other}</span>
            </button>
          </div>
        ))}
    </li>
  );
}

function AddRelationshipForm({
  customer,
  excludeIds,
  onDone,
  onChanged,
}: {
  customer: Customer;
  excludeIds: string[];
  onDone: () => void;
  onChanged: () => void;
}) {
  const queryClient = useQueryClient();
  const [related, setRelated] = useState<PickedCustomer | null>(null);
  const [type, setType] = useState<RelationshipType | ''>('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<{ related?: string; type?: string }>({});
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const add = useMutation({
    mutationFn: (body: { related_customer_id: string; type: RelationshipType; note?: string }) =>
      unwrap(
        api.POST('/crm/customers/{id}/relationships', {
          params: { path: { id: customer.id }, header: { 'Idempotency-Key': idempotencyKey } },
          body,
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: RELATIONSHIPS });
      onChanged();
      onDone();
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const lacking = {
      ...(related ? {} : { related: 'Choose the related customer' }),
      ...(type ? {} : { type: 'Choose what they are to this customer' }),
    };
    setMissing(lacking);
    if (!related || !type) return;
    add.mutate({
      related_customer_id: related.id,
      type,
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    });
  };
  const unplaced = unplacedFieldErrors(add.error, ['related_customer_id', 'type', 'note']);

  return (
    <form
      className="card form form-inset"
      onSubmit={submit}
      aria-labelledby="add-rel-heading"
      noValidate
    >
      <h3 id="add-rel-heading" tabIndex={-1} ref={heading}>
        Add a relationship
      </h3>
      {add.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">The relationship was not added</p>
          <p>{describeError(add.error)}</p>
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map((e) => (
                <li key={`${e.field}-${e.code}`}>{e.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="form-grid">
        <div>
          {related && (
            <p className="picked">
              <span className="muted">Related customer: </span>
              <strong>{nameOf(related)}</strong>
              {related.email && <span className="muted"> ({related.email})</span>}
            </p>
          )}
          <CustomerPicker
            id="rel-customer"
            label={related ? 'Choose another customer' : 'Related customer'}
            excludeIds={excludeIds}
            error={
              fieldErrorText(add.error, 'related_customer_id') ??
              (related ? undefined : missing.related)
            }
            onPick={(picked) => {
              setRelated(picked);
              setMissing({ ...missing, related: undefined });
            }}
          />
        </div>
        <Field
          id="rel-type"
          label={`They are ${nameOf(customer)}’s`}
          error={fieldErrorText(add.error, 'type') ?? (type ? undefined : missing.type)}
        >
          <select
            value={type}
            onChange={(e) => {
              setType(RELATIONSHIP_TYPES.find((t) => t === e.target.value) ?? '');
            }}
          >
            <option value="">Choose…</option>
            {RELATIONSHIP_TYPES.map((t) => (
              <option key={t} value={t}>
                {RELATIONSHIP_LABELS[t]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id="rel-note" label="Note (optional)" error={fieldErrorText(add.error, 'note')}>
        <input
          type="text"
          value={note}
          maxLength={500}
          onChange={(e) => {
            setNote(e.target.value);
          }}
        />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add relationship'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

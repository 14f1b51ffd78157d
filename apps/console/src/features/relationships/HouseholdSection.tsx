import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Home, X } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError, describeError, fieldErrorText } from '../../api/problem';
import type { Customer, Household } from '../../api/types';
import { useSession } from '../../auth/session';
import { Field } from '../../ui/Field';
import { CustomerPicker, type PickedCustomer } from '../pickers/CustomerPicker';
import { RELATIONSHIPS } from './queries';

type Member = Household['members'][number];

function nameOf(c: { first_name: string; last_name: string }): string {
  return `${c.first_name} ${c.last_name}`.trim();
}

/** The version a household was read at, for If-Match: a change made meanwhile is never overwritten. */
function ifMatch(household: Household) {
  return { 'If-Match': `"${String(household.version)}"` };
}

const STALE = 'Someone else changed this household first.';

/**
 * The household the customer belongs to (at most one): its members, adding and removing
 * them, dissolving it; or making one when there is none.
 */
export function HouseholdSection({
  customer,
  household,
  onReload,
  onChanged,
}: {
  customer: Customer;
  household: Household | null;
  onReload: () => void;
  onChanged: () => void;
}) {
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  return (
    <section className="card" aria-labelledby="household-heading">
      <div className="section-header">
        <h2 id="household-heading">
          <Home aria-hidden="true" size={18} /> Household
        </h2>
        {household === null && can('createHousehold') && !creating && (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setCreating(true);
            }}
          >
            Make a household
          </button>
        )}
      </div>
      {household === null ? (
        creating ? (
          <CreateHouseholdForm
            customer={customer}
            onDone={() => {
              setCreating(false);
            }}
            onChanged={onChanged}
          />
        ) : (
          <p className="muted">{nameOf(customer)} is not in a household.</p>
        )
      ) : (
        <HouseholdView
          customer={customer}
          household={household}
          onReload={onReload}
          onChanged={onChanged}
        />
      )}
    </section>
  );
}

function HouseholdView({
  customer,
  household,
  onReload,
  onChanged,
}: {
  customer: Customer;
  household: Household;
  onReload: () => void;
  onChanged: () => void;
}) {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [dissolving, setDissolving] = useState(false);
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: RELATIONSHIPS });
    onChanged();
  };
  const change = useMutation({
    mutationFn: (body: { add_member_ids?: string[]; remove_member_ids?: string[] }) =>
      unwrap(
        api.PATCH('/crm/households/{household_id}', {
          params: { path: { household_id: household.id }, header: ifMatch(household) },
          body,
        }),
      ),
    onSuccess: done,
  });
  const dissolve = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/crm/households/{household_id}', {
          params: { path: { household_id: household.id }, header: ifMatch(household) },
        }),
      ),
    onSuccess: done,
  });
  const failed = change.error ?? dissolve.error;
  const stale = failed instanceof ApiError && failed.status === 412;
  const mayChange = can('updateHousehold');

  return (
    <>
      <h3 className="household-name">{household.name}</h3>
      {failed !== null && (
        <div className="state state-error" role="alert">
          <p className="state-title">{stale ? STALE : 'The household was not changed'}</p>
          <p>
            {stale ? 'Reload to see their change, then make yours again.' : describeError(failed)}
          </p>
          {stale && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                change.reset();
                dissolve.reset();
                onReload();
              }}
            >
              Reload
            </button>
          )}
        </div>
      )}
      <ul className="item-list" aria-label={`Members of ${household.name}`}>
        {household.members.map((m: Member) => {
          const name = nameOf(m);
          const self = m.id === customer.id;
          return (
            <li key={m.id} className="item">
              <div className="item-main">
                {self ? <strong>{name}</strong> : <Link to={`/customers/${m.id}`}>{name}</Link>}
                {self && <span className="muted"> (this customer)</span>}
              </div>
              {mayChange && (
                <div className="item-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={change.isPending}
                    onClick={() => {
                      change.mutate({ remove_member_ids: [m.id] });
                    }}
                  >
                    <X aria-hidden="true" size={14} /> {self ? 'Leave' : 'Remove'}
                    <span className="visually-hidden">
                      {' '}
                      {name} from {household.name}
                    </span>
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {mayChange && (
        <CustomerPicker
          id="household-add"
          label="Add a member"
          excludeIds={household.members.map((m) => m.id)}
          error={fieldErrorText(change.error, 'add_member_ids')}
          onPick={(picked) => {
            change.mutate({ add_member_ids: [picked.id] });
          }}
        />
      )}
      {mayChange && (
        <p className="field-hint">
          A customer is in one household at most: adding one moves them from theirs.
        </p>
      )}
      {can('deleteHousehold') &&
        (dissolving ? (
          <div className="item-actions" role="group" aria-label="Dissolve the household">
            <span>Dissolve {household.name}? Its members stay as customers.</span>
            <button
              type="button"
              className="btn btn-danger btn-small"
              disabled={dissolve.isPending}
              onClick={() => {
                dissolve.mutate();
              }}
            >
              {dissolve.isPending ? 'Dissolving…' : 'Dissolve'}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setDissolving(false);
              }}
            >
              Keep
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setDissolving(true);
            }}
          >
            Dissolve household
          </button>
        ))}
    </>
  );
}

function CreateHouseholdForm({
  customer,
  onDone,
  onChanged,
}: {
  customer: Customer;
  onDone: () => void;
  onChanged: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(
    customer.last_name.trim() === '' ? '' : `${customer.last_name.trim()} household`,
  );
  const [others, setOthers] = useState<PickedCustomer[]>([]);
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/crm/households', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: { name: name.trim(), member_ids: [customer.id, ...others.map((o) => o.id)] },
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
    create.mutate();
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Make a household" noValidate>
      {create.isError && !fieldErrorText(create.error, 'name', 'member_ids') && (
        <div className="state state-error" role="alert">
          <p className="state-title">The household was not made</p>
          <p>{describeError(create.error)}</p>
        </div>
      )}
      <Field id="household-name" label="Name" error={fieldErrorText(create.error, 'name')}>
        <input
          type="text"
          value={name}
          maxLength={200}
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
      </Field>
      <p className="muted">Members: {[nameOf(customer), ...others.map(nameOf)].join(', ')}</p>
      {others.length > 0 && (
        <ul className="chip-list" aria-label="Other members">
          {others.map((o) => (
            <li key={o.id} className="chip chip-static">
              {nameOf(o)}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Leave out ${nameOf(o)}`}
                onClick={() => {
                  setOthers(others.filter((x) => x.id !== o.id));
                }}
              >
                <X aria-hidden="true" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <CustomerPicker
        id="household-member"
        label="Add another member"
        excludeIds={[customer.id, ...others.map((o) => o.id)]}
        error={fieldErrorText(create.error, 'member_ids')}
        onPick={(picked) => {
          setOthers([...others, picked]);
        }}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Making…' : 'Make household'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

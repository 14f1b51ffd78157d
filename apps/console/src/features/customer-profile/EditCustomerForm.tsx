import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, unwrapWithEtag } from '../../api/client';
import { ApiError, describeError, fieldErrorMessage } from '../../api/problem';
import type { Customer } from '../../api/types';
import { useSession } from '../../auth/session';
import { Field } from '../../ui/Field';
import { useFormat } from '../../ui/format';
import { CustomFieldInput } from '../custom-fields/CustomFieldInput';
import { changedValues, currencyOf, draftOf, type ValueDraft } from '../custom-fields/field-values';
import { useCustomFields } from '../custom-fields/queries';
import { STATUSES } from '../customers/list-query';
import type { StageOption } from '../customers/CustomerFilters';
import { MemberChip, MemberName, MemberPicker } from '../pickers/MemberPicker';
import { changesBetween, editableFrom, formFieldOf, type EditableFields } from './edit-customer';
import { customerKey } from './queries';

export const STALE_MESSAGE = 'Someone else changed this customer first.';

/** Edits the main fields with If-Match: a change made meanwhile by someone else is never overwritten. */
export function EditCustomerForm({
  customer,
  etag,
  stages,
  onDone,
  onSaved,
  onReload,
}: {
  customer: Customer;
  etag: string | null;
  stages: StageOption[];
  onDone: () => void;
  onSaved: () => void;
  /** Reads the customer again; the form then starts from what is stored now. */
  onReload: () => Promise<Customer | undefined>;
}) {
  const queryClient = useQueryClient();
  const { can } = useSession();
  // Owner and collaborators are for the roles that may assign: those of bulk assignment.
  const canAssign = can('bulkAssign');
  const [draft, setDraft] = useState<EditableFields>(() => editableFrom(customer));
  const [base, setBase] = useState<EditableFields>(() => editableFrom(customer));
  // Custom field values as read when the form opened, and the inputs changed since.
  const [storedValues, setStoredValues] = useState(customer.custom_fields);
  const [valueDrafts, setValueDrafts] = useState<Record<string, ValueDraft>>({});
  const definitions = useCustomFields();
  const format = useFormat();
  const valueContext = {
    timeZone: format.conventions.timeZone,
    currency: format.conventions.currency,
  };
  const changedCustomFields = changedValues(
    definitions.data ?? [],
    storedValues,
    valueDrafts,
    valueContext,
  );
  const body = {
    ...changesBetween(base, draft),
    ...(Object.keys(changedCustomFields).length > 0 ? { custom_fields: changedCustomFields } : {}),
  };
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const save = useMutation({
    mutationFn: () =>
      unwrapWithEtag(
        api.PATCH('/crm/customers/{id}', {
          params: {
            path: { id: customer.id },
            header: etag === null ? {} : { 'If-Match': etag },
          },
          body,
        }),
      ),
    onSuccess: (result) => {
      queryClient.setQueryData(customerKey(customer.id), result);
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      onSaved();
      onDone();
    },
  });

  const reload = async () => {
    const fresh = await onReload();
    if (fresh === undefined) return;
    setBase(editableFrom(fresh));
    setDraft(editableFrom(fresh));
    setStoredValues(fresh.custom_fields);
    setValueDrafts({});
    save.reset();
  };

  const stale = save.error instanceof ApiError && save.error.status === 412;
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors : [];
  const errorOf = (field: string) =>
    fieldErrors
      .filter((e) => formFieldOf(e.field) === field)
      .map(fieldErrorMessage)
      .join(' ') || undefined;
  const placedValues = new Set(
    (definitions.data ?? []).map((d) => `custom_fields.${d.field_name}`),
  );
  const unplaced = fieldErrors.filter(
    (e) => !(formFieldOf(e.field) in draft) && !placedValues.has(e.field),
  );
  const nothingChanged = Object.keys(body).length === 0;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (nothingChanged) {
      onDone();
      return;
    }
    save.mutate();
  };
  const text = (key: keyof EditableFields, label: string, type = 'text', autoComplete = 'off') => (
    <Field id={`edit-${key}`} label={label} error={errorOf(key)}>
      <input
        type={type}
        value={String(draft[key])}
        autoComplete={autoComplete}
        onChange={(e) => {
          setDraft({ ...draft, [key]: e.target.value });
        }}
      />
    </Field>
  );

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="edit-heading" noValidate>
      <h2 id="edit-heading" tabIndex={-1} ref={heading}>
        Edit customer
      </h2>
      {stale && (
        <div className="state state-error" role="alert">
          <p className="state-title">{STALE_MESSAGE}</p>
          <p>Reload to see their change, then make yours again.</p>
          <button type="button" className="btn" onClick={() => void reload()}>
            Reload
          </button>
        </div>
      )}
      {save.isError && !stale && (
        <div className="state state-error" role="alert">
          <p className="state-title">The change was not saved</p>
          <p>{describeError(save.error)}</p>
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map((e) => (
                <li key={`${e.field}-${e.code}`}>
                  {e.field}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="form-grid">
        {text('first_name', 'First name', 'text', 'given-name')}
        {text('last_name', 'Last name', 'text', 'family-name')}
        {text('email', 'Email', 'email', 'email')}
        {text('phone', 'Phone', 'tel', 'tel')}
        {text('company_name', 'Company', 'text', 'organization')}
        {text('job_title', 'Job title', 'text', 'organization-title')}
        <Field id="edit-customer_status" label="Status" error={errorOf('customer_status')}>
          <select
            value={draft.customer_status}
            onChange={(e) => {
              const status = STATUSES.find((s) => s === e.target.value);
              if (status) setDraft({ ...draft, customer_status: status });
            }}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0).toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="edit-customer_stage" label="Stage" error={errorOf('customer_stage')}>
          <select
            value={draft.customer_stage}
            onChange={(e) => {
              setDraft({ ...draft, customer_stage: e.target.value });
            }}
          >
            {!stages.some((s) => s.key === draft.customer_stage) && (
              <option value={draft.customer_stage}>{draft.customer_stage}</option>
            )}
            {stages.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="checkbox">
        <input
          id="edit-vip_status"
          type="checkbox"
          checked={draft.vip_status}
          onChange={(e) => {
            setDraft({ ...draft, vip_status: e.target.checked });
          }}
        />
        <label htmlFor="edit-vip_status">VIP customer</label>
      </div>
      {canAssign && (
        <fieldset className="assignment">
          <legend>Assignment</legend>
          <div className="form-grid">
            <div>
              <p className="assignment-current">
                <span className="muted">Owner: </span>
                {draft.owner_id === '' ? (
                  <span>No owner</span>
                ) : (
                  <>
                    <MemberName id={draft.owner_id} />
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        setDraft({ ...draft, owner_id: '' });
                      }}
                    >
                      Remove owner
                    </button>
                  </>
                )}
              </p>
              <MemberPicker
                id="edit-owner_id"
                label={draft.owner_id === '' ? 'Choose an owner' : 'Change the owner'}
                excludeIds={[draft.owner_id]}
                error={errorOf('owner_id')}
                onPick={(member) => {
                  setDraft({ ...draft, owner_id: member.id });
                }}
              />
            </div>
            <div>
              <p className="assignment-current">
                <span className="muted">Collaborators: </span>
                {draft.collaborator_ids.length === 0 && <span>None</span>}
              </p>
              {draft.collaborator_ids.length > 0 && (
                <ul className="chip-list" aria-label="Collaborators">
                  {draft.collaborator_ids.map((id) => (
                    <MemberChip
                      key={id}
                      id={id}
                      what="collaborator"
                      onRemove={() => {
                        setDraft({
                          ...draft,
                          collaborator_ids: draft.collaborator_ids.filter((c) => c !== id),
                        });
                      }}
                    />
                  ))}
                </ul>
              )}
              <MemberPicker
                id="edit-collaborator_ids"
                label="Add a collaborator"
                excludeIds={[...draft.collaborator_ids, draft.owner_id]}
                error={errorOf('collaborator_ids')}
                onPick={(member) => {
                  setDraft({
                    ...draft,
                    collaborator_ids: [...draft.collaborator_ids, member.id],
                  });
                }}
              />
            </div>
          </div>
        </fieldset>
      )}
      {definitions.isError ? (
        <p className="field-error" role="alert">
          The custom fields could not be loaded: {describeError(definitions.error)}
        </p>
      ) : (definitions.data ?? []).length > 0 ? (
        <fieldset className="form-section">
          <legend>Custom fields</legend>
          <div className="form-grid">
            {(definitions.data ?? []).map((def) => {
              const stored = storedValues?.[def.field_name];
              return (
                <CustomFieldInput
                  key={def.id}
                  def={def}
                  value={valueDrafts[def.field_name] ?? draftOf(def, stored, valueContext)}
                  currency={currencyOf(def, stored, valueContext)}
                  timeZone={valueContext.timeZone}
                  error={errorOf(`custom_fields.${def.field_name}`)}
                  onChange={(next) => {
                    setValueDrafts({ ...valueDrafts, [def.field_name]: next });
                  }}
                />
              );
            })}
          </div>
        </fieldset>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || stale}>
          {save.isPending ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

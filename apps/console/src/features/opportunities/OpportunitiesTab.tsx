import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, describeError, fieldErrorText } from '../../api/problem';
import type { Opportunity, OpportunityStatus, UpdateOpportunity } from '../../api/types';
import { useSession } from '../../auth/session';
import { Badge } from '../../ui/Badge';
import { Field } from '../../ui/Field';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { MemberName, MemberPicker } from '../pickers/MemberPicker';
import {
  createBody,
  draftOf,
  draftProblems,
  emptyDraft,
  updateBody,
  type OpportunityDraft,
} from './opportunity-form';

const opportunitiesKey = (customerId: string) => ['opportunities', customerId] as const;
const STALE = 'Someone else changed this opportunity first.';

const STATUS_LABELS: Record<OpportunityStatus, string> = {
  open: 'Open',
  won: 'Won',
  lost: 'Lost',
};
const STATUS_TONES: Record<OpportunityStatus, 'info' | 'good' | 'bad'> = {
  open: 'info',
  won: 'good',
  lost: 'bad',
};

function useOpportunityStages() {
  return useQuery({
    queryKey: ['opportunity-stages'],
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/crm/opportunity-stages', { signal }))).data,
  });
}

type Shown = OpportunityStatus | 'all';

/** The customer's opportunities: open, add, move through the stages, revalue, win or lose. */
export function OpportunitiesTab({ customerId }: { customerId: string }) {
  const { can } = useSession();
  const format = useFormat();
  const [shown, setShown] = useState<Shown>('all');
  const [adding, setAdding] = useState(false);
  const stages = useOpportunityStages();
  const list = useInfiniteQuery({
    queryKey: [...opportunitiesKey(customerId), shown],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => {
      const query: { limit: number; cursor?: string; status?: OpportunityStatus } = { limit: 20 };
      if (pageParam !== undefined) query.cursor = pageParam;
      if (shown !== 'all') query.status = shown;
      return unwrap(
        api.GET('/crm/customers/{id}/opportunities', {
          params: { path: { id: customerId }, query },
          signal,
        }),
      );
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.data) ?? [];
  const stageOptions = stages.data ?? [];
  // A new amount is in the currency the customer's opportunities use, else the tenant's.
  const currency = items[0]?.value.currency ?? format.currency ?? 'EUR';

  return (
    <section className="card" aria-labelledby="opportunities-heading">
      <div className="section-header">
        <h2 id="opportunities-heading">Opportunities</h2>
        <div className="toolbar-actions">
          <div className="field field-inline">
            <label htmlFor="opportunities-shown">Show</label>
            <select
              id="opportunities-shown"
              value={shown}
              onChange={(e) => {
                const value = e.target.value;
                setShown(value === 'open' || value === 'won' || value === 'lost' ? value : 'all');
              }}
            >
              <option value="all">All</option>
              <option value="open">Open</option>
              <option value="won">Won</option>
              <option value="lost">Lost</option>
            </select>
          </div>
          {can('createOpportunity') && !adding && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                setAdding(true);
              }}
            >
              <Plus aria-hidden="true" size={16} /> Add opportunity
            </button>
          )}
        </div>
      </div>
      {adding && (
        <OpportunityForm
          customerId={customerId}
          stages={stageOptions}
          before={null}
          initial={emptyDraft(stageOptions[0]?.key ?? '', currency)}
          onDone={() => {
            setAdding(false);
          }}
        />
      )}
      {list.isPending ? (
        <Loading label="Loading the opportunities…" />
      ) : list.isError ? (
        <ErrorMessage
          title="The opportunities could not be loaded"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : items.length === 0 ? (
        <Empty
          title={
            shown === 'all'
              ? 'No opportunities yet'
              : `No ${STATUS_LABELS[shown].toLowerCase()} opportunities`
          }
        />
      ) : (
        <>
          <ul className="item-list" aria-label="Opportunities, newest first">
            {items.map((o) => (
              <OpportunityItem key={o.id} opportunity={o} stages={stageOptions} />
            ))}
          </ul>
          {list.hasNextPage && (
            <button
              type="button"
              className="btn"
              disabled={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              {list.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function OpportunityItem({
  opportunity,
  stages,
}: {
  opportunity: Opportunity;
  stages: { key: string; label: string }[];
}) {
  const { can } = useSession();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [losing, setLosing] = useState(false);
  const [reason, setReason] = useState('');
  const o = opportunity;
  const stageLabel = stages.find((s) => s.key === o.stage)?.label ?? o.stage;
  const update = useMutation({
    mutationFn: (body: UpdateOpportunity) =>
      unwrap(
        api.PATCH('/crm/opportunities/{opportunity_id}', {
          params: {
            path: { opportunity_id: o.id },
            header: { 'If-Match': `"${String(o.version)}"` },
          },
          body,
        }),
      ),
    onSuccess: () => {
      setLosing(false);
      void queryClient.invalidateQueries({ queryKey: opportunitiesKey(o.customer_id) });
      void queryClient.invalidateQueries({ queryKey: ['opportunity-stages'] });
    },
  });
  const stale = update.error instanceof ApiError && update.error.status === 412;
  const mayUpdate = can('updateOpportunity');
  const titleId = `opportunity-${o.id}-title`;

  if (editing) {
    return (
      <li className="item item-block">
        <OpportunityForm
          customerId={o.customer_id}
          stages={stages}
          before={o}
          initial={draftOf(o)}
          onDone={() => {
            setEditing(false);
          }}
        />
      </li>
    );
  }
  return (
    <li className="item item-block">
      <div className="item-head">
        <h3 id={titleId}>{o.title}</h3>
        <Badge tone={STATUS_TONES[o.status]}>{STATUS_LABELS[o.status]}</Badge>
      </div>
      <dl className="facts">
        <div>
          <dt>Value</dt>
          <dd>{format.money(o.value)}</dd>
        </div>
        <div>
          <dt>Stage</dt>
          <dd>{stageLabel}</dd>
        </div>
        <div>
          <dt>Expected to close</dt>
          <dd>
            {o.expected_close_date ? (
              <time dateTime={o.expected_close_date}>{format.date(o.expected_close_date)}</time>
            ) : (
              <span className="muted">Not set</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>
            {o.owner_id ? <MemberName id={o.owner_id} /> : <span className="muted">No owner</span>}
          </dd>
        </div>
        {o.closed_at && (
          <div>
            <dt>Closed</dt>
            <dd>
              <time dateTime={o.closed_at}>{format.date(o.closed_at)}</time>
            </dd>
          </div>
        )}
        {o.lost_reason && (
          <div>
            <dt>Why it was lost</dt>
            <dd>{o.lost_reason}</dd>
          </div>
        )}
      </dl>
      {update.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">{stale ? STALE : 'The opportunity was not changed'}</p>
          <p>
            {stale
              ? 'Reload to see their change, then make yours again.'
              : describeError(update.error)}
          </p>
          {stale && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                update.reset();
                void queryClient.invalidateQueries({ queryKey: opportunitiesKey(o.customer_id) });
              }}
            >
              Reload
            </button>
          )}
        </div>
      )}
      {mayUpdate && losing && (
        <form
          className="inline-form"
          aria-label={`Mark ${o.title} as lost`}
          onSubmit={(event: SubmitEvent) => {
            event.preventDefault();
            update.mutate({
              status: 'lost',
              lost_reason: reason.trim() === '' ? null : reason.trim(),
            });
          }}
          noValidate
        >
          <Field
            id={`lost-reason-${o.id}`}
            label="Why was it lost?"
            error={fieldErrorText(update.error, 'lost_reason')}
          >
            <input
              type="text"
              value={reason}
              maxLength={500}
              onChange={(e) => {
                setReason(e.target.value);
              }}
            />
          </Field>
          <button type="submit" className="btn btn-danger" disabled={update.isPending}>
            Mark as lost
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setLosing(false);
              update.reset();
            }}
          >
            Cancel
          </button>
        </form>
      )}
      {mayUpdate && !losing && (
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setEditing(true);
            }}
          >
            Edit<span className="visually-hidden"> {o.title}</span>
          </button>
          {o.status === 'open' ? (
            <>
              <button
                type="button"
                className="btn btn-small"
                disabled={update.isPending}
                onClick={() => {
                  update.mutate({ status: 'won' });
                }}
              >
                Mark as won<span className="visually-hidden">: {o.title}</span>
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  setLosing(true);
                }}
              >
                Mark as lost…<span className="visually-hidden"> {o.title}</span>
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              disabled={update.isPending}
              onClick={() => {
                update.mutate({ status: 'open' });
              }}
            >
              Reopen<span className="visually-hidden"> {o.title}</span>
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function OpportunityForm({
  customerId,
  stages,
  before,
  initial,
  onDone,
}: {
  customerId: string;
  stages: { key: string; label: string }[];
  /** The stored opportunity when editing; null when opening a new one. */
  before: Opportunity | null;
  initial: OpportunityDraft;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [shown, setShown] = useState<Record<string, string>>({});
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const save = useMutation({
    mutationFn: async () => {
      if (before === null) {
        return unwrap(
          api.POST('/crm/customers/{id}/opportunities', {
            params: { path: { id: customerId }, header: { 'Idempotency-Key': idempotencyKey } },
            body: createBody(draft),
          }),
        );
      }
      return unwrap(
        api.PATCH('/crm/opportunities/{opportunity_id}', {
          params: {
            path: { opportunity_id: before.id },
            header: { 'If-Match': `"${String(before.version)}"` },
          },
          body: updateBody(before, draft),
        }),
      );
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: opportunitiesKey(customerId) });
      void queryClient.invalidateQueries({ queryKey: ['opportunity-stages'] });
      onDone();
    },
  });
  const stale = save.error instanceof ApiError && save.error.status === 412;
  const errorOf = (field: string) => fieldErrorText(save.error, field) ?? shown[field];
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const problems = draftProblems(draft);
    setShown(problems);
    if (Object.keys(problems).length > 0) return;
    if (before !== null && Object.keys(updateBody(before, draft)).length === 0) {
      onDone();
      return;
    }
    save.mutate();
  };
  const set = (patch: Partial<OpportunityDraft>) => {
    setDraft({ ...draft, ...patch });
  };
  const prefix = before === null ? 'opp-new' : `opp-${before.id}`;
  const headingId = `${prefix}-heading`;

  return (
    <form className="card form form-inset" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h3 id={headingId} tabIndex={-1} ref={heading}>
        {before === null ? 'Add an opportunity' : `Edit ${before.title}`}
      </h3>
      {save.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">{stale ? STALE : 'The opportunity was not saved'}</p>
          <p>
            {stale
              ? 'Cancel and edit it again to start from their change.'
              : describeError(save.error)}
          </p>
        </div>
      )}
      <div className="form-grid">
        <Field id={`${prefix}-title`} label="Title" error={errorOf('title')}>
          <input
            type="text"
            value={draft.title}
            maxLength={200}
            onChange={(e) => {
              set({ title: e.target.value });
            }}
          />
        </Field>
        <Field id={`${prefix}-stage`} label="Stage" error={errorOf('stage')}>
          <select
            value={draft.stage}
            onChange={(e) => {
              set({ stage: e.target.value });
            }}
          >
            {!stages.some((s) => s.key === draft.stage) && (
              <option value={draft.stage}>{draft.stage || 'The first stage'}</option>
            )}
            {stages.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={`${prefix}-amount`}
          label="Value"
          hint="In the currency beside it, e.g. 1250.00"
          error={errorOf('value.amount_minor') ?? errorOf('value')}
        >
          <input
            type="text"
            inputMode="decimal"
            value={draft.amount}
            autoComplete="off"
            onChange={(e) => {
              set({ amount: e.target.value });
            }}
          />
        </Field>
        <Field id={`${prefix}-currency`} label="Currency" error={errorOf('value.currency')}>
          <input
            type="text"
            value={draft.currency}
            maxLength={3}
            autoComplete="off"
            className="input-short"
            onChange={(e) => {
              set({ currency: e.target.value.toUpperCase() });
            }}
          />
        </Field>
        <Field
          id={`${prefix}-close`}
          label="Expected to close (optional)"
          error={errorOf('expected_close_date')}
        >
          <input
            type="date"
            value={draft.expected_close_date}
            onChange={(e) => {
              set({ expected_close_date: e.target.value });
            }}
          />
        </Field>
        <div>
          <p className="assignment-current">
            <span className="muted">Owner: </span>
            {draft.owner_id === '' ? (
              <span>{before === null ? 'You' : 'No owner'}</span>
            ) : (
              <MemberName id={draft.owner_id} />
            )}
          </p>
          <MemberPicker
            id={`${prefix}-owner`}
            label="Another owner"
            excludeIds={[draft.owner_id]}
            error={errorOf('owner_id')}
            onPick={(member) => {
              set({ owner_id: member.id });
            }}
          />
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || stale}>
          {save.isPending ? 'Saving…' : before === null ? 'Add opportunity' : 'Save changes'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ShieldAlert } from 'lucide-react';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError, fieldErrorText } from '../../api/problem';
import type {
  ConsentChannel,
  ConsentPurpose,
  ConsentRecord,
  ConsentState,
  Customer,
} from '../../api/types';
import { useSession } from '../../auth/session';
import { Badge } from '../../ui/Badge';
import { Field } from '../../ui/Field';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { MemberName } from '../pickers/MemberPicker';

/** Every channel and purpose the API names, in words: a new one fails to compile until worded. */
export const CHANNEL_LABELS: Record<ConsentChannel, string> = {
  email: 'Email',
  sms: 'SMS',
  phone: 'Phone',
};
export const PURPOSE_LABELS: Record<ConsentPurpose, string> = {
  transactional: 'Service messages',
  marketing: 'Marketing',
};

/** Where a consent was given or withdrawn, as staff record it (the API takes any such key). */
const SOURCES: { key: string; label: string }[] = [
  { key: 'phone_call', label: 'On a phone call' },
  { key: 'in_person', label: 'In person' },
  { key: 'paper_form', label: 'On a paper form' },
  { key: 'email', label: 'By email' },
  { key: 'booking_form', label: 'On the booking form' },
];

function sourceLabel(source: string | null): string {
  if (source === null) return '—';
  if (source === 'self_service') return 'By the customer';
  return SOURCES.find((s) => s.key === source)?.label ?? source.replaceAll('_', ' ');
}

const consentKey = (id: string) => ['consent', id] as const;

function State({ granted }: { granted: boolean | null }) {
  if (granted === null) return <Badge>Never asked</Badge>;
  return granted ? <Badge tone="good">Granted</Badge> : <Badge tone="bad">Withdrawn</Badge>;
}

function RecordedBy({ by }: { by: ConsentRecord['recorded_by'] }) {
  if (by.type === 'staff' && by.id) return <MemberName id={by.id} />;
  if (by.type === 'customer') return <span>The customer</span>;
  if (by.type === 'bookingx') return <span>BookingX</span>;
  return <span>The CRM</span>;
}

/** The consent ledger: the state per channel and purpose now, every record before, and recording. */
export function ConsentTab({ customer }: { customer: Customer }) {
  const { can } = useSession();
  const format = useFormat();
  const id = customer.id;
  const state = useQuery({
    queryKey: [...consentKey(id), 'state'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/crm/customers/{id}/consent', { params: { path: { id } }, signal })),
  });
  const history = useInfiniteQuery({
    queryKey: [...consentKey(id), 'history'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => {
      const query: { limit: number; cursor?: string } = { limit: 20 };
      if (pageParam !== undefined) query.cursor = pageParam;
      return unwrap(
        api.GET('/crm/customers/{id}/consent/history', {
          params: { path: { id }, query },
          signal,
        }),
      );
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const [recording, setRecording] = useState<{
    channel: ConsentChannel;
    purpose: ConsentPurpose;
    granted: boolean;
  } | null>(null);
  const mayRecord = can('recordCustomerConsent');
  const records = history.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div className="tab-sections">
      <section className="card" aria-labelledby="consent-heading">
        <h2 id="consent-heading">Consent now</h2>
        {state.isPending ? (
          <Loading label="Loading the consent…" />
        ) : state.isError ? (
          <ErrorMessage
            title="The consent could not be loaded"
            error={state.error}
            onRetry={() => void state.refetch()}
          />
        ) : (
          <>
            {state.data.do_not_contact && (
              <p className="notice notice-warn">
                <ShieldAlert aria-hidden="true" size={16} /> Do not contact: no channel may be used,
                whatever the consents below say.
              </p>
            )}
            <ConsentTable
              state={state.data}
              mayRecord={mayRecord}
              onRecord={(channel, purpose, granted) => {
                setRecording({ channel, purpose, granted });
              }}
            />
            {recording && (
              <RecordConsentForm
                key={`${recording.channel}-${recording.purpose}-${String(recording.granted)}`}
                customer={customer}
                {...recording}
                onDone={() => {
                  setRecording(null);
                }}
              />
            )}
          </>
        )}
      </section>
      <section className="card" aria-labelledby="consent-history-heading">
        <h2 id="consent-history-heading">History</h2>
        {history.isPending ? (
          <Loading label="Loading the consent history…" />
        ) : history.isError ? (
          <ErrorMessage
            title="The consent history could not be loaded"
            error={history.error}
            onRetry={() => void history.refetch()}
          />
        ) : records.length === 0 ? (
          <Empty title="Nothing recorded yet">
            <p>Consents given or withdrawn appear here, newest first, and are never changed.</p>
          </Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table table-stack">
                <caption className="visually-hidden">Consent records, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Channel</th>
                    <th scope="col">Purpose</th>
                    <th scope="col">Change</th>
                    <th scope="col">How</th>
                    <th scope="col">Recorded by</th>
                    <th scope="col">Note</th>
                  </tr>
                </thead>
                <tbody>
                  {records.map((r) => (
                    <tr key={r.id}>
                      <td data-label="When">
                        <time dateTime={r.recorded_at}>{format.dateTime(r.recorded_at)}</time>
                      </td>
                      <td data-label="Channel">{CHANNEL_LABELS[r.channel]}</td>
                      <td data-label="Purpose">{PURPOSE_LABELS[r.purpose]}</td>
                      <td data-label="Change">
                        <State granted={r.granted} />
                      </td>
                      <td data-label="How">{sourceLabel(r.source)}</td>
                      <td data-label="Recorded by">
                        <RecordedBy by={r.recorded_by} />
                      </td>
                      <td data-label="Note">{r.note ?? <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {history.hasNextPage && (
              <button
                type="button"
                className="btn"
                disabled={history.isFetchingNextPage}
                onClick={() => void history.fetchNextPage()}
              >
                {history.isFetchingNextPage ? 'Loading…' : 'Show older records'}
              </button>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function ConsentTable({
  state,
  mayRecord,
  onRecord,
}: {
  state: ConsentState;
  mayRecord: boolean;
  onRecord: (channel: ConsentChannel, purpose: ConsentPurpose, granted: boolean) => void;
}) {
  const format = useFormat();
  return (
    <div className="table-wrap">
      <table className="table table-stack">
        <caption className="visually-hidden">Consent per channel and purpose</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Purpose</th>
            <th scope="col">Consent</th>
            <th scope="col">Since</th>
            <th scope="col">How</th>
            {mayRecord && (
              <th scope="col">
                <span className="visually-hidden">Record</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {state.consents.map((c) => {
            const what = `${PURPOSE_LABELS[c.purpose]} by ${CHANNEL_LABELS[c.channel]}`;
            return (
              <tr key={`${c.channel}-${c.purpose}`}>
                <th scope="row" data-label="Channel">
                  {CHANNEL_LABELS[c.channel]}
                </th>
                <td data-label="Purpose">{PURPOSE_LABELS[c.purpose]}</td>
                <td data-label="Consent">
                  <State granted={c.granted} />
                </td>
                <td data-label="Since">
                  {c.recorded_at ? (
                    <time dateTime={c.recorded_at}>{format.date(c.recorded_at)}</time>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td data-label="How">{sourceLabel(c.source)}</td>
                {mayRecord && (
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        onRecord(c.channel, c.purpose, c.granted !== true);
                      }}
                    >
                      {c.granted === true ? 'Withdraw' : 'Grant'}
                      <span className="visually-hidden"> {what}</span>
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RecordConsentForm({
  customer,
  channel,
  purpose,
  granted,
  onDone,
}: {
  customer: Customer;
  channel: ConsentChannel;
  purpose: ConsentPurpose;
  granted: boolean;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [source, setSource] = useState('phone_call');
  const [note, setNote] = useState('');
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const record = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/crm/customers/{id}/consent', {
          params: { path: { id: customer.id }, header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            channel,
            purpose,
            granted,
            source,
            ...(note.trim() === '' ? {} : { note: note.trim() }),
          },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: consentKey(customer.id) });
      onDone();
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    record.mutate();
  };
  const name = `${customer.first_name} ${customer.last_name}`.trim();
  const what = `${PURPOSE_LABELS[purpose].toLowerCase()} by ${CHANNEL_LABELS[channel]}`;
  return (
    <form
      className="card form form-inset"
      onSubmit={submit}
      aria-labelledby="consent-form-heading"
      noValidate
    >
      <h3 id="consent-form-heading" tabIndex={-1} ref={heading}>
        {granted
          ? `Record that ${name} agrees to ${what}`
          : `Record that ${name} withdraws consent to ${what}`}
      </h3>
      {record.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">Nothing was recorded</p>
          <p>{describeError(record.error)}</p>
        </div>
      )}
      <div className="form-grid">
        <Field
          id="consent-source"
          label="How they said so"
          error={fieldErrorText(record.error, 'source')}
        >
          <select
            value={source}
            onChange={(e) => {
              setSource(e.target.value);
            }}
          >
            {SOURCES.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="consent-note"
          label="Note (optional)"
          error={fieldErrorText(record.error, 'note')}
        >
          <input
            type="text"
            value={note}
            maxLength={500}
            onChange={(e) => {
              setNote(e.target.value);
            }}
          />
        </Field>
      </div>
      <p className="field-hint">
        The ledger keeps every record: a mistake is put right by a new one.
      </p>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={record.isPending}>
          {record.isPending ? 'Recording…' : granted ? 'Record consent' : 'Record withdrawal'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

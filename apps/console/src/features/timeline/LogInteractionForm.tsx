import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { LogInteraction, LoggableType } from '../../api/types';
import { Field } from '../../ui/Field';
import { LOGGABLE_LABELS, LOGGABLE_TYPES } from './kinds';

type Direction = NonNullable<LogInteraction['direction']>;
const DIRECTIONS: Record<Direction, string> = {
  inbound: 'Inbound',
  outbound: 'Outbound',
  internal: 'Internal',
};

/** The value a datetime-local input shows for an instant, in the browser's zone. */
function localInputValue(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

interface Draft {
  interaction_type: LoggableType;
  subject: string;
  description: string;
  direction: Direction | '';
  duration_minutes: string;
  outcome: string;
  when: string;
  /** Left at its default, the time is not sent: the server stamps it to the second. */
  whenChanged: boolean;
}

export function bodyOf(draft: Draft): LogInteraction {
  const body: LogInteraction = { interaction_type: draft.interaction_type };
  if (draft.subject.trim() !== '') body.subject = draft.subject.trim();
  if (draft.description.trim() !== '') body.description = draft.description.trim();
  if (draft.direction !== '') body.direction = draft.direction;
  if (draft.duration_minutes.trim() !== '') body.duration_minutes = Number(draft.duration_minutes);
  if (draft.outcome.trim() !== '') body.outcome = draft.outcome.trim();
  if (draft.whenChanged && draft.when !== '') {
    body.interaction_date = new Date(draft.when).toISOString();
  }
  return body;
}

export function LogInteractionForm({
  customerId,
  onDone,
  onLogged,
}: {
  customerId: string;
  onDone: () => void;
  onLogged: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => ({
    interaction_type: 'call',
    subject: '',
    description: '',
    direction: 'outbound',
    duration_minutes: '',
    outcome: '',
    when: localInputValue(new Date()),
    whenChanged: false,
  }));
  // One key per form: a retried submit is not logged twice.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const log = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/crm/customers/{id}/interactions', {
          params: { path: { id: customerId }, header: { 'Idempotency-Key': idempotencyKey } },
          body: bodyOf(draft),
        }),
      ),
    onSuccess: () => {
      onLogged();
      onDone();
    },
  });
  const fieldErrors = log.error instanceof ApiError ? log.error.fieldErrors : [];
  const errorOf = (...fields: string[]) =>
    fieldErrors
      .filter((e) => fields.includes(e.field))
      .map((e) => e.message)
      .join(' ') || undefined;
  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    log.mutate();
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="log-heading" noValidate>
      <h3 id="log-heading" tabIndex={-1} ref={heading}>
        Log an interaction
      </h3>
      {log.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">The interaction was not logged</p>
          <p>{describeError(log.error)}</p>
        </div>
      )}
      <div className="form-grid">
        <Field id="log-type" label="Type" error={errorOf('interaction_type')}>
          <select
            value={draft.interaction_type}
            onChange={(e) => {
              const type = LOGGABLE_TYPES.find((t) => t === e.target.value);
              if (type) set({ interaction_type: type });
            }}
          >
            {LOGGABLE_TYPES.map((t) => (
              <option key={t} value={t}>
                {LOGGABLE_LABELS[t]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="log-direction" label="Direction" error={errorOf('direction')}>
          <select
            value={draft.direction}
            onChange={(e) => {
              const direction = (Object.keys(DIRECTIONS) as Direction[]).find(
                (d) => d === e.target.value,
              );
              set({ direction: direction ?? '' });
            }}
          >
            <option value="">Not said</option>
            {(Object.keys(DIRECTIONS) as Direction[]).map((d) => (
              <option key={d} value={d}>
                {DIRECTIONS[d]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="log-subject" label="Subject" error={errorOf('subject')}>
          <input
            type="text"
            value={draft.subject}
            onChange={(e) => {
              set({ subject: e.target.value });
            }}
          />
        </Field>
        <Field id="log-outcome" label="Outcome" error={errorOf('outcome')}>
          <input
            type="text"
            value={draft.outcome}
            placeholder="e.g. booked, left voicemail"
            onChange={(e) => {
              set({ outcome: e.target.value });
            }}
          />
        </Field>
        <Field id="log-duration" label="Duration (minutes)" error={errorOf('duration_minutes')}>
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={1440}
            value={draft.duration_minutes}
            onChange={(e) => {
              set({ duration_minutes: e.target.value });
            }}
          />
        </Field>
        <Field id="log-when" label="When" error={errorOf('interaction_date')}>
          <input
            type="datetime-local"
            value={draft.when}
            onChange={(e) => {
              set({ when: e.target.value, whenChanged: true });
            }}
          />
        </Field>
      </div>
      <Field id="log-description" label="Details" error={errorOf('description')}>
        <textarea
          rows={3}
          value={draft.description}
          onChange={(e) => {
            set({ description: e.target.value });
          }}
        />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={log.isPending}>
          {log.isPending ? 'Saving…' : 'Log interaction'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/problem';
import type { TrackingSettings, UpdateTrackingSettings } from '../../api/types';
import { useSession } from '../../auth/session';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { usePageTitle } from '../../ui/page-title';

type Switch = keyof UpdateTrackingSettings;

const SWITCHES: { key: Switch; label: string; hint: string }[] = [
  {
    key: 'track_bookings',
    label: 'Bookings and payments',
    hint: 'Bookings, payments and shop purchases from BookingX.',
  },
  { key: 'track_emails', label: 'Emails', hint: 'Emails sent and received, opens and clicks.' },
  { key: 'track_sms', label: 'Text messages', hint: 'SMS sent and received.' },
  { key: 'track_calls', label: 'Calls', hint: 'Calls staff log on a customer’s timeline.' },
  {
    key: 'track_website_visits',
    label: 'Website visits',
    hint: 'Pages viewed on the booking site, by visitors who agreed to tracking.',
  },
];

const trackingKey = ['tracking-settings'] as const;

function switchesOf(settings: TrackingSettings): Record<Switch, boolean> {
  return {
    track_bookings: settings.track_bookings,
    track_emails: settings.track_emails,
    track_sms: settings.track_sms,
    track_calls: settings.track_calls,
    track_website_visits: settings.track_website_visits,
  };
}

function TrackingForm({ settings }: { settings: TrackingSettings }) {
  const queryClient = useQueryClient();
  const format = useFormat();
  const [draft, setDraft] = useState(() => switchesOf(settings));
  const [done, setDone] = useState('');
  const changes: UpdateTrackingSettings = {};
  for (const { key } of SWITCHES) if (draft[key] !== settings[key]) changes[key] = draft[key];
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/crm/interactions/settings', { body: changes })),
    onSuccess: (stored) => {
      queryClient.setQueryData(trackingKey, stored);
      setDraft(switchesOf(stored));
      setDone('Saved.');
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="tracking-heading" noValidate>
      <h2 id="tracking-heading">What is recorded</h2>
      {save.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">The settings were not saved</p>
          <p>{describeError(save.error)}</p>
        </div>
      )}
      <div className="switch-list">
        {SWITCHES.map(({ key, label, hint }) => (
          <div className="checkbox" key={key}>
            <input
              id={`tracking-${key}`}
              type="checkbox"
              checked={draft[key]}
              aria-describedby={`tracking-${key}-hint`}
              onChange={(e) => {
                setDone('');
                setDraft({ ...draft, [key]: e.target.checked });
              }}
            />
            <label htmlFor={`tracking-${key}`}>
              {label}
              <span id={`tracking-${key}-hint`} className="field-hint">
                {hint}
              </span>
            </label>
          </div>
        ))}
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={save.isPending || Object.keys(changes).length === 0}
        >
          {save.isPending ? 'Saving…' : 'Save tracking'}
        </button>
        <p className="muted" role="status" aria-live="polite">
          {done}
        </p>
      </div>
      {settings.updated_at && (
        <p className="field-hint">Last changed {format.dateTime(settings.updated_at)}</p>
      )}
    </form>
  );
}

function Credentials({ settings }: { settings: TrackingSettings }) {
  const queryClient = useQueryClient();
  const { can } = useSession();
  const [asking, setAsking] = useState(false);
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST('/crm/interactions/settings/ingest-secret')),
    onSuccess: () => {
      setAsking(false);
      void queryClient.invalidateQueries({ queryKey: trackingKey });
    },
  });
  return (
    <section className="card" aria-labelledby="credentials-heading">
      <h2 id="credentials-heading">Booking site connection</h2>
      <dl className="details">
        <div>
          <dt>Tracking key</dt>
          <dd>
            <code>{settings.tracking_key}</code>
            <p className="field-hint">Public: the booking site sends it with each page view.</p>
          </dd>
        </div>
        <div>
          <dt>Signing secret</dt>
          <dd>
            {settings.ingest_secret_set ? 'Set' : <span className="muted">Not set yet</span>}
            <p className="field-hint">
              Signs what BookingX posts to the CRM and the identity of tracked visitors.
            </p>
          </dd>
        </div>
      </dl>
      {rotate.data && (
        <div className="notice" role="status">
          <p>
            <strong>Copy the new secret now: it is not shown again.</strong>
          </p>
          <div className="secret">
            <label htmlFor="new-secret" className="visually-hidden">
              New signing secret
            </label>
            <input id="new-secret" type="text" readOnly value={rotate.data.ingest_secret} />
          </div>
        </div>
      )}
      {can('rotateIngestSecret') && (
        <button
          type="button"
          className="btn"
          onClick={() => {
            rotate.reset();
            setAsking(true);
          }}
        >
          <KeyRound aria-hidden="true" size={16} />
          {settings.ingest_secret_set ? 'Replace the signing secret' : 'Create a signing secret'}
        </button>
      )}
      {asking && (
        <ConfirmDialog
          title={
            settings.ingest_secret_set ? 'Replace the signing secret?' : 'Create a signing secret?'
          }
          confirmLabel={settings.ingest_secret_set ? 'Replace secret' : 'Create secret'}
          busy={rotate.isPending}
          error={rotate.error}
          onConfirm={() => {
            rotate.mutate();
          }}
          onCancel={() => {
            setAsking(false);
          }}
        >
          {settings.ingest_secret_set ? (
            <p>
              The current secret stops working at once: BookingX must be given the new one before it
              can post again.
            </p>
          ) : (
            <p>The new secret is shown once, for you to give to BookingX.</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The spec's tracking settings: which interactions are recorded, and the booking site's keys. */
export function TrackingPage() {
  usePageTitle('Tracking');
  const { can } = useSession();
  const settings = useQuery({
    queryKey: trackingKey,
    queryFn: ({ signal }) => unwrap(api.GET('/crm/interactions/settings', { signal })),
  });
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title">Tracking</h1>
          <p className="muted">Which interactions the CRM records on customer timelines.</p>
        </div>
      </header>
      {settings.isPending ? (
        <Loading label="Loading the tracking settings…" />
      ) : settings.isError ? (
        <ErrorMessage
          title="The tracking settings could not be loaded"
          error={settings.error}
          onRetry={() => void settings.refetch()}
        />
      ) : (
        <>
          {can('updateTrackingSettings') && <TrackingForm settings={settings.data} />}
          <Credentials settings={settings.data} />
        </>
      )}
    </section>
  );
}

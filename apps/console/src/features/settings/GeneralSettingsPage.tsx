import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { api, unwrapWithEtag } from '../../api/client';
import { describeError } from '../../api/problem';
import type { TenantSettings } from '../../api/types';
import { useSession } from '../../auth/session';
import { Field } from '../../ui/Field';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { makeFormatters } from '../../ui/format';
import { usePageTitle } from '../../ui/page-title';
import { errorsFor, isStale } from './form-errors';
import { tenantSettingsKey, useTenantSettings } from './tenant-settings';

const LOCALE_SUGGESTIONS = [
  'en-US',
  'en-GB',
  'en-AU',
  'en-CA',
  'en-IE',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr-FR',
  'fr-CA',
  'es-ES',
  'es-MX',
  'it-IT',
  'nl-NL',
  'pt-BR',
  'pt-PT',
  'sv-SE',
  'da-DK',
  'nb-NO',
  'fi-FI',
  'pl-PL',
  'ja-JP',
];

function supported(kind: 'timeZone' | 'currency', fallback: string[]): string[] {
  try {
    return Intl.supportedValuesOf(kind);
  } catch {
    return fallback;
  }
}

/** Every choice, with the stored one kept even if this browser does not list it. */
function choices(list: string[], current: string, first: string[] = []): string[] {
  return [...new Set([...first, current, ...list].filter((v) => v !== ''))];
}

function currencyName(code: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'currency' }).of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}

/** A date, a number and an amount as the chosen conventions write them; null if they cannot. */
function preview(draft: Draft): { date: string; number: string; money: string } | null {
  try {
    const format = makeFormatters({ locale: draft.locale, timeZone: draft.timezone });
    const sample = '2026-03-01T18:30:00Z';
    return {
      date: format.dateTime(sample),
      number: format.number(1234567.89),
      money: format.money({ amount_minor: 123456, currency: draft.currency }),
    };
  } catch {
    return null;
  }
}

type Draft = Pick<TenantSettings, 'locale' | 'timezone' | 'currency'>;

function draftOf(settings: TenantSettings): Draft {
  return { locale: settings.locale, timezone: settings.timezone, currency: settings.currency };
}

function SettingsForm({
  settings,
  etag,
  onReload,
}: {
  settings: TenantSettings;
  etag: string | null;
  /** Reads the settings again; the form then starts from what is stored now. */
  onReload: () => Promise<TenantSettings | undefined>;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      unwrapWithEtag(
        api.PUT('/crm/settings/tenant', {
          params: { header: etag === null ? {} : { 'If-Match': etag } },
          body: {
            locale: draft.locale.trim(),
            timezone: draft.timezone,
            currency: draft.currency,
          },
        }),
      ),
    onSuccess: (result) => {
      // Every page formats with these at once.
      queryClient.setQueryData(tenantSettingsKey, result);
      setDraft(draftOf(result.data));
      setSaved(true);
    },
  });
  const errorOf = errorsFor(save.error);
  const stale = isStale(save.error);
  const shown = preview(draft);
  const unchanged =
    draft.locale.trim() === settings.locale &&
    draft.timezone === settings.timezone &&
    draft.currency === settings.currency &&
    settings.version > 0;
  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="conventions-heading" noValidate>
      <h2 id="conventions-heading">How dates and money are written</h2>
      {settings.version === 0 && (
        <p className="notice">
          These are the defaults of this installation. Saving makes them your business’s own.
        </p>
      )}
      {stale && (
        <div className="state state-error" role="alert">
          <p className="state-title">Someone else changed these settings first.</p>
          <p>Reload to see their change, then make yours again.</p>
          <button
            type="button"
            className="btn"
            onClick={() => {
              void onReload().then((fresh) => {
                if (fresh === undefined) return;
                setDraft(draftOf(fresh));
                save.reset();
              });
            }}
          >
            Reload
          </button>
        </div>
      )}
      {save.isError && !stale && (
        <div className="state state-error" role="alert">
          <p className="state-title">The settings were not saved</p>
          <p>{describeError(save.error)}</p>
        </div>
      )}
      <div className="form-grid">
        <Field
          id="tenant-locale"
          label="Language and region"
          hint="A BCP 47 tag such as en-GB or de-DE"
          error={errorOf('locale')}
        >
          <input
            type="text"
            list="tenant-locale-suggestions"
            value={draft.locale}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              set({ locale: e.target.value });
            }}
          />
        </Field>
        <datalist id="tenant-locale-suggestions">
          {LOCALE_SUGGESTIONS.map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
        <Field id="tenant-timezone" label="Time zone" error={errorOf('timezone')}>
          <select
            value={draft.timezone}
            onChange={(e) => {
              set({ timezone: e.target.value });
            }}
          >
            {choices(supported('timeZone', []), draft.timezone, ['UTC']).map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </Field>
        <Field id="tenant-currency" label="Currency" error={errorOf('currency')}>
          <select
            value={draft.currency}
            onChange={(e) => {
              set({ currency: e.target.value });
            }}
          >
            {choices(supported('currency', ['EUR', 'GBP', 'USD']), draft.currency).map((c) => (
              <option key={c} value={c}>
                {currencyName(c, settings.locale)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <section className="preview" aria-labelledby="preview-heading">
        <h3 id="preview-heading">Preview</h3>
        {shown ? (
          <dl className="details">
            <div>
              <dt>A date and time</dt>
              <dd>{shown.date}</dd>
            </div>
            <div>
              <dt>A number</dt>
              <dd>{shown.number}</dd>
            </div>
            <div>
              <dt>An amount</dt>
              <dd>{shown.money}</dd>
            </div>
          </dl>
        ) : (
          <p className="muted">Type a language tag this browser knows to see a preview.</p>
        )}
      </section>
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={save.isPending || stale || unchanged}
        >
          {save.isPending ? 'Saving…' : 'Save settings'}
        </button>
        <p className="muted" role="status" aria-live="polite">
          {saved ? 'Saved. Dates and amounts now follow these settings.' : ''}
        </p>
      </div>
    </form>
  );
}

/** The tenant's locale, time zone and currency: read by everyone, changed by admins. */
export function GeneralSettingsPage() {
  usePageTitle('Locale and currency');
  const { can } = useSession();
  const settings = useTenantSettings();
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title">Locale and currency</h1>
          <p className="muted">Every page shows dates, times, numbers and money this way.</p>
        </div>
      </header>
      {settings.isPending ? (
        <Loading label="Loading the settings…" />
      ) : settings.isError ? (
        <ErrorMessage
          title="The settings could not be loaded"
          error={settings.error}
          onRetry={() => void settings.refetch()}
        />
      ) : can('putTenantSettings') ? (
        <SettingsForm
          settings={settings.data.data}
          etag={settings.data.etag}
          onReload={async () => (await settings.refetch()).data?.data}
        />
      ) : (
        <div className="card">
          <dl className="details">
            <div>
              <dt>Language and region</dt>
              <dd>{settings.data.data.locale}</dd>
            </div>
            <div>
              <dt>Time zone</dt>
              <dd>{settings.data.data.timezone}</dd>
            </div>
            <div>
              <dt>Currency</dt>
              <dd>{settings.data.data.currency}</dd>
            </div>
          </dl>
          <p className="field-hint">Only an admin can change these.</p>
        </div>
      )}
    </section>
  );
}

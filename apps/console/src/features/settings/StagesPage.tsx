import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, Plus, X } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { api, unwrapWithEtag } from '../../api/client';
import { describeError } from '../../api/problem';
import type { LifecycleStage } from '../../api/types';
import { useSession } from '../../auth/session';
import { Field } from '../../ui/Field';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { usePageTitle } from '../../ui/page-title';
import { keyFrom, moved } from '../custom-fields/field-types';
import { errorsFor, isStale } from './form-errors';

/** The key the customer list and profile read the stages under. */
const STAGES_KEY = ['lifecycle-stages'] as const;
const EDIT_KEY = ['lifecycle-stages', 'with-etag'] as const;

interface Row {
  key: string;
  label: string;
  /** Added here and not saved yet: its key may still change. */
  added: boolean;
}

function rowsOf(stages: LifecycleStage[]): Row[] {
  return stages.map((s) => ({ ...s, added: false }));
}

function StagesForm({
  stages,
  etag,
  onReload,
}: {
  stages: LifecycleStage[];
  etag: string | null;
  onReload: () => Promise<LifecycleStage[] | undefined>;
}) {
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<Row[]>(() => rowsOf(stages));
  const [newLabel, setNewLabel] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const save = useMutation({
    mutationFn: () =>
      unwrapWithEtag(
        api.PUT('/crm/lifecycle-stages', {
          params: { header: etag === null ? {} : { 'If-Match': etag } },
          body: { stages: rows.map(({ key, label }) => ({ key, label: label.trim() })) },
        }),
      ),
    onSuccess: (result) => {
      queryClient.setQueryData(EDIT_KEY, result);
      void queryClient.invalidateQueries({ queryKey: STAGES_KEY });
      setRows(rowsOf(result.data.data));
      setAnnouncement('The stages are saved.');
    },
  });
  const errorOf = errorsFor(save.error);
  const stale = isStale(save.error);
  const unchanged =
    rows.length === stages.length &&
    rows.every((r, i) => {
      const stored = stages[i];
      return stored !== undefined && r.key === stored.key && r.label.trim() === stored.label;
    });
  const update = (next: Row[], message = '') => {
    setRows(next);
    setAnnouncement(message);
  };
  const add = () => {
    const label = newLabel.trim();
    if (label === '') return;
    let key = keyFrom(label, 50) || 'stage';
    for (let n = 2; rows.some((r) => r.key === key); n++) key = `${keyFrom(label, 46)}_${n}`;
    update([...rows, { key, label, added: true }], `${label} added at the end.`);
    setNewLabel('');
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="stages-heading" noValidate>
      <h2 id="stages-heading">Stages in pipeline order</h2>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {stale && (
        <div className="state state-error" role="alert">
          <p className="state-title">Someone else changed the stages first.</p>
          <p>Reload to see their change, then make yours again.</p>
          <button
            type="button"
            className="btn"
            onClick={() => {
              void onReload().then((fresh) => {
                if (fresh === undefined) return;
                setRows(rowsOf(fresh));
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
          <p className="state-title">The stages were not saved</p>
          <p>{describeError(save.error)}</p>
        </div>
      )}
      <ol className="stage-list">
        {rows.map((row, i) => (
          <li key={row.key} className="stage-row">
            <span className="stage-key">
              <code>{row.key}</code>
              {row.added && <span className="visually-hidden"> (new)</span>}
            </span>
            <Field
              id={`stage-${row.key}`}
              label={`Name of stage ${i + 1}`}
              error={errorOf(`stages.${i}.label`, `stages.${i}.key`, `stages.${i}`)}
            >
              <input
                type="text"
                value={row.label}
                autoComplete="off"
                onChange={(e) => {
                  update(rows.map((r, j) => (j === i ? { ...r, label: e.target.value } : r)));
                }}
              />
            </Field>
            <button
              type="button"
              className="btn btn-icon"
              aria-label={`Move ${row.label || row.key} up`}
              title="Move up"
              disabled={i === 0}
              onClick={() => {
                update(moved(rows, i, i - 1), `${row.label} moved to position ${i}.`);
              }}
            >
              <ArrowUp aria-hidden="true" size={16} />
            </button>
            <button
              type="button"
              className="btn btn-icon"
              aria-label={`Move ${row.label || row.key} down`}
              title="Move down"
              disabled={i === rows.length - 1}
              onClick={() => {
                update(moved(rows, i, i + 1), `${row.label} moved to position ${i + 2}.`);
              }}
            >
              <ArrowDown aria-hidden="true" size={16} />
            </button>
            <button
              type="button"
              className="btn btn-icon"
              aria-label={`Remove ${row.label || row.key}`}
              title="Remove"
              disabled={rows.length <= 1}
              onClick={() => {
                update(
                  rows.filter((_, j) => j !== i),
                  `${row.label} removed; customers in it keep it until moved.`,
                );
              }}
            >
              <X aria-hidden="true" size={16} />
            </button>
          </li>
        ))}
      </ol>
      {errorOf('stages') && <p className="field-error">{errorOf('stages')}</p>}
      <div className="form-grid">
        <Field id="new-stage" label="New stage" hint="Added at the end; move it where it belongs.">
          <input
            type="text"
            value={newLabel}
            autoComplete="off"
            onChange={(e) => {
              setNewLabel(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={add} disabled={newLabel.trim() === ''}>
          <Plus aria-hidden="true" size={16} /> Add stage
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={save.isPending || stale || unchanged}
        >
          {save.isPending ? 'Saving…' : 'Save stages'}
        </button>
      </div>
      <p className="field-hint">
        A removed stage stays on the customers in it until they are moved; the stage new customers
        start in cannot be removed.
      </p>
    </form>
  );
}

/** The lifecycle stages customers move through: read by everyone, set by admins. */
export function StagesPage() {
  usePageTitle('Lifecycle stages');
  const { can } = useSession();
  const stages = useQuery({
    queryKey: EDIT_KEY,
    queryFn: ({ signal }) => unwrapWithEtag(api.GET('/crm/lifecycle-stages', { signal })),
  });
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title">Lifecycle stages</h1>
          <p className="muted">The steps from first contact to loyal customer, in order.</p>
        </div>
      </header>
      {stages.isPending ? (
        <Loading label="Loading the stages…" />
      ) : stages.isError ? (
        <ErrorMessage
          title="The stages could not be loaded"
          error={stages.error}
          onRetry={() => void stages.refetch()}
        />
      ) : can('putLifecycleStages') ? (
        <StagesForm
          stages={stages.data.data.data}
          etag={stages.data.etag}
          onReload={async () => (await stages.refetch()).data?.data.data}
        />
      ) : (
        <div className="card">
          <ol className="stage-list">
            {stages.data.data.data.map((s) => (
              <li key={s.key} className="stage-row">
                <span>{s.label}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

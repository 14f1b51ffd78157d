import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, CheckCircle2 } from 'lucide-react';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrapWithEtag } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { Customer } from '../../api/types';
import { useSession } from '../../auth/session';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { NotAllowed } from '../../ui/NotAllowed';
import { usePageTitle } from '../../ui/page-title';
import { customerKey } from '../customer-profile/queries';
import { useStages } from '../customers/queries';
import { useCustomTargets } from '../imports/queries';
import type { MergeCustomersBody } from './merge-chooser';
import { fullName, MergeChooser } from './MergeChooser';
import { MAX_MERGED, useCustomers } from './queries';

function idsFrom(params: URLSearchParams): { survivorId: string; ids: string[] } {
  const survivorId = params.get('survivor') ?? '';
  const merged = (params.get('merge') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== survivorId);
  return { survivorId, ids: [...new Set([survivorId, ...merged])].filter((s) => s !== '') };
}

function Merged({ survivor, count }: { survivor: Customer; count: number }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <div className="card merge-done" role="status">
      <h2 ref={heading} tabIndex={-1}>
        <CheckCircle2 aria-hidden="true" size={20} /> Merged {count} customers into one
      </h2>
      <p>
        <Link to={`/customers/${survivor.id}`}>Open {fullName(survivor)}</Link>, who now holds what
        the others had.
      </p>
      <p>
        <Link to="/duplicates">Look for more duplicates</Link>
      </p>
    </div>
  );
}

/** Side by side merge of a survivor and the customers it absorbs, with the field choices. */
export function MergePage() {
  usePageTitle('Merge customers');
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const { survivorId, ids } = useMemo(() => idsFrom(params), [params]);
  const allowed = can('mergeCustomers') && can('getCustomer');
  const results = useCustomers(allowed ? ids : []);
  const fields = useCustomTargets(allowed && can('listCustomFields'));
  const stages = useStages();

  const merge = useMutation({
    mutationFn: ({ body, etag }: { body: MergeCustomersBody; etag: string | null }) =>
      unwrapWithEtag(
        api.POST('/crm/customers/{id}/merge', {
          params: { path: { id: survivorId }, header: etag === null ? {} : { 'If-Match': etag } },
          body,
        }),
      ),
    onSuccess: (result, { body }) => {
      queryClient.setQueryData(customerKey(survivorId), result);
      for (const id of body.merge_ids) queryClient.removeQueries({ queryKey: customerKey(id) });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void queryClient.invalidateQueries({ queryKey: ['duplicates'] });
    },
  });

  if (!allowed) return <NotAllowed what="merge customers" />;

  const back = (
    <Link
      to={survivorId ? `/duplicates?customer=${survivorId}` : '/duplicates'}
      className="back-link"
    >
      <ArrowLeft aria-hidden="true" size={16} /> Duplicates
    </Link>
  );
  const page = (body: ReactNode) => (
    <section className="page" aria-labelledby="page-title">
      {back}
      <header className="page-header">
        <h1 id="page-title">Merge customers</h1>
      </header>
      {body}
    </section>
  );

  if (merge.isSuccess) {
    return page(
      <Merged survivor={merge.data.data} count={merge.variables.body.merge_ids.length + 1} />,
    );
  }
  if (ids.length < 2 || ids.length > MAX_MERGED + 1) {
    return page(
      <Empty title="Choose the customers to merge">
        <p>
          Pick two to {MAX_MERGED + 1} records of the same person from{' '}
          <Link to="/duplicates">the duplicates</Link>.
        </p>
      </Empty>,
    );
  }
  if (results.some((r) => r.isPending)) return page(<Loading label="Loading the customers…" />);
  const failed = results.find((r) => r.isError);
  if (failed?.error) {
    const missing = failed.error instanceof ApiError && failed.error.status === 404;
    return page(
      <ErrorMessage
        title={
          missing ? 'One of these customers no longer exists' : 'The customers could not be loaded'
        }
        error={failed.error}
        onRetry={() => {
          for (const r of results) void r.refetch();
        }}
      />,
    );
  }
  const loaded = results.flatMap((r) => (r.data ? [r.data] : []));
  // A merged id answers with its survivor: records already merged collapse into one.
  const distinct = loaded.filter((r, i) => loaded.findIndex((x) => x.data.id === r.data.id) === i);
  const survivor = distinct.find((r) => r.data.id === survivorId);
  if (distinct.length < 2 || survivor === undefined) {
    return page(
      <Empty title="These records are already one customer">
        <p>
          <Link to={`/customers/${distinct[0]?.data.id ?? survivorId}`}>Open the customer</Link>
        </p>
      </Empty>,
    );
  }
  const customers = [survivor.data, ...distinct.filter((r) => r !== survivor).map((r) => r.data)];
  const stageLabel = (key: string) => stages.data?.find((s) => s.key === key)?.label ?? key;

  const error = merge.error;
  const stale = error instanceof ApiError && error.status === 412;
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : [];
  const errorOf = (field: string) =>
    fieldErrors
      .filter((e) => e.field === field)
      .map((e) => e.message)
      .join(' ') || undefined;
  const unplaced = fieldErrors.filter((e) => !e.field.startsWith('field_choices.'));

  return page(
    <>
      <fieldset className="card survivor-choice">
        <legend>Which record keeps its id</legend>
        <p className="field-hint">
          The others are merged into it; links to them lead to it from now on.
        </p>
        <div className="survivor-options">
          {customers.map((c) => (
            <label key={c.id} className="merge-option">
              <input
                type="radio"
                name="survivor"
                value={c.id}
                checked={c.id === survivorId}
                disabled={merge.isPending}
                onChange={() => {
                  merge.reset();
                  setParams({
                    survivor: c.id,
                    merge: customers
                      .filter((x) => x.id !== c.id)
                      .map((x) => x.id)
                      .join(','),
                  });
                }}
              />
              <span>
                {fullName(c)}
                <span className="muted"> {c.email ?? c.phone ?? c.id}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {stale && (
        <div className="state state-error" role="alert">
          <p className="state-title">{fullName(survivor.data)} changed since this page loaded.</p>
          <p>Reload to see the change, then choose again.</p>
          <button
            type="button"
            className="btn"
            onClick={() => {
              merge.reset();
              for (const r of results) void r.refetch();
            }}
          >
            Reload
          </button>
        </div>
      )}
      {merge.isError && !stale && (
        <div className="state state-error" role="alert">
          <p className="state-title">The customers were not merged</p>
          <p>{describeError(error)}</p>
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map((e) => (
                <li key={`${e.field}-${e.code}`}>{e.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <MergeChooser
        // New customers or a new survivor: the choices start over from their defaults.
        key={customers.map((c) => `${c.id}@${c.version}`).join(',')}
        customers={customers}
        custom={fields.data ?? []}
        stageLabel={stageLabel}
        pending={merge.isPending}
        errorOf={errorOf}
        onMerge={(body) => {
          merge.mutate({ body, etag: survivor.etag });
        }}
      />
    </>,
  );
}

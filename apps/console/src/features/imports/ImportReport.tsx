import { Download } from 'lucide-react';
import { Pager } from '../../ui/Pager';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/problem';
import { useSession } from '../../auth/session';
import { Badge } from '../../ui/Badge';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { targetLabel, type CustomTarget } from './import-fields';
import {
  exportImportErrors,
  isRunning,
  useImport,
  useImportErrors,
  type CustomerImport,
  type ImportStatus,
} from './queries';
import '../../ui/card-header.css';
import './imports.css';

const STATUS: Record<ImportStatus, { label: string; tone: 'neutral' | 'info' | 'good' | 'bad' }> = {
  queued: { label: 'Waiting to start', tone: 'neutral' },
  running: { label: 'Running', tone: 'info' },
  completed: { label: 'Completed', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
};

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  const { label, tone } = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

function Counts({ job }: { job: CustomerImport }) {
  const format = useFormat();
  const items: [string, number][] = [
    ['Rows in the file', job.total_rows],
    [job.dry_run ? 'Rows checked' : 'Rows processed', job.processed_rows],
    [job.dry_run ? 'Would be created' : 'Created', job.created],
    [job.dry_run ? 'Would be updated' : 'Updated', job.updated],
    ['Skipped as duplicates', job.skipped],
    ['Rows with errors', job.failed],
  ];
  return (
    <dl className="stats import-counts">
      {items.map(([term, value]) => (
        <div className="stat" key={term}>
          <dt>{term}</dt>
          <dd>{format.number(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Progress({ job }: { job: CustomerImport }) {
  const format = useFormat();
  const label = job.dry_run ? 'Rows checked' : 'Rows imported';
  return (
    <div className="import-progress">
      <label htmlFor={`progress-${job.id}`}>{label}</label>
      <progress id={`progress-${job.id}`} value={job.processed_rows} max={job.total_rows || 1}>
        {job.processed_rows} of {job.total_rows}
      </progress>
      <p className="muted">
        {format.number(job.processed_rows)} of {format.number(job.total_rows)} rows
        {job.rows_per_second !== null && job.rows_per_second > 0
          ? `, ${format.number(Math.round(job.rows_per_second))} rows a second`
          : ''}
      </p>
    </div>
  );
}

function ErrorReport({ job, custom }: { job: CustomerImport; custom: CustomTarget[] }) {
  const { can } = useSession();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const errors = useImportErrors(job.id, cursor, !isRunning(job.status));
  const [download, setDownload] = useState<{ busy: boolean; error: unknown }>({
    busy: false,
    error: null,
  });

  const fieldOf = (column: string | null) => {
    if (column === null) return <span className="muted">The whole row</span>;
    const target = job.mapping[column];
    return (
      <>
        {target !== undefined ? targetLabel(target, custom) : column}
        <span className="muted import-column"> column “{column}”</span>
      </>
    );
  };

  return (
    <section className="card" aria-labelledby={`errors-${job.id}`}>
      <div className="section-header">
        <h2 id={`errors-${job.id}`}>Rows with errors</h2>
        {job.failed > 0 && can('exportCustomerImportErrors') && (
          <div className="page-actions">
            <button
              type="button"
              className="btn"
              disabled={download.busy}
              onClick={() => {
                setDownload({ busy: true, error: null });
                exportImportErrors(job.id).then(
                  () => {
                    setDownload({ busy: false, error: null });
                  },
                  (error: unknown) => {
                    setDownload({ busy: false, error });
                  },
                );
              }}
            >
              <Download aria-hidden="true" size={16} />
              {download.busy ? 'Downloading…' : 'Download as CSV'}
            </button>
            {download.error !== null && (
              <p className="field-error" role="alert">
                Download failed: {describeError(download.error)}
              </p>
            )}
          </div>
        )}
      </div>
      {errors.isPending ? (
        <Loading label="Loading the error report…" />
      ) : errors.isError ? (
        <ErrorMessage
          title="The error report could not be loaded"
          error={errors.error}
          onRetry={() => void errors.refetch()}
        />
      ) : errors.data.data.length === 0 ? (
        <Empty title="No row had an error" />
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-stack" aria-busy={errors.isFetching}>
              <caption className="visually-hidden">
                Errors by row; the header is row 1, the first customer row 2
              </caption>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Field</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {errors.data.data.map((e, i) => (
                  <tr key={`${e.row}-${e.column ?? ''}-${e.code}-${i}`}>
                    <td data-label="Row">{e.row}</td>
                    <td data-label="Field">{fieldOf(e.column)}</td>
                    <td data-label="Message">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Pages of errors"
            cursors={cursors}
            nextCursor={errors.data.next_cursor}
            onCursors={setCursors}
            hideWhenSingle
          />
        </>
      )}
    </section>
  );
}

/** An import as it runs and once it is done: status, progress, counts, the per-row errors. */
export function ImportReport({
  id,
  custom,
  headingLevel = 2,
}: {
  id: string;
  custom: CustomTarget[];
  headingLevel?: 1 | 2;
}) {
  const format = useFormat();
  const queryClient = useQueryClient();
  const job = useImport(id);
  const wrote = job.data !== undefined && !job.data.dry_run && job.data.status === 'completed';
  // Once an import has written customers, lists read before it are out of date.
  useEffect(() => {
    if (wrote) void queryClient.invalidateQueries({ queryKey: ['customers'] });
  }, [wrote, queryClient]);
  if (job.isPending) return <Loading label="Loading the import…" />;
  if (job.isError) {
    return (
      <ErrorMessage
        title="The import could not be loaded"
        error={job.error}
        onRetry={() => void job.refetch()}
      />
    );
  }
  const data = job.data;
  const running = isRunning(data.status);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const title = data.dry_run ? 'Dry run' : 'Import';
  return (
    <div className="import-report">
      <section className="card" aria-labelledby={`import-${id}`} aria-busy={running}>
        <div className="section-header">
          <Heading id={`import-${id}`} {...(headingLevel === 1 ? { tabIndex: -1 } : {})}>
            {title} of {format.dateTime(data.created_at)}
          </Heading>
          <ImportStatusBadge status={data.status} />
        </div>
        <p className="visually-hidden" role="status" aria-live="polite">
          {title} {STATUS[data.status].label.toLowerCase()}
          {running ? '' : `: ${data.failed} rows with errors`}
        </p>
        {data.dry_run && !running && (
          <p className="notice">
            A dry run: every row was checked and nothing was written. Import the file to create the
            customers.
          </p>
        )}
        {running && <Progress job={data} />}
        {data.status === 'failed' && data.failure !== null && (
          <div className="state state-error">
            <p className="state-title">The import stopped</p>
            <p>{data.failure}</p>
          </div>
        )}
        <Counts job={data} />
        <p className="muted import-meta">
          Duplicates: {ON_DUPLICATE_LABELS[data.on_duplicate].toLowerCase()}; phone region{' '}
          {data.phone_region}; {format.number(Math.ceil(data.byte_size / 1024))} KB
          {data.duration_ms !== null && !running
            ? `; took ${format.number(Math.round(data.duration_ms / 100) / 10)} s`
            : ''}
        </p>
      </section>
      {!running && <ErrorReport job={data} custom={custom} />}
    </div>
  );
}

export const ON_DUPLICATE_LABELS: Record<CustomerImport['on_duplicate'], string> = {
  skip: 'Skip the row',
  update: 'Update the existing customer',
  create: 'Create a new customer anyway',
};

import { Upload } from 'lucide-react';
import { Pager } from '../../ui/Pager';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { NotAllowed } from '../../ui/NotAllowed';
import { usePageTitle } from '../../ui/page-title';
import { ImportStatusBadge } from './ImportReport';
import { useImportPage } from './queries';

/** Past CSV imports, newest first, with their status and counts. */
export function ImportsPage() {
  usePageTitle('Imports');
  const { can } = useSession();
  const format = useFormat();
  const allowed = can('listCustomerImports');
  const [cursors, setCursors] = useState<string[]>([]);
  const page = useImportPage(cursors.at(-1), allowed);
  if (!allowed) return <NotAllowed what="see customer imports" />;

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Imports</h1>
        {can('createCustomerImport') && (
          <Link to="/imports/new" className="btn btn-primary">
            <Upload aria-hidden="true" size={16} /> New import
          </Link>
        )}
      </header>
      {page.isPending ? (
        <Loading label="Loading the imports…" />
      ) : page.isError ? (
        <ErrorMessage
          title="The imports could not be loaded"
          error={page.error}
          onRetry={() => void page.refetch()}
        />
      ) : page.data.data.length === 0 && cursors.length === 0 ? (
        <Empty title="No imports yet">
          <p>Bring customers in from a spreadsheet: a dry run first shows what would happen.</p>
        </Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-stack" aria-busy={page.isFetching}>
              <caption className="visually-hidden">Imports, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Created</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Skipped</th>
                  <th scope="col">Errors</th>
                </tr>
              </thead>
              <tbody>
                {page.data.data.map((job) => (
                  <tr key={job.id}>
                    <td>
                      <Link to={`/imports/${job.id}`}>{format.dateTime(job.created_at)}</Link>
                    </td>
                    <td data-label="Kind">{job.dry_run ? 'Dry run' : 'Import'}</td>
                    <td data-label="Status">
                      <ImportStatusBadge status={job.status} />
                    </td>
                    <td data-label="Rows">
                      {job.status === 'running'
                        ? `${format.number(job.processed_rows)} of ${format.number(job.total_rows)}`
                        : format.number(job.total_rows)}
                    </td>
                    <td data-label="Created">{format.number(job.created)}</td>
                    <td data-label="Updated">{format.number(job.updated)}</td>
                    <td data-label="Skipped">{format.number(job.skipped)}</td>
                    <td data-label="Errors">{format.number(job.failed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Pages of imports"
            cursors={cursors}
            nextCursor={page.data.next_cursor}
            onCursors={setCursors}
          />
        </>
      )}
    </section>
  );
}

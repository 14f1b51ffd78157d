import { ArrowDown, ArrowUp, Download, Star } from 'lucide-react';
import { Pager } from '../../ui/Pager';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { describeError } from '../../api/problem';
import { useSession } from '../../auth/session';
import { Badge, StatusBadge } from '../../ui/Badge';
import { Avatar } from '../../ui/Avatar';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { usePageTitle } from '../../ui/page-title';
import { BulkBar } from './BulkActions';
import { CustomerFilters } from './CustomerFilters';
import { exportCustomersCsv } from './export-customers';
import {
  exportQuery,
  filtersFromParams,
  filtersToParams,
  isSearch,
  nextSort,
  sortableColumns,
  type ListFilters,
  type SortColumn,
} from './list-query';
import {
  useCustomerPage,
  useFilterableFields,
  useLastBooking,
  useStages,
  type CustomerRow,
} from './queries';
import {
  NO_SELECTION,
  isSelected,
  pageState,
  toggleRow,
  togglePage,
  type Selection,
} from './selection';

function LastBooking({ row }: { row: CustomerRow }) {
  const format = useFormat();
  const known = row.last_booking_at !== undefined;
  const { data, isPending, isError } = useLastBooking(row.id, !known);
  const at = known ? row.last_booking_at : data;
  if (!known && isPending) return <span className="muted">…</span>;
  if (!known && isError) return <span className="muted">Not available</span>;
  return at ? <time dateTime={at}>{format.date(at)}</time> : <span className="muted">None</span>;
}

function SortHeader({
  label,
  column,
  filters,
  onSort,
}: {
  label: string;
  column: SortColumn;
  filters: ListFilters;
  onSort: (column: SortColumn) => void;
}) {
  const sortable = sortableColumns(filters).includes(column);
  const active = filters.sort?.column === column ? filters.sort : null;
  const ariaSort = active ? (active.descending ? 'descending' : 'ascending') : 'none';
  if (!sortable) return <th scope="col">{label}</th>;
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button
        type="button"
        className="sort-button"
        onClick={() => {
          onSort(column);
        }}
      >
        {label}
        {active &&
          (active.descending ? (
            <ArrowDown aria-hidden="true" size={14} />
          ) : (
            <ArrowUp aria-hidden="true" size={14} />
          ))}
        <span className="visually-hidden">
          {active ? `, sorted ${ariaSort}` : ', not sorted'}; press to change
        </span>
      </button>
    </th>
  );
}

/** The header checkbox: ticks the page; half-ticked (indeterminate) when some of it is. */
function PageCheckbox({
  state,
  onToggle,
}: {
  state: 'none' | 'some' | 'all';
  onToggle: () => void;
}) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <input
      ref={box}
      type="checkbox"
      aria-label="Select all customers on this page"
      checked={state === 'all'}
      onChange={onToggle}
    />
  );
}

function CustomerRowView({
  row,
  stageLabel,
  selected,
  onToggle,
}: {
  row: CustomerRow;
  stageLabel: string;
  /** Absent where the role may take no bulk action: no checkbox then. */
  selected: boolean | null;
  onToggle: () => void;
}) {
  const name = `${row.first_name} ${row.last_name}`.trim();
  return (
    <tr>
      {selected !== null && (
        <td className="select-cell">
          <input
            type="checkbox"
            aria-label={`Select ${name}`}
            checked={selected}
            onChange={onToggle}
          />
        </td>
      )}
      <td>
        <div className="name-cell">
          <Avatar first={row.first_name} last={row.last_name} />
          <Link to={`/customers/${row.id}`}>{name}</Link>
          {row.vip_status && (
            <Badge tone="vip">
              <Star aria-hidden="true" size={12} /> VIP
            </Badge>
          )}
        </div>
      </td>
      <td data-label="Email">{row.email ?? <span className="muted">No email</span>}</td>
      <td data-label="Status">
        <StatusBadge status={row.customer_status} />
      </td>
      <td data-label="Stage">{stageLabel}</td>
      <td data-label="Tags">
        {row.tags.length > 0 ? (
          <ul className="tag-list" aria-label={`Tags of ${name}`}>
            {row.tags.map((tag) => (
              <li key={tag} className="tag">
                {tag}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">None</span>
        )}
      </td>
      <td data-label="Last booking">
        <LastBooking row={row} />
      </td>
    </tr>
  );
}

export function CustomerListPage() {
  usePageTitle('Customers');
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const filterKey = filtersToParams(filters).toString();
  // The cursors that led to the page shown; Previous pops one. They start over with new filters.
  const [trail, setTrail] = useState<{ key: string; cursors: string[] }>({
    key: filterKey,
    cursors: [],
  });
  const cursors = trail.key === filterKey ? trail.cursors : [];
  const cursor = cursors.at(-1);
  const page = useCustomerPage(filters, cursor);
  const stages = useStages();
  const fields = useFilterableFields(can('listCustomFields'));
  const canBulk = can('bulkTagCustomers') || can('bulkSetStage') || can('bulkAssign');
  // The selection belongs to the filters it was made under; other filters start with none.
  const [picked, setPicked] = useState<{ key: string; selection: Selection }>({
    key: filterKey,
    selection: NO_SELECTION,
  });
  const selection = picked.key === filterKey ? picked.selection : NO_SELECTION;
  const select = (next: Selection) => {
    setPicked({ key: filterKey, selection: next });
  };
  const [notice, setNotice] = useState<string | null>(null);
  const [exportState, setExportState] = useState<{ busy: boolean; error: unknown }>({
    busy: false,
    error: null,
  });

  const change = (next: ListFilters) => {
    setParams(filtersToParams(next));
  };
  const stageLabel = (key: string) => stages.data?.find((s) => s.key === key)?.label ?? key;
  const ignoredByExport = exportQuery(filters).ignored;

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Customers</h1>
        {can('exportCustomers') && (
          <div className="page-actions">
            <button
              type="button"
              className="btn"
              disabled={exportState.busy}
              onClick={() => {
                setExportState({ busy: true, error: null });
                exportCustomersCsv(filters).then(
                  () => {
                    setExportState({ busy: false, error: null });
                  },
                  (error: unknown) => {
                    setExportState({ busy: false, error });
                  },
                );
              }}
            >
              <Download aria-hidden="true" size={16} />
              {exportState.busy ? 'Exporting…' : 'Export CSV'}
            </button>
            {ignoredByExport.length > 0 && (
              <p className="field-hint">
                The export applies status, stage and VIP; it leaves out{' '}
                {new Intl.ListFormat('en').format(ignoredByExport)}.
              </p>
            )}
            {exportState.error !== null && (
              <p className="field-error" role="alert">
                Export failed: {describeError(exportState.error)}
              </p>
            )}
          </div>
        )}
      </header>

      <CustomerFilters
        filters={filters}
        stages={stages.data ?? []}
        fields={fields.data ?? []}
        onChange={change}
      />

      <div role="status" aria-live="polite">
        {notice !== null && (
          <p className="notice notice-dismissible">
            {notice}
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={() => {
                setNotice(null);
              }}
            >
              Dismiss
            </button>
          </p>
        )}
      </div>

      {page.isPending ? (
        <Loading label="Loading customers…" />
      ) : page.isError ? (
        <ErrorMessage
          title="The customers could not be loaded"
          error={page.error}
          onRetry={() => void page.refetch()}
        />
      ) : page.data.rows.length === 0 ? (
        <Empty
          title={isSearch(filters) ? 'No customer matches this search' : 'No customers here yet'}
        >
          {isSearch(filters) || filterKey !== '' ? (
            <p>Try other words or clear the filters.</p>
          ) : (
            <p>Customers appear here as BookingX sends them or when staff add them.</p>
          )}
        </Empty>
      ) : (
        <>
          <p className="visually-hidden" role="status" aria-live="polite">
            {page.data.rows.length} customers shown
          </p>
          {canBulk && (selection.kind === 'matching' || selection.ids.length > 0) && (
            <BulkBar
              selection={selection}
              filters={filters}
              pageIds={page.data.rows.map((r) => r.id)}
              morePages={page.data.nextCursor !== null || cursors.length > 0}
              stages={stages.data ?? []}
              onSelect={select}
              onDone={setNotice}
            />
          )}
          <div className="table-wrap">
            <table className="table table-stack" aria-busy={page.isFetching}>
              <caption className="visually-hidden">
                Customers{isSearch(filters) ? ` matching “${filters.q}”` : ''}
              </caption>
              <thead>
                <tr>
                  {canBulk && (
                    <th scope="col" className="select-cell">
                      <PageCheckbox
                        state={pageState(
                          selection,
                          page.data.rows.map((r) => r.id),
                        )}
                        onToggle={() => {
                          select(
                            togglePage(
                              selection,
                              page.data.rows.map((r) => r.id),
                            ),
                          );
                        }}
                      />
                    </th>
                  )}
                  <SortHeader
                    label="Name"
                    column="name"
                    filters={filters}
                    onSort={(c) => {
                      change({ ...filters, sort: nextSort(filters.sort, c) });
                    }}
                  />
                  <SortHeader
                    label="Email"
                    column="email"
                    filters={filters}
                    onSort={(c) => {
                      change({ ...filters, sort: nextSort(filters.sort, c) });
                    }}
                  />
                  <SortHeader
                    label="Status"
                    column="status"
                    filters={filters}
                    onSort={(c) => {
                      change({ ...filters, sort: nextSort(filters.sort, c) });
                    }}
                  />
                  <SortHeader
                    label="Stage"
                    column="stage"
                    filters={filters}
                    onSort={(c) => {
                      change({ ...filters, sort: nextSort(filters.sort, c) });
                    }}
                  />
                  <th scope="col">Tags</th>
                  <SortHeader
                    label="Last booking"
                    column="last_booking"
                    filters={filters}
                    onSort={(c) => {
                      change({ ...filters, sort: nextSort(filters.sort, c) });
                    }}
                  />
                </tr>
              </thead>
              <tbody>
                {page.data.rows.map((row) => (
                  <CustomerRowView
                    key={row.id}
                    row={row}
                    stageLabel={stageLabel(row.customer_stage)}
                    selected={canBulk ? isSelected(selection, row.id) : null}
                    onToggle={() => {
                      select(
                        toggleRow(
                          selection,
                          row.id,
                          page.data.rows.map((r) => r.id),
                        ),
                      );
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Pages of customers"
            cursors={cursors}
            nextCursor={page.data.nextCursor}
            onCursors={(next) => {
              setTrail({ key: filterKey, cursors: next });
            }}
          />
        </>
      )}
    </section>
  );
}

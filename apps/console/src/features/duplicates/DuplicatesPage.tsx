import { GitMerge, Search } from 'lucide-react';
import { Pager } from '../../ui/Pager';
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/problem';
import { useSession } from '../../auth/session';
import { Badge } from '../../ui/Badge';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { Field } from '../../ui/Field';
import { NotAllowed } from '../../ui/NotAllowed';
import { usePageTitle } from '../../ui/page-title';
import { useCustomer } from '../customer-profile/queries';
import { fullName } from './MergeChooser';
import { MAX_MERGED, useCustomerSearch, useDuplicates } from './queries';
import '../../ui/card-header.css';
import './duplicates.css';

const REASONS: Record<'email' | 'phone' | 'name', string> = {
  email: 'Same email',
  phone: 'Same phone',
  name: 'Similar name',
};

function FindCustomer({ q, onSearch }: { q: string; onSearch: (q: string) => void }) {
  const [draft, setDraft] = useState(q);
  // The page starts over (a new key) for every search.
  const [trail, setTrail] = useState<string[]>([]);
  const results = useCustomerSearch(q, trail.at(-1), true);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    onSearch(draft.trim());
  };
  return (
    <>
      <form className="filters" role="search" onSubmit={submit}>
        <Field
          id="duplicates-q"
          label="Find a customer"
          hint="A name, company, email or phone number."
        >
          <input
            type="search"
            value={draft}
            autoComplete="off"
            onChange={(e) => {
              setDraft(e.target.value);
            }}
          />
        </Field>
        <div className="filters-actions">
          <button type="submit" className="btn btn-primary">
            <Search aria-hidden="true" size={16} /> Search
          </button>
        </div>
      </form>
      {q === '' ? (
        <Empty title="Choose a customer to see its likely duplicates">
          <p>The CRM suggests records with the same email or phone, or a similar name.</p>
        </Empty>
      ) : results.isPending ? (
        <Loading label="Searching…" />
      ) : results.isError ? (
        <ErrorMessage
          title="The search did not work"
          error={results.error}
          onRetry={() => void results.refetch()}
        />
      ) : results.data.data.length === 0 ? (
        <Empty title="No customer matches this search">
          <p>Try other words, or a whole email address.</p>
        </Empty>
      ) : (
        <>
          <ul className="pick-list" aria-label="Customers found" aria-busy={results.isFetching}>
            {results.data.data.map((hit) => (
              <li key={hit.id}>
                <Link to={`/duplicates?customer=${hit.id}`}>{fullName(hit)}</Link>
                <span className="muted">
                  {[hit.email, hit.phone, hit.company_name].filter((v) => v).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
          <Pager
            label="Pages of customers found"
            cursors={trail}
            nextCursor={results.data.next_cursor}
            onCursors={setTrail}
            hideWhenSingle
          />
        </>
      )}
    </>
  );
}

function Suggestions({ customerId }: { customerId: string }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const customer = useCustomer(customerId);
  const duplicates = useDuplicates(customerId, true);
  const [selected, setSelected] = useState<string[]>([]);
  const mayMerge = can('mergeCustomers') && can('getCustomer');

  if (customer.isPending) return <Loading label="Loading the customer…" />;
  if (customer.isError) {
    const missing = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <ErrorMessage
        title={missing ? 'No such customer' : 'The customer could not be loaded'}
        error={customer.error}
        {...(missing ? {} : { onRetry: () => void customer.refetch() })}
      />
    );
  }
  const name = fullName(customer.data.data);
  return (
    <section className="card" aria-labelledby="suggestions-heading">
      <div className="section-header">
        <h2 id="suggestions-heading">
          Likely duplicates of <Link to={`/customers/${customerId}`}>{name}</Link>
        </h2>
        <Link to="/duplicates">Choose another customer</Link>
      </div>
      {duplicates.isPending ? (
        <Loading label="Looking for duplicates…" />
      ) : duplicates.isError ? (
        <ErrorMessage
          title="The duplicates could not be loaded"
          error={duplicates.error}
          onRetry={() => void duplicates.refetch()}
        />
      ) : duplicates.data.data.length === 0 ? (
        <Empty title={`No likely duplicates of ${name}`}>
          <p>No other customer you can see has the same email or phone, or a similar name.</p>
        </Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-stack">
              <caption className="visually-hidden">
                Likely duplicates of {name}, most alike first
              </caption>
              <thead>
                <tr>
                  {mayMerge && (
                    <th scope="col">
                      <span className="visually-hidden">Merge</span>
                    </th>
                  )}
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Phone</th>
                  <th scope="col">Alike</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {duplicates.data.data.map((s) => {
                  const id = s.customer.id;
                  const checked = selected.includes(id);
                  const full = !checked && selected.length >= MAX_MERGED;
                  const rowName = fullName(s.customer);
                  return (
                    <tr key={id}>
                      {mayMerge && (
                        <td>
                          <input
                            type="checkbox"
                            id={`pick-${id}`}
                            checked={checked}
                            disabled={full}
                            aria-label={`Merge ${rowName} into ${name}`}
                            onChange={(e) => {
                              setSelected(
                                e.target.checked
                                  ? [...selected, id]
                                  : selected.filter((x) => x !== id),
                              );
                            }}
                          />
                        </td>
                      )}
                      <td>
                        <Link to={`/customers/${id}`}>{rowName}</Link>
                      </td>
                      <td data-label="Email">
                        {s.customer.email ?? <span className="muted">No email</span>}
                      </td>
                      <td data-label="Phone">
                        {s.customer.phone ?? <span className="muted">No phone</span>}
                      </td>
                      <td data-label="Alike" className="score">
                        {Math.round(s.score * 100)} %
                      </td>
                      <td data-label="Why">
                        <span className="reason-list">
                          {s.reasons.map((r) => (
                            <Badge key={r} tone={r === 'name' ? 'neutral' : 'info'}>
                              {REASONS[r]}
                            </Badge>
                          ))}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {mayMerge && (
            <div className="form-actions merge-start">
              <button
                type="button"
                className="btn btn-primary"
                disabled={selected.length === 0}
                onClick={() => {
                  const params = new URLSearchParams({
                    survivor: customerId,
                    merge: selected.join(','),
                  });
                  void navigate(`/duplicates/merge?${params.toString()}`);
                }}
              >
                <GitMerge aria-hidden="true" size={16} /> Compare and merge
                {selected.length > 0 ? ` (${selected.length + 1} customers)` : ''}
              </button>
              <p className="field-hint">
                {selected.length === 0
                  ? 'Tick the records that are the same person.'
                  : `Up to ${MAX_MERGED} records merge into one at a time.`}
              </p>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Likely duplicates of a customer, chosen by search, and the way into merging them. */
export function DuplicatesPage() {
  usePageTitle('Duplicates');
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const customerId = params.get('customer') ?? '';
  const q = params.get('q') ?? '';
  if (!can('listCustomerDuplicates')) return <NotAllowed what="look for duplicate customers" />;
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Duplicates</h1>
      </header>
      {customerId === '' ? (
        <FindCustomer
          key={q}
          q={q}
          onSearch={(next) => {
            setParams(next === '' ? {} : { q: next });
          }}
        />
      ) : (
        <Suggestions key={customerId} customerId={customerId} />
      )}
    </section>
  );
}

import { Search, X } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { NO_FILTERS, STATUSES, parseTags, type ListFilters } from './list-query';

export interface StageOption {
  key: string;
  label: string;
}

/**
 * The search box and the filters above the customer list. Selects apply at once; the
 * search words and tags apply when the form is submitted (Enter or the Search button).
 */
export function CustomerFilters({
  filters,
  stages,
  onChange,
}: {
  filters: ListFilters;
  stages: StageOption[];
  onChange: (next: ListFilters) => void;
}) {
  const [q, setQ] = useState(filters.q);
  const [tags, setTags] = useState(filters.tags.join(', '));
  // Typed text follows the filters when they change from outside (back button, Clear).
  const [seen, setSeen] = useState(filters);
  if (seen !== filters) {
    setSeen(filters);
    setQ(filters.q);
    setTags(filters.tags.join(', '));
  }

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    onChange({ ...filters, q: q.trim(), tags: parseTags(tags) });
  };
  const active =
    filters.q !== '' ||
    filters.status !== '' ||
    filters.stage !== '' ||
    filters.vip !== '' ||
    filters.tags.length > 0;

  return (
    <form className="filters" role="search" aria-label="Customers" onSubmit={submit}>
      <div className="field field-grow">
        <label htmlFor="customer-search">Search</label>
        <input
          id="customer-search"
          type="search"
          value={q}
          placeholder="Name, email, phone, company or tag"
          autoComplete="off"
          onChange={(e) => {
            setQ(e.target.value);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select
          id="filter-status"
          value={filters.status}
          onChange={(e) => {
            const status = STATUSES.find((s) => s === e.target.value) ?? '';
            onChange({ ...filters, status });
          }}
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-stage">Stage</label>
        <select
          id="filter-stage"
          value={filters.stage}
          onChange={(e) => {
            onChange({ ...filters, stage: e.target.value });
          }}
        >
          <option value="">Any stage</option>
          {stages.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-vip">VIP</label>
        <select
          id="filter-vip"
          value={filters.vip}
          onChange={(e) => {
            const vip =
              e.target.value === 'true' || e.target.value === 'false' ? e.target.value : '';
            onChange({ ...filters, vip });
          }}
        >
          <option value="">VIP or not</option>
          <option value="true">VIP only</option>
          <option value="false">Not VIP</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-tags">Tags</label>
        <input
          id="filter-tags"
          type="text"
          value={tags}
          placeholder="e.g. gold, newsletter"
          autoComplete="off"
          onChange={(e) => {
            setTags(e.target.value);
          }}
        />
      </div>
      <div className="filters-actions">
        <button type="submit" className="btn btn-primary">
          <Search aria-hidden="true" size={16} /> Search
        </button>
        {active && (
          <button
            type="button"
            className="btn"
            onClick={() => {
              onChange({ ...NO_FILTERS, sort: filters.sort });
            }}
          >
            <X aria-hidden="true" size={16} /> Clear filters
          </button>
        )}
      </div>
    </form>
  );
}

import { Search, X } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import type { CustomFieldDefinition } from '../../api/types';
import { ConditionBuilder } from './ConditionBuilder';
import {
  NO_FILTERS,
  STATUSES,
  ignoredBySearch,
  isFiltered,
  parseTags,
  type ListFilters,
} from './list-query';

export interface StageOption {
  key: string;
  label: string;
}

/**
 * The search box and the filters above the customer list. Selects and custom field
 * conditions apply at once; the search words and tags apply when the form is submitted
 * (Enter or the Search button).
 */
export function CustomerFilters({
  filters,
  stages,
  fields = [],
  onChange,
}: {
  filters: ListFilters;
  stages: StageOption[];
  /** Custom fields the list may filter on (active, not sensitive). */
  fields?: CustomFieldDefinition[];
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
  const active = isFiltered(filters);
  const ignored = ignoredBySearch(filters);

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
      {(fields.length > 0 || filters.where.length > 0) && (
        <ConditionBuilder
          fields={fields}
          conditions={filters.where}
          onChange={(where) => {
            onChange({ ...filters, where });
          }}
        />
      )}
      {ignored.length > 0 && (
        <p className="field-hint filters-note">
          Search words do not combine with {ignored.join(' and ')}: the search leaves them out.
        </p>
      )}
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

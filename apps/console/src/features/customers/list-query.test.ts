import { describe, expect, it } from 'vitest';
import {
  NO_FILTERS,
  exportQuery,
  filtersFromParams,
  filtersToParams,
  listQuery,
  nextSort,
  parseTags,
  searchQuery,
  sortableColumns,
  type ListFilters,
} from './list-query';

const page = { limit: 25 };

describe('the customer list query', () => {
  it('asks the plain list for status, stage and VIP, and puts tags in the filter language', () => {
    const filters: ListFilters = {
      ...NO_FILTERS,
      status: 'active',
      stage: 'lead',
      vip: 'true',
      tags: ['gold'],
    };
    expect(listQuery(filters, page)).toEqual({
      limit: 25,
      status: 'active',
      stage: 'lead',
      vip: 'true',
      filter: JSON.stringify({ field: 'tags', op: 'contains', value: 'gold' }),
    });
  });

  it('requires every tag when several are chosen', () => {
    const query = listQuery({ ...NO_FILTERS, tags: ['gold', 'newsletter'] }, page);
    expect(JSON.parse(query.filter ?? 'null')).toEqual({
      and: [
        { field: 'tags', op: 'contains', value: 'gold' },
        { field: 'tags', op: 'contains', value: 'newsletter' },
      ],
    });
  });

  it('sends nothing it was not asked for, and the cursor of the page', () => {
    expect(listQuery(NO_FILTERS, page)).toEqual({ limit: 25 });
    expect(listQuery(NO_FILTERS, { limit: 25, cursor: 'abc' })).toEqual({
      limit: 25,
      cursor: 'abc',
    });
  });

  it('maps the sortable columns to the API’s sort fields', () => {
    expect(
      listQuery({ ...NO_FILTERS, sort: { column: 'name', descending: false } }, page).sort,
    ).toBe('last_name');
    expect(
      listQuery({ ...NO_FILTERS, sort: { column: 'email', descending: true } }, page).sort,
    ).toBe('-email');
    expect(
      listQuery({ ...NO_FILTERS, sort: { column: 'status', descending: false } }, page).sort,
    ).toBe('customer_status');
    expect(
      listQuery({ ...NO_FILTERS, sort: { column: 'stage', descending: true } }, page).sort,
    ).toBe('-customer_stage');
    expect(
      listQuery({ ...NO_FILTERS, sort: { column: 'last_booking', descending: true } }, page).sort,
    ).toBe('-last_booking_at');
  });

  it('searches with the words, filters and tags as the search endpoint takes them', () => {
    const filters: ListFilters = {
      ...NO_FILTERS,
      q: '  ada lovelace ',
      status: 'inactive',
      tags: ['gold', 'vip'],
      sort: { column: 'name', descending: true },
    };
    expect(searchQuery(filters, page)).toEqual({
      q: 'ada lovelace',
      limit: 25,
      status: 'inactive',
      tags: 'gold,vip',
      sort: '-last_name',
    });
  });

  it('offers only the columns each mode can order by', () => {
    expect(sortableColumns(NO_FILTERS)).toEqual([
      'name',
      'email',
      'status',
      'stage',
      'last_booking',
    ]);
    expect(sortableColumns({ ...NO_FILTERS, q: 'ada' })).toEqual(['name']);
  });

  it('cycles a column through ascending, descending and unsorted', () => {
    const up = nextSort(null, 'name');
    expect(up).toEqual({ column: 'name', descending: false });
    const down = nextSort(up, 'name');
    expect(down).toEqual({ column: 'name', descending: true });
    expect(nextSort(down, 'name')).toBeNull();
    expect(nextSort(down, 'email')).toEqual({ column: 'email', descending: false });
  });

  it('keeps the filters in the URL and reads them back, ignoring values it does not know', () => {
    const filters: ListFilters = {
      q: 'ada',
      status: 'blocked',
      stage: 'prospect',
      vip: 'false',
      tags: ['a', 'b'],
      where: [
        { field: 'shoe_size', op: 'gte', value: 38 },
        { field: 'joined', op: 'within_last', value: { amount: 30, unit: 'days' } },
        { field: 'newsletter', op: 'is_set' },
      ],
      sort: { column: 'email', descending: true },
    };
    expect(filtersFromParams(filtersToParams(filters))).toEqual(filters);
    expect(
      filtersFromParams(new URLSearchParams('status=gone&vip=maybe&sort=created&tags=,x,,x')),
    ).toEqual({ ...NO_FILTERS, tags: ['x'] });
    const where = JSON.stringify([
      { field: 'Bad Name', op: 'eq', value: 1 },
      { field: 'size', op: 'matches', value: 'x' },
      { field: 'since', op: 'after_date', value: 'yesterday' },
      { field: 'kept', op: 'contains', value: 'gold' },
    ]);
    expect(filtersFromParams(new URLSearchParams({ where })).where).toEqual([
      { field: 'kept', op: 'contains', value: 'gold' },
    ]);
    expect(filtersFromParams(new URLSearchParams('where=not-json')).where).toEqual([]);
  });

  it('reads a typed tag list without blanks or repeats', () => {
    expect(parseTags(' gold, ,newsletter,gold ,')).toEqual(['gold', 'newsletter']);
  });

  it('says which chosen filters the CSV export cannot apply', () => {
    expect(exportQuery({ ...NO_FILTERS, q: 'ada', vip: 'true', tags: ['x'] })).toEqual({
      query: { vip: 'true' },
      ignored: ['search', 'tags'],
    });
    expect(exportQuery({ ...NO_FILTERS, status: 'active' }).ignored).toEqual([]);
  });
});

import type { CustomerStatus, ListCustomersQuery, SearchCustomersQuery } from '../../api/types';

export const STATUSES: readonly CustomerStatus[] = ['active', 'inactive', 'blocked', 'archived'];

/** Columns the API can order by; the others (status, stage, last booking) it cannot. */
export type SortColumn = 'name' | 'email';
export interface Sort {
  column: SortColumn;
  descending: boolean;
}

/** What the person chose above the customer list; kept in the page's URL. */
export interface ListFilters {
  q: string;
  status: CustomerStatus | '';
  stage: string;
  vip: '' | 'true' | 'false';
  /** Tag names; a customer must carry every one. */
  tags: string[];
  sort: Sort | null;
}

export const NO_FILTERS: ListFilters = {
  q: '',
  status: '',
  stage: '',
  vip: '',
  tags: [],
  sort: null,
};

function isStatus(value: string): value is CustomerStatus {
  return (STATUSES as readonly string[]).includes(value);
}

export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const tag = part.trim();
    if (tag !== '') seen.add(tag);
  }
  return [...seen];
}

function parseSort(value: string | null): Sort | null {
  const match = value ? /^(-?)(name|email)$/.exec(value) : null;
  if (!match) return null;
  return { column: match[2] as SortColumn, descending: match[1] === '-' };
}

export function filtersFromParams(params: URLSearchParams): ListFilters {
  const status = params.get('status') ?? '';
  const vip = params.get('vip') ?? '';
  return {
    q: params.get('q') ?? '',
    status: isStatus(status) ? status : '',
    stage: params.get('stage') ?? '',
    vip: vip === 'true' || vip === 'false' ? vip : '',
    tags: parseTags(params.get('tags') ?? ''),
    sort: parseSort(params.get('sort')),
  };
}

export function filtersToParams(filters: ListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim() !== '') params.set('q', filters.q.trim());
  if (filters.status !== '') params.set('status', filters.status);
  if (filters.stage !== '') params.set('stage', filters.stage);
  if (filters.vip !== '') params.set('vip', filters.vip);
  if (filters.tags.length > 0) params.set('tags', filters.tags.join(','));
  if (filters.sort) {
    params.set('sort', `${filters.sort.descending ? '-' : ''}${filters.sort.column}`);
  }
  return params;
}

/** Words in the search box send the list through search (typo-tolerant) instead of the plain list. */
export function isSearch(filters: ListFilters): boolean {
  return filters.q.trim() !== '';
}

/** Which columns can be ordered in this mode: search orders by name only. */
export function sortableColumns(filters: ListFilters): readonly SortColumn[] {
  return isSearch(filters) ? ['name'] : ['name', 'email'];
}

/** The next sort when a column header is pressed: ascending, then descending, then none. */
export function nextSort(current: Sort | null, column: SortColumn): Sort | null {
  if (current?.column !== column) return { column, descending: false };
  return current.descending ? null : { column, descending: true };
}

const LIST_SORT: Record<SortColumn, 'last_name' | 'email'> = { name: 'last_name', email: 'email' };

/** The plain list's query: tags go through the filter language (every tag must be on the customer). */
export function listQuery(
  filters: ListFilters,
  page: { cursor?: string | undefined; limit: number },
): ListCustomersQuery {
  const query: ListCustomersQuery = { limit: page.limit };
  if (page.cursor !== undefined) query.cursor = page.cursor;
  if (filters.status !== '') query.status = filters.status;
  if (filters.stage !== '') query.stage = filters.stage;
  if (filters.vip !== '') query.vip = filters.vip;
  if (filters.sort) {
    query.sort = `${filters.sort.descending ? '-' : ''}${LIST_SORT[filters.sort.column]}`;
  }
  const leaves = filters.tags.map((tag) => ({ field: 'tags', op: 'contains', value: tag }));
  const [only] = leaves;
  if (leaves.length === 1 && only) query.filter = JSON.stringify(only);
  else if (leaves.length > 1) query.filter = JSON.stringify({ and: leaves });
  return query;
}

export function searchQuery(
  filters: ListFilters,
  page: { cursor?: string | undefined; limit: number },
): SearchCustomersQuery {
  const query: SearchCustomersQuery = { q: filters.q.trim(), limit: page.limit };
  if (page.cursor !== undefined) query.cursor = page.cursor;
  if (filters.status !== '') query.status = filters.status;
  if (filters.stage !== '') query.stage = filters.stage;
  if (filters.vip !== '') query.vip = filters.vip;
  if (filters.tags.length > 0) query.tags = filters.tags.join(',');
  if (filters.sort?.column === 'name') {
    query.sort = filters.sort.descending ? '-last_name' : 'last_name';
  }
  return query;
}

/** The export takes status, stage and VIP only; says which chosen filters it leaves out. */
export function exportQuery(filters: ListFilters): {
  query: { status?: CustomerStatus; stage?: string; vip?: 'true' | 'false' };
  ignored: string[];
} {
  const query: { status?: CustomerStatus; stage?: string; vip?: 'true' | 'false' } = {};
  if (filters.status !== '') query.status = filters.status;
  if (filters.stage !== '') query.stage = filters.stage;
  if (filters.vip !== '') query.vip = filters.vip;
  const ignored: string[] = [];
  if (isSearch(filters)) ignored.push('search');
  if (filters.tags.length > 0) ignored.push('tags');
  return { query, ignored };
}

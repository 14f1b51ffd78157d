import type {
  CustomerStatus,
  FilterNode,
  FilterScalar,
  ListCustomersQuery,
  SearchCustomersQuery,
} from '../../api/types';

export const STATUSES: readonly CustomerStatus[] = ['active', 'inactive', 'blocked', 'archived'];

/** Columns the API can order by; the others (status, stage, last booking) it cannot. */
export type SortColumn = 'name' | 'email' | 'status' | 'stage' | 'last_booking';
export interface Sort {
  column: SortColumn;
  descending: boolean;
}

/**
 * A condition on one custom field, by its field_name; the filter language names it
 * `custom.<field_name>`. The shapes are the filter language's leaves the builder offers.
 */
export type FieldCondition =
  | { field: string; op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'; value: FilterScalar }
  | { field: string; op: 'contains' | 'starts_with'; value: string }
  | { field: string; op: 'is_set' | 'is_not_set' }
  | { field: string; op: 'before_date' | 'after_date'; value: string }
  | { field: string; op: 'within_last'; value: { amount: number; unit: 'days' } };
export type ConditionOp = FieldCondition['op'];

/** What the person chose above the customer list; kept in the page's URL. */
export interface ListFilters {
  q: string;
  status: CustomerStatus | '';
  stage: string;
  vip: '' | 'true' | 'false';
  /** Tag names; a customer must carry every one. */
  tags: string[];
  /** Conditions on custom fields; a customer must meet every one. */
  where: FieldCondition[];
  sort: Sort | null;
}

export const NO_FILTERS: ListFilters = {
  q: '',
  status: '',
  stage: '',
  vip: '',
  tags: [],
  where: [],
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
  const match = value ? /^(-?)(name|email|status|stage|last_booking)$/.exec(value) : null;
  if (!match) return null;
  return { column: match[2] as SortColumn, descending: match[1] === '-' };
}

const SCALAR_OPS: readonly string[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'];
const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isScalar(value: unknown): value is FilterScalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** One condition read back from the URL, or null for anything the builder would not have made. */
export function parseCondition(input: unknown): FieldCondition | null {
  if (typeof input !== 'object' || input === null) return null;
  const { field, op, value } = input as { field?: unknown; op?: unknown; value?: unknown };
  if (typeof field !== 'string' || !FIELD_NAME.test(field) || typeof op !== 'string') return null;
  if (SCALAR_OPS.includes(op) && isScalar(value)) {
    return { field, op: op as 'eq', value };
  }
  if ((op === 'contains' || op === 'starts_with') && typeof value === 'string' && value !== '') {
    return { field, op, value };
  }
  if (op === 'is_set' || op === 'is_not_set') return { field, op };
  if ((op === 'before_date' || op === 'after_date') && typeof value === 'string') {
    return DATE.test(value) ? { field, op, value } : null;
  }
  if (op === 'within_last' && typeof value === 'object' && value !== null) {
    const { amount, unit } = value as { amount?: unknown; unit?: unknown };
    if (typeof amount === 'number' && Number.isInteger(amount) && amount > 0 && unit === 'days') {
      return { field, op, value: { amount, unit } };
    }
  }
  return null;
}

function parseConditions(text: string | null): FieldCondition[] {
  if (text === null || text === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.map(parseCondition).filter((c) => c !== null);
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
    where: parseConditions(params.get('where')),
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
  if (filters.where.length > 0) params.set('where', JSON.stringify(filters.where));
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
  return isSearch(filters) ? ['name'] : ['name', 'email', 'status', 'stage', 'last_booking'];
}

/** The next sort when a column header is pressed: ascending, then descending, then none. */
export function nextSort(current: Sort | null, column: SortColumn): Sort | null {
  if (current?.column !== column) return { column, descending: false };
  return current.descending ? null : { column, descending: true };
}

const LIST_SORT = {
  name: 'last_name',
  email: 'email',
  status: 'customer_status',
  stage: 'customer_stage',
  last_booking: 'last_booking_at',
} as const satisfies Record<SortColumn, string>;

/** Whether anything narrows the list, the sort aside. */
export function isFiltered(filters: ListFilters): boolean {
  return (
    filters.q.trim() !== '' ||
    filters.status !== '' ||
    filters.stage !== '' ||
    filters.vip !== '' ||
    filters.tags.length > 0 ||
    filters.where.length > 0
  );
}

/** A custom field condition as a leaf of the filter language. */
export function leafOf(condition: FieldCondition): FilterNode {
  return { ...condition, field: `custom.${condition.field}` };
}

/** The leaves the plain list cannot say with its own parameters: tags and custom fields. */
function conditionLeaves(filters: ListFilters): FilterNode[] {
  return [
    ...filters.tags.map((tag): FilterNode => ({ field: 'tags', op: 'contains', value: tag })),
    ...filters.where.map(leafOf),
  ];
}

function allOf(leaves: FilterNode[]): FilterNode | null {
  const [only] = leaves;
  if (only === undefined) return null;
  return leaves.length === 1 ? only : { and: leaves };
}

/**
 * Every filter but the search words as one expression of the filter language: what a bulk
 * action "on all matching" sends, so it acts on exactly the customers the list shows. Null
 * when nothing is filtered (a bulk action then names no filter: the API takes none).
 */
export function filterExpression(filters: ListFilters): FilterNode | null {
  const leaves: FilterNode[] = [];
  if (filters.status !== '') {
    leaves.push({ field: 'customer_status', op: 'eq', value: filters.status });
  }
  if (filters.stage !== '') {
    leaves.push({ field: 'customer_stage', op: 'eq', value: filters.stage });
  }
  if (filters.vip !== '') {
    leaves.push({ field: 'vip_status', op: 'eq', value: filters.vip === 'true' });
  }
  return allOf([...leaves, ...conditionLeaves(filters)]);
}

/** The plain list's query: tags and custom fields go through the filter language (all must hold). */
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
  const filter = allOf(conditionLeaves(filters));
  if (filter !== null) query.filter = JSON.stringify(filter);
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

/** What the search endpoint cannot apply: it takes no filter-language conditions. */
export function ignoredBySearch(filters: ListFilters): string[] {
  return isSearch(filters) && filters.where.length > 0 ? ['custom field conditions'] : [];
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
  if (filters.where.length > 0) ignored.push('custom field conditions');
  return { query, ignored };
}

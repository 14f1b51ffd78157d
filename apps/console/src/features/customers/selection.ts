import type { FilterNode } from '../../api/types';
import { filterExpression, isSearch, type ListFilters } from './list-query';

/**
 * The API's bound on one bulk action, by ids or by filter (`MAX_BULK_IDS` and
 * `MAX_BULK_FILTER_MATCHES` in libs/contracts): it changes them in one transaction.
 */
export const MAX_BULK = 250;

/**
 * Which customers a bulk action is for: rows ticked one by one (kept across pages), or every
 * customer matching the list's filters, including those on pages not shown.
 */
export type Selection = { kind: 'rows'; ids: readonly string[] } | { kind: 'matching' };

export const NO_SELECTION: Selection = { kind: 'rows', ids: [] };

export function isSelected(selection: Selection, id: string): boolean {
  return selection.kind === 'matching' || selection.ids.includes(id);
}

export function isEmpty(selection: Selection): boolean {
  return selection.kind === 'rows' && selection.ids.length === 0;
}

/**
 * Ticks or unticks one row. Unticking a row while every match is selected leaves the rest
 * of the page ticked: the API cannot say "all matching but these".
 */
export function toggleRow(selection: Selection, id: string, pageIds: readonly string[]): Selection {
  if (selection.kind === 'matching') {
    return { kind: 'rows', ids: pageIds.filter((p) => p !== id) };
  }
  return selection.ids.includes(id)
    ? { kind: 'rows', ids: selection.ids.filter((s) => s !== id) }
    : { kind: 'rows', ids: [...selection.ids, id] };
}

/** How much of the page is ticked, for the header checkbox (some: indeterminate). */
export function pageState(
  selection: Selection,
  pageIds: readonly string[],
): 'none' | 'some' | 'all' {
  if (pageIds.length === 0) return 'none';
  const ticked = pageIds.filter((id) => isSelected(selection, id)).length;
  return ticked === 0 ? 'none' : ticked === pageIds.length ? 'all' : 'some';
}

/** The header checkbox: ticks the whole page, or unticks it when all of it is ticked. */
export function togglePage(selection: Selection, pageIds: readonly string[]): Selection {
  if (pageState(selection, pageIds) === 'all') {
    if (selection.kind === 'matching') return NO_SELECTION;
    return { kind: 'rows', ids: selection.ids.filter((id) => !pageIds.includes(id)) };
  }
  const ids = selection.kind === 'rows' ? selection.ids : [];
  return { kind: 'rows', ids: [...ids, ...pageIds.filter((id) => !ids.includes(id))] };
}

/**
 * Whether "all matching" can be offered: only where the filter language can say the filters
 * (search words it cannot), and where something is filtered at all.
 */
export function canSelectMatching(filters: ListFilters): boolean {
  return !isSearch(filters) && filterExpression(filters) !== null;
}

/** Offered once the whole page is ticked and more pages match. */
export function offersMatching(
  selection: Selection,
  filters: ListFilters,
  pageIds: readonly string[],
  morePages: boolean,
): boolean {
  return (
    selection.kind === 'rows' &&
    morePages &&
    canSelectMatching(filters) &&
    pageState(selection, pageIds) === 'all'
  );
}

export type BulkTarget = { customer_ids: string[] } | { filter: FilterNode };

/** What a bulk route takes for the selection: the ids, or the list's filters as one expression. */
export function targetOf(selection: Selection, filters: ListFilters): BulkTarget | null {
  if (selection.kind === 'rows') {
    return selection.ids.length > 0 ? { customer_ids: [...selection.ids] } : null;
  }
  const filter = canSelectMatching(filters) ? filterExpression(filters) : null;
  return filter === null ? null : { filter };
}

/**
 * How many customers the action affects: the ticked rows, or the count of matches (null while
 * it is counted). `tooMany` when past what one action may change.
 */
export function affected(
  selection: Selection,
  matches: { count: number; more: boolean } | null,
): { count: number | null; tooMany: boolean } {
  if (selection.kind === 'rows') {
    return { count: selection.ids.length, tooMany: selection.ids.length > MAX_BULK };
  }
  if (matches === null) return { count: null, tooMany: false };
  return { count: matches.count, tooMany: matches.more || matches.count > MAX_BULK };
}

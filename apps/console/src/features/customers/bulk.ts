import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { BulkResult, FilterNode } from '../../api/types';
import { MAX_BULK, type BulkTarget } from './selection';

/** One change to many customers, through the profiles bulk routes. */
export type BulkAction =
  | { kind: 'tag'; mode: 'add' | 'remove'; tag: string }
  | { kind: 'stage'; stage: string; label: string }
  | { kind: 'assign'; owner: { id: string; name: string } | null };

export function customers(count: number): string {
  return `${String(count)} ${count === 1 ? 'customer' : 'customers'}`;
}

/** The question the confirmation asks, naming how many customers it affects. */
export function confirmationOf(action: BulkAction, count: number): string {
  switch (action.kind) {
    case 'tag':
      return action.mode === 'add'
        ? `Add the tag “${action.tag}” to ${customers(count)}?`
        : `Remove the tag “${action.tag}” from ${customers(count)}?`;
    case 'stage':
      return `Move ${customers(count)} to the stage ${action.label}?`;
    case 'assign':
      return action.owner
        ? `Make ${action.owner.name} the owner of ${customers(count)}?`
        : `Remove the owner of ${customers(count)}?`;
  }
}

/** The confirming button's words, with the count again. */
export function confirmButtonOf(action: BulkAction, count: number): string {
  switch (action.kind) {
    case 'tag':
      return `${action.mode === 'add' ? 'Tag' : 'Untag'} ${customers(count)}`;
    case 'stage':
      return `Move ${customers(count)}`;
    case 'assign':
      return `${action.owner ? 'Assign' : 'Unassign'} ${customers(count)}`;
  }
}

/** What happened, in words, from the API's answer. */
export function resultOf(action: BulkAction, result: BulkResult): string {
  const changed = result.updated.length;
  const same = result.unchanged.length;
  let text: string;
  switch (action.kind) {
    case 'tag':
      text =
        action.mode === 'add'
          ? `Added the tag “${action.tag}” to ${customers(changed)}.` +
            (same > 0 ? ` ${customers(same)} already had it.` : '')
          : `Removed the tag “${action.tag}” from ${customers(changed)}.` +
            (same > 0 ? ` ${customers(same)} did not have it.` : '');
      break;
    case 'stage':
      text =
        `Moved ${customers(changed)} to the stage ${action.label}.` +
        (same > 0 ? ` ${customers(same)} already were there.` : '');
      break;
    case 'assign':
      text =
        (action.owner
          ? `Assigned ${customers(changed)} to ${action.owner.name}.`
          : `Removed the owner of ${customers(changed)}.`) +
        (same > 0 ? ` ${customers(same)} already were so.` : '');
      break;
  }
  if (result.not_found.length > 0) {
    text += ` ${customers(result.not_found.length)} could not be changed: they are gone or not yours to change.`;
  }
  return text;
}

/** Sends the action; one key per confirmation, so a retried request changes nothing twice. */
export async function runBulk(
  action: BulkAction,
  target: BulkTarget,
  idempotencyKey: string,
): Promise<BulkResult> {
  const params = { header: { 'Idempotency-Key': idempotencyKey } };
  switch (action.kind) {
    case 'tag':
      return unwrap(
        api.POST('/crm/customers/bulk/tags', {
          params,
          body: {
            ...target,
            add: action.mode === 'add' ? [action.tag] : [],
            remove: action.mode === 'remove' ? [action.tag] : [],
          },
        }),
      );
    case 'stage':
      return unwrap(
        api.POST('/crm/customers/bulk/stage', {
          params,
          body: { ...target, customer_stage: action.stage },
        }),
      );
    case 'assign':
      return unwrap(
        api.POST('/crm/customers/bulk/assign', {
          params,
          body: { ...target, owner_id: action.owner?.id ?? null },
        }),
      );
  }
}

/**
 * How many customers the filter matches, counted through the list with the very expression a
 * bulk action sends; it stops counting past what one action may change (`more`).
 */
export function useMatchCount(filter: FilterNode | null) {
  return useQuery({
    queryKey: ['customers', 'match-count', filter],
    enabled: filter !== null,
    queryFn: async ({ signal }) => {
      let count = 0;
      let cursor: string | undefined;
      while (count <= MAX_BULK) {
        const body: { filter?: FilterNode; sort: string; limit: number; cursor?: string } = {
          sort: '-created_at',
          limit: 200,
        };
        if (filter !== null) body.filter = filter;
        if (cursor !== undefined) body.cursor = cursor;
        const page = await unwrap(api.POST('/crm/customers/query', { body, signal }));
        count += page.data.length;
        if (page.next_cursor === null) return { count, more: false };
        cursor = page.next_cursor;
      }
      return { count, more: true };
    },
  });
}

import { describe, expect, it } from 'vitest';
import { confirmButtonOf, confirmationOf, resultOf } from './bulk';
import { NO_FILTERS } from './list-query';
import {
  MAX_BULK,
  NO_SELECTION,
  affected,
  canSelectMatching,
  isSelected,
  offersMatching,
  pageState,
  targetOf,
  togglePage,
  toggleRow,
  type Selection,
} from './selection';

const page1 = ['a', 'b', 'c'];
const page2 = ['d', 'e'];
const vip = { ...NO_FILTERS, vip: 'true' as const };

describe('selecting customers for a bulk action', () => {
  it('ticks rows one by one and keeps them across pages', () => {
    let s: Selection = NO_SELECTION;
    s = toggleRow(s, 'b', page1);
    s = toggleRow(s, 'd', page2);
    expect(s).toEqual({ kind: 'rows', ids: ['b', 'd'] });
    expect(pageState(s, page1)).toBe('some');
    expect(pageState(s, page2)).toBe('some');
    s = toggleRow(s, 'b', page1);
    expect(pageState(s, page1)).toBe('none');
    expect(targetOf(s, vip)).toEqual({ customer_ids: ['d'] });
  });

  it('ticks the whole page with the header box, and unticks it only when all of it is ticked', () => {
    let s = togglePage(toggleRow(NO_SELECTION, 'd', page2), page1);
    expect(s).toEqual({ kind: 'rows', ids: ['d', 'a', 'b', 'c'] });
    expect(pageState(s, page1)).toBe('all');
    s = toggleRow(s, 'a', page1);
    expect(pageState(s, page1)).toBe('some');
    s = togglePage(s, page1);
    expect(pageState(s, page1)).toBe('all');
    s = togglePage(s, page1);
    expect(s).toEqual({ kind: 'rows', ids: ['d'] });
    expect(pageState(NO_SELECTION, [])).toBe('none');
  });

  it('offers every match once the page is ticked, where more pages match and the filter language can say the filters', () => {
    const ticked = togglePage(NO_SELECTION, page1);
    expect(offersMatching(ticked, vip, page1, true)).toBe(true);
    expect(offersMatching(ticked, vip, page1, false)).toBe(false);
    expect(offersMatching(toggleRow(ticked, 'a', page1), vip, page1, true)).toBe(false);
    // Search words have no filter-language form; an unfiltered list is not "a filter".
    expect(offersMatching(ticked, { ...vip, q: 'ada' }, page1, true)).toBe(false);
    expect(offersMatching(ticked, NO_FILTERS, page1, true)).toBe(false);
    expect(canSelectMatching({ ...NO_FILTERS, tags: ['gold'] })).toBe(true);
  });

  it('sends every match as the filter, and unticking one row falls back to the rest of the page', () => {
    const all: Selection = { kind: 'matching' };
    expect(isSelected(all, 'zz')).toBe(true);
    expect(pageState(all, page2)).toBe('all');
    expect(targetOf(all, { ...vip, tags: ['gold'] })).toEqual({
      filter: {
        and: [
          { field: 'vip_status', op: 'eq', value: true },
          { field: 'tags', op: 'contains', value: 'gold' },
        ],
      },
    });
    expect(toggleRow(all, 'e', page2)).toEqual({ kind: 'rows', ids: ['d'] });
    expect(togglePage(all, page2)).toEqual(NO_SELECTION);
    expect(targetOf(NO_SELECTION, vip)).toBeNull();
  });

  it('counts what the action affects, and refuses more than one action may change', () => {
    expect(affected({ kind: 'rows', ids: ['a', 'b'] }, null)).toEqual({ count: 2, tooMany: false });
    const many = Array.from({ length: MAX_BULK + 1 }, (_, i) => String(i));
    expect(affected({ kind: 'rows', ids: many }, null).tooMany).toBe(true);
    expect(affected({ kind: 'matching' }, null)).toEqual({ count: null, tooMany: false });
    expect(affected({ kind: 'matching' }, { count: 28, more: false })).toEqual({
      count: 28,
      tooMany: false,
    });
    expect(affected({ kind: 'matching' }, { count: 400, more: true }).tooMany).toBe(true);
  });

  it('asks and answers in words with the number of customers', () => {
    const tag = { kind: 'tag', mode: 'add', tag: 'gala' } as const;
    expect(confirmationOf(tag, 28)).toBe('Add the tag “gala” to 28 customers?');
    expect(confirmButtonOf(tag, 1)).toBe('Tag 1 customer');
    expect(
      resultOf(tag, { updated: ['a', 'b'], unchanged: ['c'], not_found: [], matched: 3 }),
    ).toBe('Added the tag “gala” to 2 customers. 1 customer already had it.');
    const stage = { kind: 'stage', stage: 'lead', label: 'Lead' } as const;
    expect(confirmationOf(stage, 3)).toBe('Move 3 customers to the stage Lead?');
    expect(resultOf(stage, { updated: ['a'], unchanged: [], not_found: ['x', 'y'] })).toBe(
      'Moved 1 customer to the stage Lead. 2 customers could not be changed: they are gone or not yours to change.',
    );
    const unassign = { kind: 'assign', owner: null } as const;
    expect(confirmationOf(unassign, 2)).toBe('Remove the owner of 2 customers?');
  });
});

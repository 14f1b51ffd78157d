import { describe, expect, it } from 'vitest';
import {
  Filter,
  FILTER_LIMITS,
  anniversaryKeys,
  evaluateFilter,
  field,
  parseFilter,
  validateFilter,
  windowStart,
  type FilterCatalog,
  type FilterNode,
  type FilterRecord,
} from '../src/index.js';

const catalog: FilterCatalog = {
  fields: [
    field('name', 'string'),
    field('score', 'number'),
    field('vip', 'boolean'),
    field('birthday', 'date'),
    field('seen_at', 'datetime'),
    field('tags', 'string_list'),
  ],
  facts: {
    bookings: { time: 'at', fields: [field('service', 'string'), field('at', 'datetime')] },
  },
  changes: true,
};

const now = new Date('2025-12-30T12:00:00.000Z');
const ann: FilterRecord = {
  name: 'Ann-Marie',
  score: 7.5,
  vip: true,
  birthday: '1992-01-02',
  seen_at: '2025-12-29T12:00:00.000Z',
  tags: ['Gold', 'Spring'],
};
const blank: FilterRecord = { name: '', score: null, tags: [] };

function match(filter: FilterNode, record: FilterRecord = ann, extra = {}): boolean {
  expect(validateFilter(filter, catalog)).toEqual([]);
  return evaluateFilter(filter, record, { now, catalog, ...extra });
}

describe('evaluateFilter, op by op', () => {
  it('compares strings case-insensitively and treats empty as missing', () => {
    expect(match({ field: 'name', op: 'eq', value: 'ann-marie' })).toBe(true);
    expect(match({ field: 'name', op: 'neq', value: 'ANN-MARIE' })).toBe(false);
    expect(match({ field: 'name', op: 'in', value: ['bob', 'ANN-marie'] })).toBe(true);
    expect(match({ field: 'name', op: 'not_in', value: ['bob'] })).toBe(true);
    expect(match({ field: 'name', op: 'contains', value: 'N-M' })).toBe(true);
    expect(match({ field: 'name', op: 'not_contains', value: 'x' })).toBe(true);
    expect(match({ field: 'name', op: 'starts_with', value: 'ANN' })).toBe(true);
    expect(match({ field: 'name', op: 'starts_with', value: 'marie' })).toBe(false);
    expect(match({ field: 'name', op: 'is_set' }, blank)).toBe(false);
    expect(match({ field: 'name', op: 'is_not_set' }, blank)).toBe(true);
  });

  it('matches a missing value with the negative ops only', () => {
    expect(match({ field: 'score', op: 'eq', value: 1 }, blank)).toBe(false);
    expect(match({ field: 'score', op: 'neq', value: 1 }, blank)).toBe(true);
    expect(match({ field: 'score', op: 'lt', value: 1 }, blank)).toBe(false);
    expect(match({ field: 'score', op: 'not_in', value: [1] }, blank)).toBe(true);
    expect(match({ field: 'name', op: 'not_contains', value: 'a' }, blank)).toBe(true);
    expect(match({ not: { field: 'score', op: 'lt', value: 1 } }, blank)).toBe(true);
  });

  it('orders numbers, with between inclusive', () => {
    expect(match({ field: 'score', op: 'gt', value: 7 })).toBe(true);
    expect(match({ field: 'score', op: 'gte', value: 7.5 })).toBe(true);
    expect(match({ field: 'score', op: 'lt', value: 7.5 })).toBe(false);
    expect(match({ field: 'score', op: 'lte', value: 7.5 })).toBe(true);
    expect(match({ field: 'score', op: 'between', value: [7.5, 8] })).toBe(true);
    expect(match({ field: 'score', op: 'between', value: [1, 7.4] })).toBe(false);
    expect(match({ field: 'vip', op: 'eq', value: true })).toBe(true);
  });

  it('reads dates and date-times in UTC', () => {
    expect(match({ field: 'birthday', op: 'before_date', value: '1992-01-03' })).toBe(true);
    expect(match({ field: 'birthday', op: 'after_date', value: '1992-01-02' })).toBe(false);
    expect(match({ field: 'seen_at', op: 'after_date', value: '2025-12-28' })).toBe(true);
    expect(match({ field: 'seen_at', op: 'after_date', value: '2025-12-29' })).toBe(false);
    expect(match({ field: 'seen_at', op: 'before_date', value: '2025-12-30' })).toBe(true);
    expect(match({ field: 'seen_at', op: 'eq', value: '2025-12-29T13:00:00.000+01:00' })).toBe(
      true,
    );
    expect(match({ field: 'seen_at', op: 'within_last', value: { amount: 1, unit: 'days' } })).toBe(
      true,
    );
    expect(
      match({ field: 'seen_at', op: 'within_last', value: { amount: 23, unit: 'hours' } }),
    ).toBe(false);
    // The year wraps: January 2 is three days after December 30.
    expect(match({ field: 'birthday', op: 'anniversary_in', value: { days: 2 } })).toBe(false);
    expect(match({ field: 'birthday', op: 'anniversary_in', value: { days: 3 } })).toBe(true);
  });

  it('asks lists for elements', () => {
    expect(match({ field: 'tags', op: 'contains', value: 'gold' })).toBe(true);
    expect(match({ field: 'tags', op: 'not_contains', value: 'gold' })).toBe(false);
    expect(match({ field: 'tags', op: 'in', value: ['x', 'SPRING'] })).toBe(true);
    expect(match({ field: 'tags', op: 'not_in', value: ['x'] })).toBe(true);
    expect(match({ field: 'tags', op: 'is_set' }, blank)).toBe(false);
  });

  it('groups nest', () => {
    const gold = { field: 'tags', op: 'contains', value: 'gold' } as const;
    const low = { field: 'score', op: 'lt', value: 2 } as const;
    expect(match({ and: [gold, low] })).toBe(false);
    expect(match({ or: [gold, low] })).toBe(true);
    expect(match({ not: { and: [gold, { not: low }] } })).toBe(false);
  });

  it('counts related facts in a window against a threshold', () => {
    const facts = {
      bookings: [
        { service: 'Cut', at: '2025-12-01T10:00:00.000Z' },
        { service: 'cut', at: '2025-10-15T10:00:00.000Z' },
        { service: 'Colour', at: '2025-12-20T10:00:00.000Z' },
        { service: 'Cut', at: '2025-01-01T10:00:00.000Z' },
      ],
    };
    const twice: FilterNode = {
      fact: 'bookings',
      where: { field: 'service', op: 'eq', value: 'Cut' },
      within_last: { amount: 90, unit: 'days' },
      count: { op: 'gte', value: 2 },
    };
    expect(match(twice, ann, { facts })).toBe(true);
    expect(match({ ...twice, within_last: { amount: 30, unit: 'days' } }, ann, { facts })).toBe(
      false,
    );
    expect(match({ fact: 'bookings' }, ann, { facts: { bookings: [] } })).toBe(false);
    expect(match({ fact: 'bookings', count: { op: 'eq', value: 0 } }, ann, {})).toBe(true);
  });

  it('answers changed_from and changed_to against the previous record', () => {
    const previous = { ...ann, name: 'Bob', tags: ['Gold'] };
    expect(match({ field: 'name', op: 'changed_to', value: 'ann-marie' }, ann, { previous })).toBe(
      true,
    );
    expect(match({ field: 'name', op: 'changed_from', value: 'bob' }, ann, { previous })).toBe(
      true,
    );
    expect(
      match({ field: 'name', op: 'changed_from', value: 'ann-marie' }, ann, { previous }),
    ).toBe(false);
    expect(match({ field: 'tags', op: 'changed_to', value: 'spring' }, ann, { previous })).toBe(
      true,
    );
    expect(match({ field: 'score', op: 'changed_to', value: null }, blank, { previous: ann })).toBe(
      true,
    );
    expect(match({ field: 'name', op: 'changed_to', value: 'ann-marie' })).toBe(false);
  });
});

describe('time rules', () => {
  it('clamps month arithmetic to the end of a shorter month', () => {
    const end = new Date('2024-03-31T08:00:00.000Z');
    expect(windowStart(end, { amount: 1, unit: 'months' }).toISOString()).toBe(
      '2024-02-29T08:00:00.000Z',
    );
    expect(windowStart(end, { amount: 13, unit: 'months' }).toISOString()).toBe(
      '2023-02-28T08:00:00.000Z',
    );
    expect(windowStart(end, { amount: 2, unit: 'weeks' }).toISOString()).toBe(
      '2024-03-17T08:00:00.000Z',
    );
  });

  it('never reaches back before year 1', () => {
    expect(windowStart(now, { amount: 100_000, unit: 'years' }).toISOString()).toBe(
      '0001-01-01T00:00:00.000Z',
    );
    expect(
      match({ field: 'birthday', op: 'within_last', value: { amount: 99_999, unit: 'months' } }),
    ).toBe(true);
  });

  it('keeps February 29 on February 28 in years without one', () => {
    expect(anniversaryKeys(new Date('2023-02-28T23:00:00Z'), 0)).toEqual(['02-28', '02-29']);
    expect(anniversaryKeys(new Date('2024-02-28T23:00:00Z'), 0)).toEqual(['02-28']);
    expect(anniversaryKeys(new Date('2024-02-28T23:00:00Z'), 1)).toEqual(['02-28', '02-29']);
    expect(anniversaryKeys(new Date('2025-12-31T00:00:00Z'), 1)).toEqual(['01-01', '12-31']);
    expect(anniversaryKeys(new Date('2025-06-01T00:00:00Z'), 365)).toHaveLength(366);
  });
});

describe('parseFilter and validateFilter', () => {
  const issues = (input: unknown) => {
    const parsed = parseFilter(input);
    return parsed.ok ? validateFilter(parsed.filter, catalog) : parsed.issues;
  };

  it('names the path and the reason of each bad node', () => {
    expect(issues({ and: [{ field: 'nope', op: 'eq', value: 1 }] })).toEqual([
      expect.objectContaining({ path: ['and', 0, 'field'], code: 'unknown_field' }),
    ]);
    expect(issues({ or: [{ field: 'vip', op: 'contains', value: 'x' }] })).toEqual([
      expect.objectContaining({ path: ['or', 0, 'op'], code: 'op_not_allowed' }),
    ]);
    expect(issues({ field: 'score', op: 'in', value: [1, 'two'] })).toEqual([
      expect.objectContaining({ path: ['value', 1], code: 'invalid_value' }),
    ]);
    expect(issues({ field: 'birthday', op: 'gt', value: '2025-02-30' })).toEqual([
      expect.objectContaining({ path: ['value'], code: 'invalid_value' }),
    ]);
    expect(issues({ field: 'score', op: 'between', value: [3, 1] })).toEqual([
      expect.objectContaining({ path: ['value'], code: 'invalid_value' }),
    ]);
    expect(issues({ field: 'name', op: 'is_set', value: 1 })).toEqual([
      expect.objectContaining({ path: ['value'], code: 'unrecognized_key' }),
    ]);
    expect(issues({ field: 'name', op: 'like', value: 'a' })).toEqual([
      expect.objectContaining({ path: ['op'], code: 'unknown_op' }),
    ]);
    expect(issues({ and: [{ or: [] }] })).toEqual([
      expect.objectContaining({ path: ['and', 0, 'or'], code: 'invalid_group' }),
    ]);
    expect(issues({ and: [], or: [] })).toEqual([
      expect.objectContaining({ path: [], code: 'invalid_group' }),
    ]);
    expect(issues({ fact: 'visits' })).toEqual([
      expect.objectContaining({ path: ['fact'], code: 'unknown_fact' }),
    ]);
    expect(
      issues({ fact: 'bookings', where: { fact: 'bookings' } }).map((i) => [i.path, i.code]),
    ).toEqual([[['where', 'fact'], 'unsupported']]);
    expect(issues({ fact: 'bookings', where: { field: 'name', op: 'is_set' } })).toEqual([
      expect.objectContaining({ path: ['where', 'field'], code: 'unknown_field' }),
    ]);
  });

  it('refuses values PostgreSQL cannot read, so they never fail in SQL', () => {
    for (const leaf of [
      { field: 'birthday', op: 'eq', value: '0000-06-01' },
      { field: 'birthday', op: 'after_date', value: '9999-12-31' },
      { field: 'seen_at', op: 'before_date', value: '0000-01-01' },
      { field: 'seen_at', op: 'gt', value: '9999-12-31T23:00:00-05:00' },
    ]) {
      expect(issues(leaf), JSON.stringify(leaf)).toEqual([
        expect.objectContaining({ path: ['value'], code: 'invalid_value' }),
      ]);
    }
    expect(issues({ field: 'name', op: 'eq', value: 'a\u0000b' })).toEqual([
      expect.objectContaining({ path: ['value'] }),
    ]);
    expect(issues({ field: 'seen_at', op: 'lt', value: '9999-12-31T23:00:00Z' })).toEqual([]);
  });

  it('refuses behavioural and change leaves where the catalog cannot answer them', () => {
    const plain: FilterCatalog = { fields: catalog.fields };
    expect(validateFilter({ not: { fact: 'bookings' } }, plain)).toEqual([
      expect.objectContaining({ path: ['not', 'fact'], code: 'unsupported' }),
    ]);
    expect(validateFilter({ field: 'name', op: 'changed_to', value: 'x' }, plain)).toEqual([
      expect.objectContaining({ path: ['op'], code: 'unsupported' }),
    ]);
  });

  it('limits depth and size before walking further', () => {
    let deep: unknown = { field: 'vip', op: 'is_set' };
    for (let i = 0; i < FILTER_LIMITS.maxDepth + 1; i += 1) deep = { not: deep };
    expect(issues(deep)).toEqual([expect.objectContaining({ code: 'too_deep' })]);
    let ok: unknown = { field: 'vip', op: 'is_set' };
    for (let i = 0; i < FILTER_LIMITS.maxDepth; i += 1) ok = { not: ok };
    expect(issues(ok)).toEqual([]);
    const wide = {
      or: Array.from({ length: FILTER_LIMITS.maxNodes }, () => ({ field: 'vip', op: 'is_set' })),
    };
    expect(issues(wide)).toEqual([expect.objectContaining({ code: 'too_many_nodes' })]);
  });

  it('the request schema reports the same paths', () => {
    const result = Filter.safeParse({ and: [{ field: 'vip', op: 'eq' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['and', 0, 'value']]);
    expect(Filter.safeParse({ and: [{ field: 'vip', op: 'eq', value: true }] }).success).toBe(true);
  });
});

import { AppError } from '@crm/service-kit';
import { describe, expect, it } from 'vitest';
import type { CustomFieldRow } from '../src/db/schema.js';
import { columnOf, planImport, readRow } from '../src/domain/imports/mapping.js';

function definition(overrides: Partial<CustomFieldRow>): CustomFieldRow {
  const now = new Date();
  return {
    tenantId: '00000000-0000-4000-8000-000000000000',
    id: '00000000-0000-4000-8000-000000000001',
    fieldName: 'field',
    fieldLabel: 'Field',
    fieldType: 'text',
    fieldOptions: [],
    isRequired: false,
    isSensitive: false,
    validation: {},
    displayOrder: 0,
    isActive: true,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

const DEFINITIONS = [
  definition({ fieldName: 'size', fieldType: 'number' }),
  definition({ fieldName: 'member', fieldType: 'boolean' }),
  definition({ fieldName: 'colours', fieldType: 'multiselect' }),
  definition({ fieldName: 'budget', fieldType: 'currency' }),
  definition({ fieldName: 'old', fieldType: 'text', isActive: false }),
];

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return (err.errors ?? []).map((e) => `${e.field}:${e.code}`);
    throw err;
  }
  return [];
}

describe('planImport', () => {
  it('names every problem of a mapping at once', () => {
    const header = ['Name', 'Mail', 'Mail2', 'Dup', 'Dup', 'Old'];
    expect(
      errorsOf(() =>
        planImport(
          header,
          {
            Mail: 'email',
            Mail2: 'email',
            Dup: 'last_name',
            Missing: 'city',
            Name: 'nickname',
            Old: 'custom.old',
          },
          [...DEFINITIONS, definition({ fieldName: 'no', isRequired: true })],
        ),
      ),
    ).toEqual([
      'mapping.Mail2:duplicate_target',
      'mapping.Dup:ambiguous_column',
      'mapping.Missing:unknown_column',
      'mapping.Name:unknown_field',
      'mapping.Old:unknown_field',
      'mapping:required',
      'mapping:required',
    ]);
  });

  it('accepts core fields, tags, external_ref and active custom fields', () => {
    const plan = planImport(
      ['First', 'Tags', 'Ref', 'Size', 'Ignored'],
      { First: 'first_name', Tags: 'tags', Ref: 'external_ref', Size: 'custom.size' },
      DEFINITIONS,
    );
    expect(plan.columns.map((c) => [c.header, c.index, c.target])).toEqual([
      ['First', 0, 'first_name'],
      ['Tags', 1, 'tags'],
      ['Ref', 2, 'external_ref'],
      ['Size', 3, 'custom.size'],
    ]);
    expect(plan.headerOf('custom.size')).toBe('Size');
    expect(plan.headerOf('email')).toBeNull();
  });
});

describe('readRow', () => {
  const plan = planImport(
    ['First', 'VIP', 'City', 'Tags', 'Size', 'Member', 'Colours', 'Budget', 'Ref'],
    {
      First: 'first_name',
      VIP: 'vip_status',
      City: 'city',
      Tags: 'tags',
      Size: 'custom.size',
      Member: 'custom.member',
      Colours: 'custom.colours',
      Budget: 'custom.budget',
      Ref: 'external_ref',
    },
    DEFINITIONS,
  );

  it('reads cells by their target and leaves empty cells out', () => {
    const row = readRow(
      [
        ' Ada ',
        'Yes',
        'Berlin',
        'Gold| Silver |Gold',
        '42.5',
        'no',
        'red|blue',
        '{"amount_minor":1250,"currency":"EUR"}',
        'bx-1',
      ],
      plan,
    );
    expect(row).toEqual({
      body: {
        first_name: 'Ada',
        vip_status: true,
        address: { city: 'Berlin' },
        custom_fields: {
          size: 42.5,
          member: false,
          colours: ['red', 'blue'],
          budget: { amount_minor: 1250, currency: 'EUR' },
        },
      },
      tags: ['Gold', 'Silver'],
      externalRef: 'bx-1',
      errors: [],
    });
    expect(readRow(['Ada', '', '', '', '', '', '', '', ''], plan)).toEqual({
      body: { first_name: 'Ada' },
      tags: [],
      externalRef: undefined,
      errors: [],
    });
  });

  it('passes unreadable custom cells on for the field rules to refuse, and refuses a bad boolean', () => {
    const row = readRow(['Ada', 'maybe', '', '', 'forty', 'perhaps', '', 'lots', ''], plan);
    expect(row.body.custom_fields).toEqual({ size: 'forty', member: 'perhaps', budget: 'lots' });
    expect(row.errors).toEqual([
      expect.objectContaining({ column: 'VIP', code: 'invalid_boolean' }),
    ]);
  });

  it('points domain errors at their CSV column', () => {
    expect(columnOf('custom_fields.size', plan)).toBe('Size');
    expect(columnOf('address.city', plan)).toBe('City');
    expect(columnOf('add', plan)).toBe('Tags');
    expect(columnOf('first_name', plan)).toBe('First');
    expect(columnOf('email', plan)).toBeNull();
  });
});

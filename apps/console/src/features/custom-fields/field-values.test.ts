import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '../../api/types';
import { makeFormatters } from '../../ui/format';
import { changedValues, draftOf, showValue, valueOf } from './field-values';

function def(patch: Partial<CustomFieldDefinition>): CustomFieldDefinition {
  return {
    id: '0190f5a4-7b7e-7cc3-8c3a-000000000001',
    field_name: 'f',
    field_label: 'F',
    field_type: 'text',
    field_options: [],
    is_required: false,
    is_sensitive: false,
    validation: {},
    display_order: 0,
    is_active: true,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...patch,
  };
}

const ctx = { timeZone: 'Europe/Berlin', currency: 'EUR' };
const tier = def({
  field_name: 'tier',
  field_type: 'select',
  field_options: [
    { value: 'gold', label: 'Gold' },
    { value: 'silver', label: 'Silver' },
  ],
});
const budget = def({ field_name: 'budget', field_type: 'currency' });
const since = def({ field_name: 'since', field_type: 'datetime' });
const pets = def({
  field_name: 'pets',
  field_type: 'multiselect',
  field_options: [
    { value: 'cat', label: 'Cat' },
    { value: 'dog', label: 'Dog' },
  ],
});

describe('custom field values in the edit form', () => {
  it('shows stored values in their inputs and reads them back unchanged', () => {
    expect(draftOf(budget, { amount_minor: 123450, currency: 'EUR' }, ctx)).toBe('1234.50');
    expect(valueOf(budget, '1234.50', { amount_minor: 123450, currency: 'EUR' }, ctx)).toEqual({
      amount_minor: 123450,
      currency: 'EUR',
    });
    expect(draftOf(since, '2026-03-01T23:30:00.000Z', ctx)).toBe('2026-03-02T00:30');
    expect(valueOf(since, '2026-03-02T00:30', undefined, ctx)).toBe('2026-03-01T23:30:00.000Z');
    expect(draftOf(def({ field_type: 'boolean' }), false, ctx)).toBe('false');
    expect(valueOf(def({ field_type: 'boolean' }), 'false', undefined, ctx)).toBe(false);
    expect(valueOf(def({ field_type: 'decimal' }), '2.5', undefined, ctx)).toBe(2.5);
  });

  it('enters money without a currency of its own in the tenant’s', () => {
    expect(valueOf(budget, '12', undefined, { ...ctx, currency: 'JPY' })).toEqual({
      amount_minor: 12,
      currency: 'JPY',
    });
    const dollars = def({ field_type: 'currency', validation: { currency: 'USD' } });
    expect(valueOf(dollars, '3', undefined, ctx)).toEqual({ amount_minor: 300, currency: 'USD' });
  });

  it('clears an emptied input and passes what it cannot read to the API as typed', () => {
    expect(valueOf(tier, '', 'gold', ctx)).toBeNull();
    expect(valueOf(def({ field_type: 'number' }), 'lots', undefined, ctx)).toBe('lots');
  });

  it('sends only the fields whose input changed', () => {
    const stored = { tier: 'gold', budget: { amount_minor: 500, currency: 'EUR' }, pets: ['cat'] };
    expect(
      changedValues([tier, budget, pets], stored, { tier: 'gold', budget: '5.00' }, ctx),
    ).toEqual({});
    expect(
      changedValues(
        [tier, budget, pets],
        stored,
        { tier: 'silver', pets: ['dog', 'cat'], budget: '' },
        ctx,
      ),
    ).toEqual({ tier: 'silver', pets: ['dog', 'cat'], budget: null });
    expect(changedValues([pets], stored, { pets: ['cat'] }, ctx)).toEqual({});
  });

  it('shows a stored value in words, in the tenant’s conventions', () => {
    const de = makeFormatters({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(showValue(tier, 'silver', de)).toBe('Silver');
    expect(showValue(pets, ['dog', 'cat'], de)).toBe('Dog, Cat');
    expect(showValue(pets, [], de)).toBeNull();
    expect(showValue(budget, { amount_minor: 123456, currency: 'EUR' }, de)).toBe(
      '1.234,56\u00a0€',
    );
    expect(showValue(since, '2026-03-01T23:30:00Z', de)).toBe('02.03.2026, 00:30');
    expect(showValue(def({ field_type: 'boolean' }), false, de)).toBe('No');
    expect(showValue(tier, undefined, de)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { bodyOf, emptyDraft, withLabel, type FieldDraft } from './field-draft';
import { keyFrom, moved } from './field-types';

const draft = (patch: Partial<FieldDraft>): FieldDraft => ({
  ...withLabel(emptyDraft('EUR'), 'Loyalty tier'),
  ...patch,
});

describe('a new custom field', () => {
  it('takes its key from the label until the key is typed', () => {
    expect(keyFrom('Loyalty tier')).toBe('loyalty_tier');
    expect(keyFrom('Größe (cm)')).toBe('grosse_cm');
    expect(keyFrom('2nd phone')).toBe('f_2nd_phone');
    expect(keyFrom('★')).toBe('');
    const typed = {
      ...withLabel(emptyDraft('EUR'), 'Tier'),
      field_name: 'tier_x',
      nameTouched: true,
    };
    expect(withLabel(typed, 'Tier level').field_name).toBe('tier_x');
  });

  it('sends the choices of a select with keys made from their labels, leaving empty rows out', () => {
    const body = bodyOf(
      draft({ field_type: 'select', options: ['Gold', '', ' Silver plus ', '★'] }),
      'UTC',
    );
    expect(body.field_options).toEqual([
      { value: 'gold', label: 'Gold' },
      { value: 'silver_plus', label: 'Silver plus' },
      { value: 'option_3', label: '★' },
    ]);
    expect(bodyOf(draft({ field_type: 'text', options: ['Gold'] }), 'UTC').field_options).toEqual(
      [],
    );
  });

  it('sends money bounds in minor units of the field’s one currency', () => {
    const body = bodyOf(
      draft({ field_type: 'currency', min: '10.5', max: '2000', currency: 'EUR' }),
      'UTC',
    );
    expect(body.validation).toEqual({ min: 1050, max: 200000, currency: 'EUR' });
    const yen = bodyOf(draft({ field_type: 'currency', max: '1500', currency: 'JPY' }), 'UTC');
    expect(yen.validation).toEqual({ max: 1500, currency: 'JPY' });
  });

  it('reads time bounds on the tenant’s clock and sends a pattern only where it applies', () => {
    const body = bodyOf(
      draft({ field_type: 'datetime', min: '2026-03-02T00:30', pattern: 'x' }),
      'Europe/Berlin',
    );
    expect(body.validation).toEqual({ min: '2026-03-01T23:30:00.000Z' });
    expect(
      bodyOf(draft({ field_type: 'text', min: '2', max: '40', pattern: '^[A-Z]' }), 'UTC')
        .validation,
    ).toEqual({ min: 2, max: 40, pattern: '^[A-Z]' });
  });

  it('sends a bound it cannot read as typed, for the API to name', () => {
    expect(bodyOf(draft({ field_type: 'number', min: 'ten' }), 'UTC').validation).toEqual({
      min: 'ten',
    });
    expect(bodyOf(draft({ field_type: 'boolean', min: '1' }), 'UTC').validation).toEqual({});
  });
});

describe('moving an item of a list', () => {
  it('moves up, down and to either end, and leaves the list alone outside it', () => {
    expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 0, 3)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], -1, 0)).toEqual(['a', 'b', 'c']);
  });
});

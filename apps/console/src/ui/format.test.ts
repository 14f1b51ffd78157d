import { describe, expect, it } from 'vitest';
import { makeFormatters, minorUnitsOf, moneyInputValue } from './format';

describe('formatting for a tenant', () => {
  const de = makeFormatters({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
  const us = makeFormatters({ locale: 'en-US', timeZone: 'America/New_York' });

  it('shows an instant in the tenant’s time zone', () => {
    expect(de.dateTime('2026-03-01T23:30:00Z')).toBe('02.03.2026, 00:30');
    expect(us.dateTime('2026-03-01T23:30:00Z')).toBe('Mar 1, 2026, 6:30 PM');
  });

  it('keeps a calendar date on its day in any zone', () => {
    expect(us.date('2026-03-02')).toBe('Mar 2, 2026');
  });

  it('formats money from minor units with the currency’s own decimals', () => {
    expect(de.money({ amount_minor: 123456, currency: 'EUR' })).toBe('1.234,56\u00a0€');
    expect(us.money({ amount_minor: 1500, currency: 'JPY' })).toBe('¥1,500');
  });

  it('says how long ago in words', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    expect(us.relative('2026-03-09T12:00:00Z', now)).toBe('yesterday');
    expect(us.relative('2026-03-10T11:59:50Z', now)).toBe('this minute');
  });
});

describe('amounts typed in a form', () => {
  it('reads major units into minor units of the currency', () => {
    expect(minorUnitsOf('1250', 'EUR')).toBe(125000);
    expect(minorUnitsOf('1,250.50', 'EUR')).toBe(125050);
    expect(minorUnitsOf('1.250,5', 'EUR')).toBe(125050);
    expect(minorUnitsOf(' 12,5 ', 'EUR')).toBe(1250);
    expect(minorUnitsOf('1,500', 'JPY')).toBe(1500);
    expect(minorUnitsOf('-3.2', null)).toBe(-320);
  });

  it('refuses what is not an amount of the currency', () => {
    expect(minorUnitsOf('', 'EUR')).toBeNull();
    expect(minorUnitsOf('12.345', 'EUR')).toBe(1234500);
    expect(minorUnitsOf('12.3456', 'EUR')).toBeNull();
    expect(minorUnitsOf('1.5', 'JPY')).toBeNull();
    expect(minorUnitsOf('ten', 'EUR')).toBeNull();
    expect(minorUnitsOf('1,2,3', 'EUR')).toBeNull();
  });

  it('shows minor units back as an amount to edit', () => {
    expect(moneyInputValue({ amount_minor: 125005, currency: 'EUR' })).toBe('1250.05');
    expect(moneyInputValue({ amount_minor: 1500, currency: 'JPY' })).toBe('1500');
    expect(minorUnitsOf(moneyInputValue({ amount_minor: -99, currency: 'USD' }), 'USD')).toBe(-99);
  });
});

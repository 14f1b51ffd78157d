import { describe, expect, it } from 'vitest';
import { fromZonedInput, toZonedInput } from './zoned-time';

describe('times on the wall clock of a time zone', () => {
  it('reads a local time in the tenant’s zone, not the browser’s', () => {
    expect(fromZonedInput('2026-03-02T00:30', 'Europe/Berlin')).toBe('2026-03-01T23:30:00.000Z');
    expect(fromZonedInput('2026-07-01T09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(fromZonedInput('2026-07-01T09:00', 'UTC')).toBe('2026-07-01T09:00:00.000Z');
  });

  it('shows an instant as the zone’s wall clock, and back again', () => {
    expect(toZonedInput('2026-03-01T23:30:00Z', 'Europe/Berlin')).toBe('2026-03-02T00:30');
    expect(toZonedInput('2026-10-25T00:30:00Z', 'Europe/Berlin')).toBe('2026-10-25T02:30');
    for (const iso of ['2026-01-15T08:05:00.000Z', '2026-06-15T22:45:00.000Z']) {
      expect(fromZonedInput(toZonedInput(iso, 'Australia/Sydney'), 'Australia/Sydney')).toBe(iso);
    }
  });

  it('keeps a time that a summer-time change skips in the right hour', () => {
    // 02:30 does not exist in Berlin on 2026-03-29: the clock jumps from 02:00 to 03:00.
    expect(fromZonedInput('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(fromZonedInput('2026-03-29T03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('gives nothing for a value that is not a local time', () => {
    expect(fromZonedInput('', 'UTC')).toBeNull();
    expect(fromZonedInput('yesterday', 'UTC')).toBeNull();
    expect(toZonedInput('not a time', 'UTC')).toBe('');
  });
});

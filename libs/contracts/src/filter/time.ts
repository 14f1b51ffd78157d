import type { TimeWindow } from './ast.js';

/**
 * Time rules of the filter language, computed once here so the SQL compiler binds the
 * same instants and dates the evaluator compares against. Everything is UTC.
 */

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of an instant, in UTC. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/** `at` moved back by whole months, the day clamped to the end of a shorter month. */
function minusMonths(at: Date, months: number): Date {
  const total = at.getUTCFullYear() * 12 + at.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month0 = total - year * 12;
  const day = Math.min(at.getUTCDate(), daysInMonth(year, month0));
  const moved = new Date(at.getTime());
  moved.setUTCFullYear(year, month0, day);
  return moved;
}

/** The first instant both back-ends can read (PostgreSQL has no year 0). */
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');

/**
 * The first instant of `within_last`: now minus the window, calendar-aware for months and
 * years, never before year 1 (a longer window simply reaches back to the beginning).
 */
export function windowStart(now: Date, window: TimeWindow): Date {
  const start = rawWindowStart(now, window);
  return start.getTime() < FIRST_INSTANT ? new Date(FIRST_INSTANT) : start;
}

function rawWindowStart(now: Date, window: TimeWindow): Date {
  const t = now.getTime();
  switch (window.unit) {
    case 'minutes':
      return new Date(t - window.amount * 60_000);
    case 'hours':
      return new Date(t - window.amount * 3_600_000);
    case 'days':
      return new Date(t - window.amount * DAY_MS);
    case 'weeks':
      return new Date(t - window.amount * 7 * DAY_MS);
    case 'months':
      return minusMonths(now, window.amount);
    case 'years':
      return minusMonths(now, window.amount * 12);
  }
}

/** The instant a calendar date starts, UTC. */
export function dateStart(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** The calendar date after `date`. */
export function nextDate(date: string): string {
  return utcDate(new Date(dateStart(date).getTime() + DAY_MS));
}

/**
 * The month-days (`MM-DD`) of today and the next `days` days. A February 29 anniversary is
 * kept on February 28 in years without one, so it is never skipped.
 */
export function anniversaryKeys(now: Date, days: number): string[] {
  const keys = new Set<string>();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = 0; i <= days; i += 1) {
    const day = new Date(start + i * DAY_MS);
    const key = utcDate(day).slice(5);
    keys.add(key);
    if (key === '02-28' && !isLeap(day.getUTCFullYear())) keys.add('02-29');
  }
  return [...keys].sort();
}

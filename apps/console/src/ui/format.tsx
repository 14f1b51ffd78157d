import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Money } from '../api/types';

/** The tenant's conventions where known; each left undefined falls back to the browser's. */
export interface Conventions {
  locale?: string;
  timeZone?: string;
  currency?: string;
}

export interface Formatters {
  /** What the formatters were made for: the zone date-time inputs are read in, the currency. */
  conventions: Conventions;
  dateTime: (iso: string) => string;
  date: (iso: string) => string;
  relative: (iso: string, nowMs?: number) => string;
  money: (money: Money) => string;
  number: (value: number) => string;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function makeFormatters(conventions: Conventions = {}): Formatters {
  const { locale, timeZone } = conventions;
  const dateTime = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const number = new Intl.NumberFormat(locale);
  return {
    conventions,
    dateTime: (iso) => dateTime.format(new Date(iso)),
    // A calendar date (YYYY-MM-DD) is the same day everywhere: format it in UTC.
    date: (iso) =>
      /^\d{4}-\d{2}-\d{2}$/.test(iso)
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
            new Date(`${iso}T00:00:00Z`),
          )
        : date.format(new Date(iso)),
    relative: (iso, nowMs = Date.now()) => {
      const seconds = (new Date(iso).getTime() - nowMs) / 1000;
      for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
      }
      return relative.format(0, 'minute');
    },
    money: ({ amount_minor, currency }) => {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(amount_minor / 10 ** digits);
    },
    number: (value) => number.format(value),
  };
}

const FormatContext = createContext<Formatters>(makeFormatters());

export function FormatProvider({
  conventions,
  children,
}: {
  conventions: Conventions;
  children: ReactNode;
}) {
  const { locale, timeZone, currency } = conventions;
  const value = useMemo(
    () => makeFormatters({ locale, timeZone, currency }),
    [locale, timeZone, currency],
  );
  return <FormatContext.Provider value={value}>{children}</FormatContext.Provider>;
}

export function useFormat(): Formatters {
  return useContext(FormatContext);
}

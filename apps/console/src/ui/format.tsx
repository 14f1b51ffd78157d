import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Money } from '../api/types';

/** The tenant's conventions where known; each left undefined falls back to the browser's. */
export interface Conventions {
  locale?: string;
  timeZone?: string;
  currency?: string;
}

/** Digits after the decimal point of a currency's minor unit (2 for EUR, 0 for JPY). */
export function fractionDigitsOf(currency: string | null): number {
  if (currency === null) return 2;
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency });
    return format.resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount typed in major units ("1250", "1,250.50", "12,5") in minor units of the currency,
 * or null when it is not an amount or has more decimals than the currency has. The last `.`
 * or `,` is the decimal separator when as many digits as the currency's decimals or fewer
 * follow it; three digits after it (and before any other) group thousands.
 */
export function minorUnitsOf(text: string, currency: string | null): number | null {
  const match = /^(-?)(\d[\d.,]*)$/.exec(text.trim().replace(/[\s\u00a0']/g, ''));
  if (!match) return null;
  const [, sign, body = ''] = match;
  const digits = fractionDigitsOf(currency);
  const last = Math.max(body.lastIndexOf('.'), body.lastIndexOf(','));
  let integer = body;
  let fraction = '';
  if (last >= 0) {
    const tail = body.slice(last + 1);
    if (tail.length > 0 && tail.length <= digits) {
      integer = body.slice(0, last);
      fraction = tail;
    } else if (tail.length !== 3) {
      return null;
    }
  }
  if (/[.,]/.test(integer)) {
    if (!/^\d{1,3}([.,]\d{3})+$/.test(integer)) return null;
    integer = integer.replace(/[.,]/g, '');
  }
  const minor = Number(integer) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return sign === '-' ? -minor : minor;
}

/** The amount of money as a form input shows it for editing: major units, "." as separator. */
export function moneyInputValue(money: Money): string {
  const digits = fractionDigitsOf(money.currency);
  const negative = money.amount_minor < 0;
  const abs = Math.abs(money.amount_minor);
  const whole = Math.floor(abs / 10 ** digits);
  const fraction = digits > 0 ? `.${String(abs % 10 ** digits).padStart(digits, '0')}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export interface Formatters {
  /** What the formatters were made for: the zone date-time inputs are read in, the currency. */
  conventions: Conventions;
  dateTime: (iso: string) => string;
  date: (iso: string) => string;
  relative: (iso: string, nowMs?: number) => string;
  money: (money: Money) => string;
  number: (value: number) => string;
  /** The tenant's currency where known: a default for new amounts, never a conversion. */
  currency: string | undefined;
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
  const { locale, timeZone, currency } = conventions;
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
    currency,
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

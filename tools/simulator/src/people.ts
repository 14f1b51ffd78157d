import { EMAIL_DOMAINS, type Locale } from './catalogue.js';
import type { Rng } from './prng.js';

export interface Person {
  first_name: string;
  last_name: string;
  email?: string | undefined;
  phone?: string | undefined;
}

const TRANSLITERATION: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ı: 'i' };

/** A name as people type it into an email address: ascii, lower case, letters only. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüßı]/g, (c) => TRANSLITERATION[c] ?? c)
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Hands out contact details that are unique within one tenant, as BookingX requires of
 * its users, and remembers every address ever used so a changed one is never reissued.
 */
export class Directory {
  private readonly emails = new Set<string>();
  private readonly phones = new Set<string>();

  constructor(private readonly locale: Locale) {}

  name(rng: Rng): { first_name: string; last_name: string } {
    return {
      first_name: rng.pick(this.locale.firstNames),
      last_name: rng.pick(this.locale.lastNames),
    };
  }

  email(rng: Rng, first: string, last: string): string {
    const f = slug(first);
    const l = slug(last);
    const year = String(rng.int(60, 105) % 100).padStart(2, '0');
    const local = rng.weighted<string>([
      [`${f}.${l}`, 40],
      [`${f}${l}`, 15],
      [`${f.charAt(0)}.${l}`, 12],
      [`${f}_${l}`, 6],
      [`${l}.${f}`, 5],
      [`${f}.${l}${year}`, 12],
      [`${f}${String(rng.int(1, 999))}`, 10],
    ]);
    const domain = rng.pick(EMAIL_DOMAINS);
    let candidate = `${local}@${domain}`;
    for (let n = 2; this.emails.has(candidate); n++) {
      candidate = `${local}${String(n)}@${rng.pick(EMAIL_DOMAINS)}`;
    }
    this.emails.add(candidate);
    return candidate;
  }

  phone(rng: Rng): string {
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt < 20 ? this.locale.phone(rng) : this.locale.widePhone(rng);
      if (!this.phones.has(candidate)) {
        this.phones.add(candidate);
        return candidate;
      }
    }
  }
}

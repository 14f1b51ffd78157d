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
 * A set of strings that keeps only a 32-bit hash of each, in an open-addressing table:
 * about 8 bytes per entry instead of the string itself. A hash collision reads as "taken"
 * and makes the caller choose another address, which is harmless and still deterministic.
 */
export class HashedSet {
  private table = new Uint32Array(1024);
  private count = 0;

  private static hash(text: string): number {
    // FNV-1a, then a finaliser so similar strings spread over the table.
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0 || 1;
  }

  get size(): number {
    return this.count;
  }

  has(text: string): boolean {
    const h = HashedSet.hash(text);
    const mask = this.table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.table[i];
      if (v === h) return true;
      if (!v) return false;
    }
  }

  add(text: string): void {
    if (2 * (this.count + 1) > this.table.length) this.grow();
    if (this.insert(HashedSet.hash(text))) this.count += 1;
  }

  private insert(h: number): boolean {
    const mask = this.table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.table[i];
      if (v === h) return false;
      if (!v) {
        this.table[i] = h;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    for (const h of old) if (h) this.insert(h);
  }
}

/**
 * Hands out contact details that are unique within one tenant, as BookingX requires of
 * its users, and remembers every address ever used so a changed one is never reissued.
 */
export class Directory {
  private readonly emails = new HashedSet();
  private readonly phones = new HashedSet();
  /** Set once the locale's preferred ranges are used up, so later draws skip them. */
  private narrowPhonesFull = false;

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
    for (let attempt = this.narrowPhonesFull ? 20 : 0; ; attempt++) {
      const candidate = attempt < 20 ? this.locale.phone(rng) : this.locale.widePhone(rng);
      if (!this.phones.has(candidate)) {
        this.phones.add(candidate);
        return candidate;
      }
      if (attempt === 19) this.narrowPhonesFull = true;
    }
  }
}

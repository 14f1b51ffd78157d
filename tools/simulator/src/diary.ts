import { SLOT_MINUTES } from './calendar.js';

const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;
const WORDS = Math.ceil(SLOTS_PER_DAY / 32);

/**
 * Which staff member is busy when, so the simulated diary has no double bookings: one bit
 * per staff member and quarter hour of a local day. Days before the simulated clock are
 * dropped, since no booking is ever made in the past, which keeps memory flat over years.
 */
export class Diary {
  private readonly days = new Map<number, Uint32Array>();
  private forgottenBefore = -Infinity;

  constructor(private readonly staffCount: number) {}

  private words(day: number, create: boolean): Uint32Array | undefined {
    let words = this.days.get(day);
    if (!words && create) {
      words = new Uint32Array(this.staffCount * WORDS);
      this.days.set(day, words);
    }
    return words;
  }

  isFree(staff: number, day: number, minute: number, minutes: number): boolean {
    const words = this.words(day, false);
    if (!words) return true;
    const first = Math.floor(minute / SLOT_MINUTES);
    const end = Math.min(SLOTS_PER_DAY, first + Math.ceil(minutes / SLOT_MINUTES));
    for (let s = first; s < end; s++) {
      const w = words[staff * WORDS + (s >> 5)] ?? 0;
      if ((w >>> (s & 31)) & 1) return false;
    }
    return true;
  }

  take(staff: number, day: number, minute: number, minutes: number): void {
    const words = this.words(day, true);
    if (!words) return;
    const first = Math.floor(minute / SLOT_MINUTES);
    const end = Math.min(SLOTS_PER_DAY, first + Math.ceil(minutes / SLOT_MINUTES));
    for (let s = first; s < end; s++) {
      const i = staff * WORDS + (s >> 5);
      words[i] = (words[i] ?? 0) | (1 << (s & 31));
    }
  }

  /** Drops every day before this one. */
  forgetBefore(day: number): void {
    if (day <= this.forgottenBefore) return;
    this.forgottenBefore = day;
    for (const d of this.days.keys()) if (d < day) this.days.delete(d);
  }

  get daysHeld(): number {
    return this.days.size;
  }
}

import type { WeekHours } from './catalogue.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const SLOT_MINUTES = 15;

/**
 * A business's opening hours in its own time zone. Days are counted from 1970-01-01 in
 * local time, so "the same day" means the same date on the shop's wall calendar.
 */
export class Calendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(
    readonly timezone: string,
    private readonly hours: WeekHours,
  ) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** Minutes the zone is ahead of UTC at an instant; zones only change on the hour here. */
  offsetMinutes(utc: number): number {
    const key = Math.floor(utc / HOUR);
    const cached = this.offsets.get(key);
    if (cached !== undefined) return cached;
    const at = key * HOUR;
    const part: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(at))) {
      if (p.type !== 'literal') part[p.type] = Number(p.value);
    }
    const wall = Date.UTC(
      part.year ?? 1970,
      (part.month ?? 1) - 1,
      part.day ?? 1,
      part.hour ?? 0,
      part.minute ?? 0,
    );
    const offset = Math.round((wall - at) / MINUTE);
    this.offsets.set(key, offset);
    return offset;
  }

  /** Local day number and minute of that day. */
  local(utc: number): { day: number; minute: number } {
    const wall = utc + this.offsetMinutes(utc) * MINUTE;
    const day = Math.floor(wall / DAY);
    return { day, minute: Math.floor((wall - day * DAY) / MINUTE) };
  }

  /** The instant of a local wall-clock time; opening hours never fall in a DST gap. */
  toUtc(day: number, minute: number): number {
    const wall = day * DAY + minute * MINUTE;
    const first = wall - this.offsetMinutes(wall) * MINUTE;
    return wall - this.offsetMinutes(first) * MINUTE;
  }

  /** Day of the week of a local day number, Sunday 0; 1970-01-01 was a Thursday. */
  weekday(day: number): number {
    return (((day + 4) % 7) + 7) % 7;
  }

  /** Opening and closing minute of a local day, or undefined when closed. */
  hoursOn(day: number): readonly [number, number] | undefined {
    return this.hours[this.weekday(day)] ?? undefined;
  }

  /** Start minutes of every slot on a local day that fits an appointment of this length. */
  slotsOn(day: number, durationMinutes: number): number[] {
    const open = this.hours[this.weekday(day)];
    if (!open) return [];
    const slots: number[] = [];
    for (let m = open[0]; m + durationMinutes <= open[1]; m += SLOT_MINUTES) slots.push(m);
    return slots;
  }
}

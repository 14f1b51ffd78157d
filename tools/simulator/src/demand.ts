import { DAY } from './calendar.js';

/**
 * A business's seasonal demand as a clock: one "demand day" passes faster in a busy
 * month and slower in a quiet one. Gaps between visits and the arrival of new customers
 * are drawn in demand days and mapped back to real time, so their rate at any moment is
 * proportional to that month's factor (a time change of a Poisson process).
 */
export class DemandClock {
  /** cumulative[k]: demand days from `firstDay` to the start of day `firstDay + k`. */
  private readonly cumulative: Float64Array;
  private readonly firstDay: number;

  constructor(monthly: readonly number[], from: number, to: number) {
    if (monthly.length !== 12) throw new RangeError('monthly demand needs 12 factors');
    const mean = monthly.reduce((s, f) => s + f, 0) / 12;
    this.firstDay = Math.floor(from / DAY);
    const days = Math.ceil(to / DAY) - this.firstDay + 1;
    this.cumulative = new Float64Array(days + 1);
    for (let k = 0; k < days; k++) {
      const month = new Date((this.firstDay + k) * DAY).getUTCMonth();
      this.cumulative[k + 1] = (this.cumulative[k] ?? 0) + (monthly[month] ?? mean) / mean;
    }
  }

  private get lastIndex(): number {
    return this.cumulative.length - 1;
  }

  /** Demand days elapsed at time t (ms); outside the table demand is average. */
  at(t: number): number {
    const x = t / DAY - this.firstDay;
    if (x <= 0) return x;
    const last = this.lastIndex;
    const end = this.cumulative[last] ?? 0;
    if (x >= last) return end + (x - last);
    const k = Math.floor(x);
    const lo = this.cumulative[k] ?? 0;
    const hi = this.cumulative[k + 1] ?? lo;
    return lo + (hi - lo) * (x - k);
  }

  /** The time at which `demandDays` is reached. */
  timeOf(demandDays: number): number {
    if (demandDays <= 0) return (this.firstDay + demandDays) * DAY;
    const last = this.lastIndex;
    const end = this.cumulative[last] ?? 0;
    if (demandDays >= end) return (this.firstDay + last + (demandDays - end)) * DAY;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 0) <= demandDays) lo = mid;
      else hi = mid;
    }
    const a = this.cumulative[lo] ?? 0;
    const b = this.cumulative[lo + 1] ?? a;
    return (this.firstDay + lo + (b > a ? (demandDays - a) / (b - a) : 0)) * DAY;
  }

  /** The time `days` demand days after t. */
  after(t: number, days: number): number {
    return this.timeOf(this.at(t) + days);
  }
}

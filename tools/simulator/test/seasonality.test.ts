import { describe, expect, it } from 'vitest';
import { DemandClock } from '../src/demand.js';
import { deriveTenantIds, stream, type BusinessKind } from '../src/index.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const DAY = 86_400_000;

/** Completed appointments per month (YYYY-MM) and per weekday of a large sample. */
function visits(business: BusinessKind) {
  const byMonth = new Map<string, number>();
  const byWeekday = Array.from({ length: 7 }, () => 0);
  for (const e of stream({
    seed: 5,
    tenants: deriveTenantIds(5, 2).slice(1),
    customers: 2500,
    months: 24,
    now: NOW,
    business,
  })) {
    if (e.type !== 'bookingx.booking.completed.v1') continue;
    const start = e.data.booking.start_at;
    byMonth.set(start.slice(0, 7), (byMonth.get(start.slice(0, 7)) ?? 0) + 1);
    const weekday = new Date(start).getUTCDay();
    byWeekday[weekday] = (byWeekday[weekday] ?? 0) + 1;
  }
  return { month: (m: string) => byMonth.get(m) ?? 0, byWeekday };
}

describe('seasonality', () => {
  // Ratios well inside the curves' (damped) amplitude: visits ripple from month to month
  // because the first weeks' existing clientele come back in step.
  it('personal training peaks in January and is quiet in August and December', () => {
    const { month } = visits('personal training studio');
    expect(month('2026-01')).toBeGreaterThan(1.4 * month('2025-12'));
    expect(month('2026-01')).toBeGreaterThan(1.2 * month('2026-08'));
  });

  it('beauty peaks in December, dips in January and August, and is busiest on Saturdays', () => {
    const { month, byWeekday } = visits('beauty & spa');
    expect(month('2025-12')).toBeGreaterThan(1.3 * month('2026-01'));
    expect(month('2025-12')).toBeGreaterThan(1.2 * month('2025-08'));
    const [sun = 0, , tue = 0, , , , sat = 0] = byWeekday;
    expect(sun).toBe(0);
    expect(sat).toBeGreaterThan(1.4 * tue);
  });
});

describe('DemandClock', () => {
  const flat = new DemandClock(
    Array.from({ length: 12 }, () => 1),
    0,
    400 * DAY,
  );
  const peaky = new DemandClock([3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0, 400 * DAY);

  it('runs at real time when demand is flat', () => {
    expect(flat.after(10 * DAY, 30)).toBeCloseTo(40 * DAY, -3);
  });

  it('runs faster in a busy month and inverts its own mapping', () => {
    // January 1970 has three times the demand of the mean of (3 + 11) / 12.
    const janRate = 3 / (14 / 12);
    expect(peaky.after(0, 10)).toBeCloseTo((10 / janRate) * DAY, -3);
    for (const t of [0, 17.3 * DAY, 200 * DAY, 399 * DAY, 500 * DAY]) {
      expect(peaky.timeOf(peaky.at(t))).toBeCloseTo(t, -1);
    }
  });
});

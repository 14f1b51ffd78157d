const DAY = 86_400_000;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(at).toISOString()` for the times of the simulated world, which arrive in
 * runs on the same day: the date part is formatted once per day, the rest from tables.
 */
export function isoTime(at: number): string {
  const day = Math.floor(at / DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  let rest = at - day * DAY;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const s = rest % 60;
  rest = (rest - s) / 60;
  const m = rest % 60;
  const h = (rest - m) / 60;
  return `${cachedPrefix}${TWO[h] ?? ''}:${TWO[m] ?? ''}:${TWO[s] ?? ''}.${THREE[ms] ?? ''}Z`;
}

import { BOOKINGX_EVENTS } from '@crm/contracts';

/** Events per type (every BookingX type, zeros included), the total and the rate. */
export function formatSummary(
  counts: ReadonlyMap<string, number>,
  outcome: { what: string; elapsedMs: number; thisRun?: number },
): string {
  const types = [
    ...Object.keys(BOOKINGX_EVENTS),
    ...[...counts.keys()].filter((t) => !(t in BOOKINGX_EVENTS)),
  ];
  let total = 0;
  for (const n of counts.values()) total += n;
  const width = Math.max(...types.map((t) => t.length), 'total'.length);
  const digits = String(total).length;
  const lines = types.map(
    (t) => `  ${t.padEnd(width)}  ${String(counts.get(t) ?? 0).padStart(digits)}`,
  );
  lines.push(`  ${'total'.padEnd(width)}  ${String(total).padStart(digits)}`);
  const n = outcome.thisRun ?? total;
  const seconds = outcome.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(n / seconds) : n;
  lines.push(`${outcome.what}: ${n} events in ${seconds.toFixed(2)} s (${rate} events/s)`);
  return `${lines.join('\n')}\n`;
}

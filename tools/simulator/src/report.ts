import { BOOKINGX_EVENTS } from '@crm/contracts';
import { countByType } from './simulate.js';

/** Events per type (every BookingX type, zeros included), the total and the rate. */
export function formatSummary(
  events: readonly { type: string }[],
  outcome: { what: string; elapsedMs: number },
): string {
  const counts = countByType(events);
  const types = [
    ...Object.keys(BOOKINGX_EVENTS),
    ...[...counts.keys()].filter((t) => !(t in BOOKINGX_EVENTS)),
  ];
  const width = Math.max(...types.map((t) => t.length), 'total'.length);
  const digits = String(events.length).length;
  const lines = types.map(
    (t) => `  ${t.padEnd(width)}  ${String(counts.get(t) ?? 0).padStart(digits)}`,
  );
  lines.push(`  ${'total'.padEnd(width)}  ${String(events.length).padStart(digits)}`);
  const seconds = outcome.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(events.length / seconds) : events.length;
  lines.push(
    `${outcome.what}: ${events.length} events in ${seconds.toFixed(2)} s (${rate} events/s)`,
  );
  return `${lines.join('\n')}\n`;
}

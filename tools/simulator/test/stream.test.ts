import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../src/iso.js';
import {
  SIMULATOR_NAMESPACE,
  deriveTenantIds,
  generate,
  openWorld,
  stream,
  type SimulatedEvent,
} from '../src/index.js';
import { UuidV5 } from '../src/uuid.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const TENANTS = deriveTenantIds(3, 3);
const OPTIONS = { seed: 3, tenants: TENANTS, customers: [120, 40, 15], months: 8, now: NOW };

describe('streaming', () => {
  const batch = generate(OPTIONS);

  it('yields exactly the batch output, however slowly it is consumed', async () => {
    const streamed: SimulatedEvent[] = [];
    for (const e of stream(OPTIONS)) {
      streamed.push(e);
      // A consumer that waits now and then (as a publisher does) sees the same events.
      if (streamed.length % 97 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(streamed.length).toBeGreaterThan(1500);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(batch));
  });

  it('merges tenants by time: the same as each tenant alone, merged', () => {
    const alone = TENANTS.map((tenant, i) =>
      generate({ ...OPTIONS, tenants: [tenant], customers: [OPTIONS.customers[i] ?? 0] }),
    );
    const merged = alone
      .flatMap((events, tenant) => events.map((e, i) => ({ e, tenant, i })))
      .sort(
        (a, b) => Date.parse(a.e.time) - Date.parse(b.e.time) || a.tenant - b.tenant || a.i - b.i,
      )
      .map((x) => x.e);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(batch));
  });

  it('skips a given number of each tenant’s first events, and only those', () => {
    const skip = { [TENANTS[0] ?? '']: 500, [TENANTS[2] ?? '']: 30 };
    const seen = new Map<string, number>();
    const expected = batch.filter((e) => {
      const n = (seen.get(e.tenantid) ?? 0) + 1;
      seen.set(e.tenantid, n);
      return n > (skip[e.tenantid] ?? 0);
    });
    expect(JSON.stringify([...stream({ ...OPTIONS, skip })])).toBe(JSON.stringify(expected));
  });

  it('streams a world once, and knows its tenants before the first event', () => {
    const world = openWorld(OPTIONS);
    expect(world.tenants.map((t) => t.id)).toEqual(TENANTS);
    expect(world.tenants.map((t) => t.customerCount)).toEqual([120, 40, 15]);
    const events = world.events();
    expect(events.next().done).toBe(false);
    expect(() => world.events().next()).toThrow(/once/);
  });

  it('derives ids exactly as the uuid library does', () => {
    const fast = new UuidV5(SIMULATOR_NAMESPACE);
    for (const name of ['', 'a', '42/tenant/booking/123/0', 'ü'.repeat(300), 'x'.repeat(600)]) {
      expect(fast.id(name)).toBe(uuidv5(name, SIMULATOR_NAMESPACE));
    }
  });

  it('formats times exactly as toISOString does', () => {
    for (const t of [0, 1_764_000_000_000, 1_764_000_000_001, 1_735_689_599_999, 951_782_400_000]) {
      expect(isoTime(t)).toBe(new Date(t).toISOString());
    }
  });
});

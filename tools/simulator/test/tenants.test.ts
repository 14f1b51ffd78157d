import { describe, expect, it } from 'vitest';
import { deriveTenantIds, openWorld, splitCustomers } from '../src/index.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');

describe('tenant sizes', () => {
  it('splits the total over the tenants, every one of them served', () => {
    for (const [total, tenants] of [
      [1_000_000, 20],
      [1000, 20],
      [20, 20],
      [7, 3],
      [12_345, 1],
    ] as const) {
      const sizes = splitCustomers(42, total, tenants);
      expect(sizes).toHaveLength(tenants);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    }
  });

  it('has a long tail: a few large businesses, many small ones', () => {
    const sizes = splitCustomers(42, 1_000_000, 20).sort((a, b) => b - a);
    const mean = 1_000_000 / 20;
    const median = ((sizes[9] ?? 0) + (sizes[10] ?? 0)) / 2;
    const top4 = sizes.slice(0, 4).reduce((a, b) => a + b, 0);
    // Rank-size: the top fifth holds most customers, the median business is below average.
    expect(top4 / 1_000_000).toBeGreaterThan(0.45);
    expect(median).toBeLessThan(mean * 0.7);
    expect((sizes[0] ?? 0) / (sizes[19] ?? 1)).toBeGreaterThan(8);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(splitCustomers(42, 5000, 10)).toEqual(splitCustomers(42, 5000, 10));
    expect(splitCustomers(42, 5000, 10)).not.toEqual(splitCustomers(43, 5000, 10));
  });

  it('staffs a business by its size, with branches once it is a chain', () => {
    const ids = deriveTenantIds(42, 2);
    const world = openWorld({ seed: 42, tenants: ids, customers: [20_000, 80], now: NOW });
    const [large, small] = world.tenants;
    expect(large?.staff.length).toBeGreaterThanOrEqual(400);
    expect(large?.locations.length).toBeGreaterThan(20);
    expect(new Set(large?.staff.map((s) => s.name)).size).toBe(large?.staff.length);
    expect(small?.staff.length).toBeLessThanOrEqual(4);
    expect(small?.locations.length).toBeLessThanOrEqual(2);
    for (const t of world.tenants) {
      const locations = new Set(t.locations);
      for (const s of t.staff) expect(locations.has(s.location)).toBe(true);
    }
  });
});

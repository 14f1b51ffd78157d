import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/files.js';
import { countByType, deriveTenantIds, generate } from '../src/index.js';
import { run } from '../src/run.js';
import { readState } from '../src/state.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const TENANTS = deriveTenantIds(17, 3);
const OPTIONS = { seed: 17, tenants: TENANTS, customers: [200, 70, 25], months: 6, now: NOW };
const expected = generate(OPTIONS);
const work = mkdtempSync(path.join(tmpdir(), 'simulator-files-'));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function lines(file: string, gzip: boolean): string[] {
  const raw = readFileSync(file);
  return (gzip ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter(Boolean);
}

function expectFilesToHoldTheStream(dir: string, gzip: boolean): Manifest {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  expect(manifest.total).toBe(expected.length);
  expect(manifest.types).toEqual(Object.fromEntries(countByType(expected)));
  expect(manifest.tenants.map((t) => t.tenant_id)).toEqual(TENANTS);
  for (const t of manifest.tenants) {
    const own = expected.filter((e) => e.tenantid === t.tenant_id);
    const file = path.join(dir, t.file);
    expect(t.events).toBe(own.length);
    expect(t.types).toEqual(Object.fromEntries(countByType(own)));
    expect(t.bytes).toBe(statSync(file).size);
    expect(lines(file, gzip)).toEqual(own.map((e) => JSON.stringify(e)));
  }
  return manifest;
}

describe('delivery to NDJSON files', () => {
  it('writes one file per tenant in stream order, with a manifest that counts them', async () => {
    const dir = path.join(work, 'plain');
    const result = await run({ ...OPTIONS, destination: { via: 'files', dir, gzip: false } });
    expect(result.status).toBe('done');
    expect(result.manifest).toBe(path.join(dir, 'manifest.json'));
    const manifest = expectFilesToHoldTheStream(dir, false);
    expect(manifest).toMatchObject({ format: 'cloudevents+ndjson', gzip: false, seed: 17 });
    expect(manifest.tenants.map((t) => t.customers)).toEqual([200, 70, 25]);
  });

  it('gzips each tenant file, readable by any gunzip', async () => {
    const dir = path.join(work, 'gzip');
    await run({ ...OPTIONS, destination: { via: 'files', dir, gzip: true } });
    const manifest = expectFilesToHoldTheStream(dir, true);
    expect(manifest.tenants[0]?.file).toMatch(/\.ndjson\.gz$/);
  });

  it('resumes after a stop: cuts what was written past the last checkpoint, repeats nothing (a gzip member per run)', async () => {
    const dir = path.join(work, 'resumed');
    const stateFile = path.join(work, 'resumed.state.json');
    const options = {
      ...OPTIONS,
      destination: { via: 'files', dir, gzip: true } as const,
      stateFile,
    };

    const first = await run({ ...options, stopAfter: 1234 });

    expect(first.status).toBe('stopped');
    expect(first.delivered).toBe(1234);
    expect(existsSync(path.join(dir, 'manifest.json'))).toBe(false);
    const state = readState(stateFile);
    expect(state?.confirmed).toBe(1234);
    expect(state?.done).toBe(false);
    // Bytes written after the last recorded checkpoint (a crash mid-chunk) are cut on resume.
    appendFileSync(path.join(dir, `${TENANTS[0] ?? ''}.ndjson.gz`), 'torn write');

    const second = await run(options);

    expect(second.status).toBe('done');
    expect(second.skipped).toBe(1234);
    expect(second.delivered).toBe(expected.length - 1234);
    expectFilesToHoldTheStream(dir, true);
    expect(readState(stateFile)?.done).toBe(true);
    const third = await run(options);
    expect(third.status).toBe('already-done');
  });
});

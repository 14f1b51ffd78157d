import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Per tenant, what the destination has confirmed: a prefix of that tenant's stream. */
export interface TenantProgress {
  confirmed: number;
  last_event_id: string | null;
  /** Files mode: the byte size of the tenant's file at `confirmed` events. */
  bytes?: number | undefined;
  types: Record<string, number>;
}

/**
 * The state file: which run this is (a fingerprint of everything that shapes the
 * stream and where it goes) and how far each tenant got. Written atomically after every
 * confirmation, so a crash leaves the last confirmed position.
 */
export interface RunState {
  version: 1;
  fingerprint: string;
  run: {
    seed: number;
    now: string;
    start: string;
    tenants: number;
    customers: number;
    via: string;
    destination: string;
  };
  tenants: Record<string, TenantProgress>;
  confirmed: number;
  done: boolean;
  updated_at: string;
}

export class StateError extends Error {
  override readonly name = 'StateError';
}

export function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseTenant(value: unknown): TenantProgress | undefined {
  if (!isRecord(value) || !isCount(value.confirmed) || !isRecord(value.types)) return undefined;
  const types: Record<string, number> = {};
  for (const [type, n] of Object.entries(value.types)) {
    if (!isCount(n)) return undefined;
    types[type] = n;
  }
  const last = value.last_event_id;
  if (last !== null && typeof last !== 'string') return undefined;
  if (value.bytes !== undefined && !isCount(value.bytes)) return undefined;
  return { confirmed: value.confirmed, last_event_id: last, bytes: value.bytes, types };
}

/** The state at `file`, undefined if there is none; a damaged file is an error, not a restart. */
export function readState(file: string): RunState | undefined {
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StateError(`state file ${file} is not JSON: ${String(err)}`);
  }
  const bad = () => new StateError(`state file ${file} is not a simulator state file`);
  if (!isRecord(json) || json.version !== 1 || typeof json.fingerprint !== 'string') throw bad();
  const run = json.run;
  if (
    !isRecord(run) ||
    typeof run.seed !== 'number' ||
    typeof run.now !== 'string' ||
    typeof run.start !== 'string' ||
    !isCount(run.tenants) ||
    !isCount(run.customers) ||
    typeof run.via !== 'string' ||
    typeof run.destination !== 'string'
  ) {
    throw bad();
  }
  if (!isRecord(json.tenants) || !isCount(json.confirmed) || typeof json.done !== 'boolean') {
    throw bad();
  }
  const tenants: Record<string, TenantProgress> = {};
  for (const [tenant, value] of Object.entries(json.tenants)) {
    const parsed = parseTenant(value);
    if (!parsed) throw bad();
    tenants[tenant] = parsed;
  }
  return {
    version: 1,
    fingerprint: json.fingerprint,
    run: {
      seed: run.seed,
      now: run.now,
      start: run.start,
      tenants: run.tenants,
      customers: run.customers,
      via: run.via,
      destination: run.destination,
    },
    tenants,
    confirmed: json.confirmed,
    done: json.done,
    updated_at: typeof json.updated_at === 'string' ? json.updated_at : '',
  };
}

/** Write-then-rename: a reader (or a crash) sees the old state or the new, never half. */
export function writeState(file: string, state: RunState): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

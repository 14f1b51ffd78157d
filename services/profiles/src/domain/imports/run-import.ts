import { CreateCustomerBody, UpdateCustomerBody, type OnDuplicate } from '@crm/contracts';
import {
  AppError,
  type Logger,
  type Principal,
  type Tx,
  transaction,
  TxContext,
} from '@crm/service-kit';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { z } from 'zod';
import type {
  BatchCounts,
  ImportErrorRow,
  ImportKeyRow,
  ImportRow,
  Matches,
} from '../../db/imports.repository.js';
import type { ChangeContext } from '../audit/audit-trail.js';
import { actorOf, viaRoute } from '../customers/customer-events.js';
import type { Within } from '../customers/customer-changes.js';
import { createCustomer } from '../customers/create-customer.js';
import { changeCustomerTags } from '../customers/change-customer-tags.js';
import { updateCustomer } from '../customers/update-customer.js';
import { failImport } from './fail-import.js';
import type { ImportsDeps } from './imports-deps.js';
import { records } from './csv.js';
import { columnOf, planImport, readRow, type ImportPlan, type RowError } from './mapping.js';

/** A dry run writes everything a real one would inside a savepoint, then undoes it. */
class DryRunRollback extends Error {}

interface Pending {
  /** 1 for the first data row. */
  index: number;
  record: string[];
}

interface Prepared {
  row: number;
  body: Record<string, unknown>;
  tags: string[];
  externalRef: string | undefined;
  keys: string[];
  errors: RowError[];
}

interface Match {
  customerId: string | null;
  via: 'ref' | 'email' | 'phone';
}

/** What every row of a batch is imported with: its transaction, import, importer and plan. */
interface BatchScope {
  tx: Tx;
  imp: ImportRow;
  principal: Principal;
  ctx: ChangeContext;
  plan: ImportPlan;
}

type Outcome = { kind: 'created' | 'updated'; customerId: string | null } | { kind: 'skipped' };

function principalOf(imp: ImportRow): Principal {
  const r = imp.requestedBy;
  return {
    sub: r.sub,
    tenant: imp.tenantId,
    role: r.role,
    teams: r.teams,
    ...(r.name === null ? {} : { name: r.name }),
    token: '',
  };
}

/** The SQLSTATE of a database error, however the driver wrapped it. */
function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function zodErrors(error: z.ZodError, plan: ImportPlan): RowError[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return { column: columnOf(field, plan), code: issue.code, message: issue.message };
  });
}

/** Errors of one row, or null for a failure that is not the row's fault (it stops the batch). */
function rowErrorsOf(err: unknown, plan: ImportPlan): RowError[] | null {
  if (err instanceof AppError) {
    if (err.errors && err.errors.length > 0) {
      return err.errors.map((e) => ({
        column: columnOf(e.field, plan),
        code: e.code,
        message: e.message,
      }));
    }
    return [{ column: null, code: err.code, message: err.message }];
  }
  const state = sqlState(err);
  // Integrity (23) and data (22) errors belong to the row; anything else is the database's.
  if (state?.startsWith('23')) {
    return [{ column: null, code: 'conflict', message: 'The row conflicts with stored data' }];
  }
  if (state?.startsWith('22')) {
    return [{ column: null, code: 'invalid_value', message: 'A value does not fit its column' }];
  }
  return null;
}

/**
 * Runs one import, batch by batch; resolves when it is finished, throws when it should be
 * retried. Each batch commits its customers, error rows, identity keys and progress together,
 * under a lock on the import, so a crash loses at most the batch in flight and a second worker
 * on the same import simply takes turns.
 */
export async function runImport(
  deps: ImportsDeps,
  tenantId: string,
  id: string,
  batchSize: number,
  signal?: AbortSignal,
): Promise<void> {
  const imp = await deps.repo.find(deps.db, tenantId, id, undefined);
  if (!imp || imp.status === 'completed' || imp.status === 'failed') return;
  const upload = await deps.repo.upload(deps.db, tenantId, id);
  if (!upload) {
    await failImport(deps, imp, 'The uploaded file is no longer stored');
    return;
  }
  await deps.repo.markRunning(deps.db, tenantId, id, deps.clock());
  const definitions = await deps.fields.list(deps.db, tenantId);
  const log = deps.logger.child({ import_id: id, tenant_id: tenantId });
  log.info(
    { total: imp.totalRows, resume_after: imp.processedRows, dry_run: imp.dryRun },
    'customer import running',
  );
  let plan: ImportPlan | undefined;
  let width = 0;
  let batch: Pending[] = [];
  let index = 0;
  for await (const raw of records(upload)) {
    const record = raw;
    if (plan === undefined) {
      try {
        plan = planImport(
          record.map((h) => h.trim()),
          imp.mapping,
          definitions,
        );
      } catch (err) {
        // The custom fields changed since the upload was checked.
        if (!(err instanceof AppError)) throw err;
        const why = (err.errors ?? []).map((e) => e.message).join('; ');
        await failImport(deps, imp, `The mapping no longer fits: ${why}`.slice(0, 500));
        return;
      }
      width = record.length;
      continue;
    }
    index += 1;
    if (index <= imp.processedRows) continue;
    batch.push({ index, record });
    if (batch.length >= batchSize) {
      if (!(await commitBatch(deps, imp, plan, width, batch, log))) return;
      batch = [];
      if (signal?.aborted) throw new Error('Import stopped; it resumes after the last batch');
    }
  }
  if (plan !== undefined && batch.length > 0) {
    if (!(await commitBatch(deps, imp, plan, width, batch, log))) return;
  }
  const done = await transaction(deps.db, async ({ db: tx }) => {
    const cur = await deps.repo.lock(tx, tenantId, id);
    if (!cur || cur.status !== 'running') return null;
    await deps.repo.finish(tx, tenantId, id, 'completed', null, deps.clock());
    await deps.repo.forgetKeys(tx, tenantId, id);
    return cur;
  });
  if (done) {
    log.info(
      {
        total: done.totalRows,
        created: done.createdCount,
        updated: done.updatedCount,
        skipped: done.skippedCount,
        failed: done.failedCount,
      },
      'customer import completed',
    );
  }
}

/** False when the import is no longer running (finished by another worker). */
async function commitBatch(
  deps: ImportsDeps,
  imp: ImportRow,
  plan: ImportPlan,
  width: number,
  rows: Pending[],
  log: Logger,
): Promise<boolean> {
  const { tenantId, id } = imp;
  const progress = await transaction(deps.db, async (batch) => {
    const tx = batch.db;
    const cur = await deps.repo.lock(tx, tenantId, id);
    if (!cur || cur.status !== 'running') return null;
    const todo = rows.filter((r) => r.index > cur.processedRows);
    if (todo.length === 0) return cur;
    const prepared = todo.map((r) => prepare(r, plan, width, imp.phoneRegion));
    const keys = [...new Set(prepared.flatMap((p) => p.keys))];
    const earlier = await deps.repo.keys(tx, tenantId, id, keys);
    const inFile = new Map<string, string | null>([...earlier].map(([k, v]) => [k, v.customerId]));
    const tenantMatches = await deps.repo.match(tx, tenantId, {
      refs: keysOf(keys, 'ref:'),
      emails: keysOf(keys, 'email:'),
      phones: keysOf(keys, 'phone:'),
    });
    const counts: BatchCounts = {
      processedRows: todo.length,
      created: 0,
      updated: 0,
      skipped: 0,
      failed: 0,
    };
    const errors: ImportErrorRow[] = [];
    const newKeys: ImportKeyRow[] = [];
    // The rows' audit entries join the tenant's chain, and their events the outbox, together
    // at the end: the chain is locked only for the batch's last statements, so API writes
    // of the tenant do not wait for the whole batch.
    deps.audit.defer(batch);
    deps.outbox.defer(batch);
    const principal = principalOf(imp);
    const scope: BatchScope = {
      tx,
      imp,
      principal,
      ctx: { actor: actorOf(principal), via: viaRoute('createCustomerImport') },
      plan,
    };
    for (const p of prepared) {
      let outcome: Outcome | RowError[];
      if (p.errors.length > 0) outcome = p.errors;
      else {
        outcome = await applyRow(deps, scope, p, inFile, tenantMatches);
      }
      if (Array.isArray(outcome)) {
        counts.failed += 1;
        outcome.forEach((e, seq) =>
          errors.push({
            tenantId,
            importId: id,
            rowNumber: p.row,
            seq,
            column: e.column?.slice(0, 200) ?? null,
            code: e.code.slice(0, 50),
            message: e.message.slice(0, 500),
          }),
        );
        continue;
      }
      if (outcome.kind === 'skipped') {
        counts.skipped += 1;
        continue;
      }
      counts[outcome.kind] += 1;
      for (const key of p.keys) {
        if (inFile.has(key)) continue;
        inFile.set(key, outcome.customerId);
        newKeys.push({
          tenantId,
          importId: id,
          key,
          rowNumber: p.row,
          customerId: outcome.customerId,
        });
      }
    }
    await deps.audit.flush(batch);
    await deps.outbox.flush(batch);
    await deps.repo.addErrors(tx, errors);
    await deps.repo.addKeys(tx, newKeys);
    await deps.repo.addBatch(tx, tenantId, id, counts, deps.clock());
    return {
      ...cur,
      processedRows: cur.processedRows + counts.processedRows,
      createdCount: cur.createdCount + counts.created,
      updatedCount: cur.updatedCount + counts.updated,
      skippedCount: cur.skippedCount + counts.skipped,
      failedCount: cur.failedCount + counts.failed,
    };
  });
  if (progress === null) return false;
  const elapsed = progress.startedAt ? deps.clock().getTime() - progress.startedAt.getTime() : 0;
  log.info(
    {
      processed: progress.processedRows,
      total: progress.totalRows,
      created: progress.createdCount,
      updated: progress.updatedCount,
      skipped: progress.skippedCount,
      failed: progress.failedCount,
      rows_per_second: elapsed > 0 ? Math.round((progress.processedRows / elapsed) * 1000) : null,
    },
    'customer import progress',
  );
  return true;
}

function prepare(p: Pending, plan: ImportPlan, width: number, region: string): Prepared {
  const row = p.index + 1;
  if (p.record.length !== width) {
    return {
      row,
      body: {},
      tags: [],
      externalRef: undefined,
      keys: [],
      errors: [
        {
          column: null,
          code: 'column_count',
          message: `The row has ${p.record.length} cells, the header ${width}`,
        },
      ],
    };
  }
  const input = readRow(p.record, plan);
  const keys: string[] = [];
  if (input.externalRef !== undefined) keys.push(`ref:${input.externalRef}`);
  if (typeof input.body.email === 'string') {
    keys.push(`email:${input.body.email.trim().toLowerCase()}`);
  }
  if (typeof input.body.phone === 'string') {
    // The import's region reads local numbers; the domain then sees E.164.
    const parsed = parsePhoneNumberFromString(input.body.phone, region as CountryCode);
    if (parsed?.isValid()) {
      input.body.phone = parsed.number;
      keys.push(`phone:${parsed.number}`);
    }
  }
  return { row, ...input, keys: keys.map((k) => k.slice(0, 300)) };
}

function findMatch(p: Prepared, inFile: Map<string, string | null>, tenant: Matches): Match | null {
  for (const key of p.keys) {
    if (inFile.has(key)) {
      return { customerId: inFile.get(key) ?? null, via: viaOf(key) };
    }
  }
  const ref = p.externalRef === undefined ? undefined : tenant.byRef.get(p.externalRef);
  if (ref) return { customerId: ref, via: 'ref' };
  for (const key of p.keys) {
    const value = key.slice(key.indexOf(':') + 1);
    const found = key.startsWith('email:')
      ? tenant.byEmail.get(value)
      : key.startsWith('phone:')
        ? tenant.byPhone.get(value)
        : undefined;
    if (found) return { customerId: found, via: viaOf(key) };
  }
  return null;
}

async function applyRow(
  deps: ImportsDeps,
  scope: BatchScope,
  p: Prepared,
  inFile: Map<string, string | null>,
  tenant: Matches,
): Promise<Outcome | RowError[]> {
  const { imp, principal, ctx, plan } = scope;
  const policy = imp.onDuplicate as OnDuplicate;
  const match = findMatch(p, inFile, tenant);
  if (match && policy === 'skip') return { kind: 'skipped' };
  if (match && policy === 'update') return updateRow(deps, scope, p, match);
  if (refTaken(p, inFile, tenant)) {
    return [
      {
        column: plan.headerOf('external_ref'),
        code: 'duplicate_external_ref',
        message: `External ref ${p.externalRef ?? ''} already belongs to a customer`,
      },
    ];
  }
  const body = CreateCustomerBody.safeParse(p.body);
  if (!body.success) return zodErrors(body.error, plan);
  return inSavepoint(deps, scope, async (sp) => {
    const within: Within = {
      tx: sp,
      ctx,
      ...(p.externalRef === undefined ? {} : { bookingxId: p.externalRef }),
    };
    const created = await createCustomer(deps.customers, principal, body.data, within);
    await addRowTags(deps, principal, created.id, p.tags, within);
    return { kind: 'created', customerId: imp.dryRun ? null : created.id };
  });
}

function refTaken(p: Prepared, inFile: Map<string, string | null>, tenant: Matches): boolean {
  if (p.externalRef === undefined) return false;
  return inFile.has(`ref:${p.externalRef}`) || tenant.byRef.has(p.externalRef);
}

async function updateRow(
  deps: ImportsDeps,
  scope: BatchScope,
  p: Prepared,
  match: Match,
): Promise<Outcome | RowError[]> {
  const { principal, ctx, plan } = scope;
  const hasFields = Object.keys(p.body).length > 0;
  const body = hasFields ? UpdateCustomerBody.safeParse(p.body) : null;
  if (body && !body.success) return zodErrors(body.error, plan);
  const customerId = match.customerId;
  // A dry run's earlier row made no customer to update: its checks are all there is.
  if (customerId === null) return { kind: 'updated', customerId: null };
  const outcome = await inSavepoint(deps, scope, async (sp) => {
    const within: Within = { tx: sp, ctx };
    if (body)
      await updateCustomer(deps.customers, principal, customerId, body.data, undefined, within);
    await addRowTags(deps, principal, customerId, p.tags, within);
    return { kind: 'updated' as const, customerId };
  });
  if (Array.isArray(outcome) && outcome.some((e) => e.code === 'not_found')) {
    return [
      {
        column: null,
        code: 'duplicate_not_visible',
        message: 'The row matches a customer you may not change',
      },
    ];
  }
  return outcome;
}

/** The row's tags join the customer's, in the row's savepoint. */
async function addRowTags(
  deps: ImportsDeps,
  principal: Principal,
  customerId: string,
  tags: string[],
  within: Within,
): Promise<void> {
  if (tags.length === 0) return;
  await changeCustomerTags(
    deps.customers,
    principal,
    customerId,
    { add: tags, remove: [] },
    undefined,
    within,
  );
}

/** One row in a savepoint: its failure undoes only its own writes. */
async function inSavepoint(
  deps: ImportsDeps,
  { tx, imp, plan }: BatchScope,
  work: (sp: Tx) => Promise<Outcome>,
): Promise<Outcome | RowError[]> {
  let outcome: Outcome | undefined;
  const batch = TxContext.of(tx);
  if (!batch) throw new Error('Rows are imported in a transaction begun with transaction()');
  let row: TxContext | undefined;
  try {
    await batch.savepoint(async (sp) => {
      row = sp;
      // Held back until the row is through: a row undone takes its events and audit
      // entries with it.
      deps.audit.defer(sp);
      deps.outbox.defer(sp);
      outcome = await work(sp.db);
      if (imp.dryRun) throw new DryRunRollback();
    });
    if (row !== undefined) {
      await deps.audit.handOver(row, batch);
      await deps.outbox.handOver(row, batch);
    }
  } catch (err) {
    if (!(err instanceof DryRunRollback)) {
      const errors = rowErrorsOf(err, plan);
      if (errors === null) throw err;
      return errors;
    }
  }
  if (outcome === undefined) throw new Error('The row produced no outcome');
  return outcome;
}

function keysOf(keys: string[], prefix: string): string[] {
  return keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
}

function viaOf(key: string): Match['via'] {
  return key.startsWith('ref:') ? 'ref' : key.startsWith('email:') ? 'email' : 'phone';
}

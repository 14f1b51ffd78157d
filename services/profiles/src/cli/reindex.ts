import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MeiliSearchIndex } from '../clients/meili-search.js';
import { CustomFieldsRepository } from '../db/custom-fields.repository.js';
import { CustomersRepository } from '../db/customers.repository.js';
import { SearchReindexRepository } from '../db/search-reindex.repository.js';
import { PostgresSearchIndex } from '../db/search.repository.js';
import { reindexSearch, type ReindexProgress } from '../domain/search/reindex-search.js';
import type { SearchDeps } from '../domain/search/search-deps.js';
import { runCommand, withDatabase } from './command.js';

const USAGE = `Usage: pnpm --filter @crm/profiles search:reindex [-- options]

Rebuilds the search documents from the customers table, into Meilisearch when MEILI_URL
is set, else into Postgres. Safe while the service runs.

  --tenant <uuid>       only this tenant (repeatable); all tenants when left out
  --batch-size <n>      customers per transaction (default 1000, at most 5000)
  --state-file <path>   record progress after every batch; the same command resumes from it
  --quiet               no progress lines on stderr
  --help                this text`;

const Uuid = z.uuid();
const State = z.object({
  tenants: z.array(z.string()).nullable(),
  position: z.object({ tenantId: z.string(), afterId: z.string().nullable() }),
  done: z.boolean(),
  documents: z.number(),
});
type State = z.infer<typeof State>;

class UsageError extends Error {}

function writeState(path: string, state: State): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state)}\n`);
  renameSync(`${path}.tmp`, path);
}

function readState(path: string, tenants: string[] | null): State | null {
  if (!existsSync(path)) return null;
  const parsed = State.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new UsageError(`${path} is not a reindex state file`);
  if (JSON.stringify(parsed.data.tenants) !== JSON.stringify(tenants)) {
    throw new UsageError(`${path} belongs to a reindex of other tenants`);
  }
  return parsed.data.done ? null : parsed.data;
}

function line(p: ReindexProgress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.done / p.elapsedMs) * 1000) : 0;
  const share = p.total > 0 ? ((100 * p.done) / p.total).toFixed(1) : '100.0';
  return `reindex: ${p.done}/${p.total} (${share} %), ${rate} documents/s, rewritten ${p.rewritten}, removed ${p.removed}, at tenant ${p.position.tenantId}`;
}

/**
 * `pnpm --filter @crm/profiles search:reindex [-- --tenant <uuid>] [--state-file f]`:
 * prints progress on stderr and a JSON summary on stdout; exit 2 on bad arguments.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      tenant: { type: 'string', multiple: true },
      'batch-size': { type: 'string', default: '1000' },
      'state-file': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5_000) {
    throw new UsageError('--batch-size must be a whole number from 1 to 5000');
  }
  const tenants = values.tenant ? [...new Set(values.tenant.map((t) => t.toLowerCase()))] : null;
  for (const t of tenants ?? []) {
    if (!Uuid.safeParse(t).success) throw new UsageError(`--tenant ${t} is not a UUID`);
  }
  tenants?.sort();
  const stateFile = values['state-file'];
  const resumed = stateFile ? readState(stateFile, tenants) : null;

  await withDatabase(async ({ config, db }) => {
    const index = config.MEILI_URL
      ? new MeiliSearchIndex({
          url: config.MEILI_URL,
          apiKey: config.MEILI_API_KEY,
          index: config.MEILI_INDEX,
          timeoutMs: 30_000,
        })
      : new PostgresSearchIndex(db);
    await index.start();
    const search: SearchDeps = {
      db,
      index,
      customers: new CustomersRepository(),
      fields: new CustomFieldsRepository(),
      repo: new SearchReindexRepository(),
      phoneRegion: config.DEFAULT_PHONE_REGION,
    };
    const before = resumed?.documents ?? 0;
    if (resumed && !values.quiet) {
      process.stderr.write(
        `reindex: resuming after ${before} documents, at tenant ${resumed.position.tenantId}\n`,
      );
    }
    /** Records in the state file, when there is one, where the run stands. */
    const save = (p: ReindexProgress, done: boolean): void => {
      if (stateFile) {
        writeState(stateFile, { tenants, position: p.position, done, documents: before + p.done });
      }
    };
    let lastLine = 0;
    const result = await reindexSearch(search, {
      tenants: tenants ?? undefined,
      batchSize,
      from: resumed?.position,
      onBatch: (p) => {
        save(p, false);
        if (!values.quiet && performance.now() - lastLine > 2_000) {
          lastLine = performance.now();
          process.stderr.write(`${line(p)}\n`);
        }
      },
    });
    save(result, true);
    if (!values.quiet) process.stderr.write(`${line(result)}\n`);
    process.stdout.write(
      `${JSON.stringify({
        engine: index.engine,
        documents: result.done,
        rewritten: result.rewritten,
        removed: result.removed,
        seconds: Math.round(result.elapsedMs) / 1000,
      })}\n`,
    );
  });
}

function isUsageError(err: unknown): boolean {
  return err instanceof UsageError || (err instanceof TypeError && 'code' in err);
}

runCommand('search reindex', main, {
  codeOf: (err) => (isUsageError(err) ? 2 : 1),
  more: (err) => (isUsageError(err) ? `\n${USAGE}\n` : ''),
});

import { INGEST_MAX_BATCH } from '@crm/contracts';
import { parseArgs } from 'node:util';
import { BUSINESS_KINDS, type BusinessKind } from './catalogue.js';
import { DEFAULT_CONFIRM_WINDOW } from './publish.js';
import {
  DEFAULT_CUSTOMERS,
  DEFAULT_MONTHS,
  DEFAULT_SEED,
  deriveTenantIds,
  splitCustomers,
} from './simulate.js';

export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
export const VIAS = ['bus', 'http', 'files'] as const;
export type Via = (typeof VIAS)[number];

export const USAGE = `Usage: pnpm simulate -- [options]

Plays BookingX businesses: customers, bookings, payments and purchases as CloudEvents,
onto the RabbitMQ exchange bookingx.events (or the signed HTTP ingest, or NDJSON
files). The same seed, options and --now give the same events, ids included.

World:
  --seed <n>              random seed (default ${DEFAULT_SEED})
  --customers <n>         customers: of the one tenant, or the TOTAL split over several
                          tenants, a few large and many small (default ${DEFAULT_CUSTOMERS})
  --months <n>            months of history before now (default ${DEFAULT_MONTHS})
  --tenants <n>           number of tenants: the demo tenant, then ones derived from the seed (default 1)
  --tenant <uuid>         a tenant to simulate; repeat for several (instead of --tenants)
  --business <kind>       every tenant runs this kind of business: ${BUSINESS_KINDS.map((k) => `"${k}"`).join(', ')}
  --now <time>            the simulated present, ISO 8601 (default: the current time,
                          or the state file's when resuming)

Output:
  --via <bus|http|files>  where events go (default bus)
  --amqp-url <url>        bus: broker (default $AMQP_URL or ${DEFAULT_AMQP_URL})
  --window <n>            bus: publishes awaiting confirms at most (default ${DEFAULT_CONFIRM_WINDOW})
  --ingest-url <url>      http: the ingest endpoint, e.g. http://127.0.0.1:8080/crm/ingest/bookingx
  --ingest-secret <s>     http: the tenants' ingest secret (default $BOOKINGX_INGEST_SECRET)
  --batch-size <n>        http: events per request, at most ${INGEST_MAX_BATCH} (default ${INGEST_MAX_BATCH})
  --out-dir <dir>         files: one NDJSON file per tenant and manifest.json
  --gzip                  files: gzip the NDJSON files
  --dry-run               generate and count, deliver nothing

Runs:
  --state-file <path>     record confirmed progress; the same command resumes from it
  --stop-after <n>        stop cleanly after delivering n events (resume later)
  --truth-file <path>     write each customer's true behaviour and counts, one JSON line each
  --quiet                 no progress output
  -h, --help              this text
`;

export interface CliOptions {
  seed: number;
  /** As given: one tenant's customers, or the total over all tenants. */
  customers: number;
  /** Customers of each tenant, in the order of `tenants`. */
  customersPerTenant: number[];
  months: number;
  tenants: string[];
  business: BusinessKind | undefined;
  now: Date | undefined;
  via: Via;
  amqpUrl: string;
  window: number;
  ingestUrl: string | undefined;
  ingestSecret: string | undefined;
  batchSize: number;
  outDir: string | undefined;
  gzip: boolean;
  stateFile: string | undefined;
  stopAfter: number | undefined;
  truthFile: string | undefined;
  dryRun: boolean;
  quiet: boolean;
  help: boolean;
}

/** Bad command-line input: reported with the usage text, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function whole(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${value}"`);
  }
  return Number(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      customers: { type: 'string' },
      months: { type: 'string' },
      tenants: { type: 'string' },
      tenant: { type: 'string', multiple: true },
      business: { type: 'string' },
      now: { type: 'string' },
      via: { type: 'string' },
      'amqp-url': { type: 'string' },
      window: { type: 'string' },
      'ingest-url': { type: 'string' },
      'ingest-secret': { type: 'string' },
      'batch-size': { type: 'string' },
      'out-dir': { type: 'string' },
      gzip: { type: 'boolean', default: false },
      'state-file': { type: 'string' },
      'stop-after': { type: 'string' },
      'truth-file': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function isVia(value: string): value is Via {
  return (VIAS as readonly string[]).includes(value);
}

function isBusiness(value: string): value is BusinessKind {
  return (BUSINESS_KINDS as readonly string[]).includes(value);
}

export function parseCliArgs(
  argv: readonly string[],
  env: { AMQP_URL?: string | undefined; BOOKINGX_INGEST_SECRET?: string | undefined },
): CliOptions {
  // `pnpm simulate -- --customers 300` hands the script a leading "--".
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }

  const seed = whole('seed', values.seed, DEFAULT_SEED, 0);
  if (values.tenant && values.tenants !== undefined) {
    throw new UsageError('use either --tenants or --tenant, not both');
  }
  const tenants = values.tenant ?? deriveTenantIds(seed, whole('tenants', values.tenants, 1, 1));
  for (const t of tenants) {
    if (!UUID.test(t)) throw new UsageError(`--tenant must be a UUID, got "${t}"`);
  }
  if (new Set(tenants.map((t) => t.toLowerCase())).size !== tenants.length) {
    throw new UsageError('--tenant repeats a tenant');
  }
  const customers = whole('customers', values.customers, DEFAULT_CUSTOMERS, 1);
  if (customers < tenants.length) {
    throw new UsageError(
      `--customers is the total over all tenants: at least one each, so at least ${tenants.length}`,
    );
  }
  const customersPerTenant =
    tenants.length === 1 ? [customers] : splitCustomers(seed, customers, tenants.length);

  const business = values.business;
  if (business !== undefined && !isBusiness(business)) {
    throw new UsageError(`--business must be one of ${BUSINESS_KINDS.join(', ')}`);
  }

  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) {
      throw new UsageError(`--now must be an ISO 8601 time, got "${values.now}"`);
    }
  }

  const via = values.via ?? 'bus';
  if (!isVia(via)) throw new UsageError(`--via must be bus, http or files, got "${via}"`);
  const dryRun = values['dry-run'];
  const only = (option: string, given: boolean, mode: Via) => {
    if (given && via !== mode) throw new UsageError(`--${option} only applies to --via ${mode}`);
  };
  only('window', values.window !== undefined, 'bus');
  only('ingest-url', values['ingest-url'] !== undefined, 'http');
  only('ingest-secret', values['ingest-secret'] !== undefined, 'http');
  only('batch-size', values['batch-size'] !== undefined, 'http');
  only('out-dir', values['out-dir'] !== undefined, 'files');
  only('gzip', values.gzip, 'files');

  const amqpUrl = values['amqp-url'] ?? env.AMQP_URL ?? DEFAULT_AMQP_URL;
  if (!/^amqps?:\/\//.test(amqpUrl)) {
    throw new UsageError('--amqp-url must start with amqp:// or amqps://');
  }
  const ingestUrl = values['ingest-url'];
  const ingestSecret = values['ingest-secret'] ?? env.BOOKINGX_INGEST_SECRET;
  if (via === 'http' && !dryRun) {
    if (ingestUrl === undefined || !/^https?:\/\/./.test(ingestUrl)) {
      throw new UsageError('--via http needs --ingest-url http(s)://…');
    }
    if (!ingestSecret) {
      throw new UsageError('--via http needs --ingest-secret (or $BOOKINGX_INGEST_SECRET)');
    }
  }
  const outDir = values['out-dir'];
  if (via === 'files' && !dryRun && !outDir) throw new UsageError('--via files needs --out-dir');

  const stateFile = values['state-file'];
  if (dryRun && stateFile !== undefined) {
    throw new UsageError('--state-file records delivered events; a --dry-run delivers none');
  }
  const batchSize = whole('batch-size', values['batch-size'], INGEST_MAX_BATCH, 1);
  if (batchSize > INGEST_MAX_BATCH) {
    throw new UsageError(`--batch-size is at most ${INGEST_MAX_BATCH}, the ingest's limit`);
  }

  return {
    seed,
    customers,
    customersPerTenant,
    months: whole('months', values.months, DEFAULT_MONTHS, 1),
    tenants,
    business,
    now,
    via,
    amqpUrl,
    window: whole('window', values.window, DEFAULT_CONFIRM_WINDOW, 1),
    ingestUrl,
    ingestSecret,
    batchSize,
    outDir,
    gzip: values.gzip,
    stateFile,
    stopAfter:
      values['stop-after'] === undefined
        ? undefined
        : whole('stop-after', values['stop-after'], 0, 1),
    truthFile: values['truth-file'],
    dryRun,
    quiet: values.quiet,
    help: values.help,
  };
}

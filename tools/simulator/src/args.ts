import { parseArgs } from 'node:util';
import { DEFAULT_CUSTOMERS, DEFAULT_MONTHS, DEFAULT_SEED, deriveTenantIds } from './simulate.js';

export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export const USAGE = `Usage: pnpm simulate -- [options]

Plays a BookingX business: publishes customers, bookings and payments onto the
RabbitMQ topic exchange bookingx.events. The same seed gives the same events.

Options:
  --seed <n>          random seed (default ${DEFAULT_SEED})
  --customers <n>     customers per tenant (default ${DEFAULT_CUSTOMERS})
  --months <n>        months of history before now (default ${DEFAULT_MONTHS})
  --tenants <n>       number of tenants: the demo tenant, then ones derived from the seed (default 1)
  --tenant <uuid>     a tenant to simulate; repeat for several (instead of --tenants)
  --now <time>        the simulated present, ISO 8601 (default: the current time)
  --amqp-url <url>    broker (default $AMQP_URL or ${DEFAULT_AMQP_URL})
  --dry-run           generate and count, publish nothing
  --quiet             no progress output
  -h, --help          this text
`;

export interface CliOptions {
  seed: number;
  customers: number;
  months: number;
  tenants: string[];
  now: Date | undefined;
  amqpUrl: string;
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
      now: { type: 'string' },
      'amqp-url': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

export function parseCliArgs(
  argv: readonly string[],
  env: { AMQP_URL?: string | undefined },
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

  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) {
      throw new UsageError(`--now must be an ISO 8601 time, got "${values.now}"`);
    }
  }

  const amqpUrl = values['amqp-url'] ?? env.AMQP_URL ?? DEFAULT_AMQP_URL;
  if (!/^amqps?:\/\//.test(amqpUrl)) {
    throw new UsageError('--amqp-url must start with amqp:// or amqps://');
  }

  return {
    seed,
    customers: whole('customers', values.customers, DEFAULT_CUSTOMERS, 1),
    months: whole('months', values.months, DEFAULT_MONTHS, 1),
    tenants,
    now,
    amqpUrl,
    dryRun: values['dry-run'],
    quiet: values.quiet,
    help: values.help,
  };
}

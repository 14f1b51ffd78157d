import { spawn } from 'node:child_process';
import { signDevToken } from '@crm/service-kit';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Benchmark, BenchContext } from '../lib/context.js';
import { cpuMeter, cpuSecondsOf, startServices } from '../lib/processes.js';
import { attachCpu, type Row } from '../lib/report.js';
import { createScratch, withAdmin, type Scratch } from '../lib/scratch.js';
import { loadSimulatedCustomers, simulatedEvents } from '../lib/simulated-customers.js';
import { Samples } from '../lib/stats.js';

const TENANT = '3c1d6a0e-8f2b-4e4a-9d7c-5b6a7e8f9a0b';
const NOW = new Date('2026-11-24T12:00:00Z');
const CONCURRENCY = 16;
const SAMPLE = 2_000;

export const QUERY_KINDS = [
  'full name',
  'name prefixes',
  'last name prefix',
  'one typo',
  'email',
  'phone E.164',
  'phone national',
  'phone international',
] as const;
type Kind = (typeof QUERY_KINDS)[number];

interface Query {
  kind: Kind;
  q: string;
  /** The customer the query was made from; quality is whether it is on the first page. */
  intended: string;
}

interface Sampled {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One letter of the word replaced by another, away from its first two letters. */
export function oneTypo(word: string, pick: number): string {
  if (word.length < 5) return word;
  const at = 2 + (pick % (word.length - 3));
  const current = word.charAt(at).toLowerCase();
  let letter = LETTERS.charAt((pick * 7) % 26);
  if (letter === current) letter = LETTERS.charAt((pick * 7 + 1) % 26);
  return `${word.slice(0, at)}${letter}${word.slice(at + 1)}`;
}

/** The queries made from sampled customers: each customer gives one of every kind it can. */
export function queriesOf(sample: Sampled[]): Query[] {
  const out: Query[] = [];
  sample.forEach((c, i) => {
    const add = (kind: Kind, q: string) => {
      if (q.trim().length > 0) out.push({ kind, q, intended: c.id });
    };
    add('full name', `${c.first_name} ${c.last_name}`);
    add('name prefixes', `${c.first_name.slice(0, 3)} ${c.last_name.slice(0, 4)}`);
    add('last name prefix', c.last_name.slice(0, 3));
    if (c.last_name.length >= 5) add('one typo', `${c.first_name} ${oneTypo(c.last_name, i)}`);
    if (c.email) add('email', c.email);
    const phone = c.phone ? parsePhoneNumberFromString(c.phone) : undefined;
    if (phone && c.phone) {
      add('phone E.164', c.phone);
      add('phone national', phone.formatNational());
      add('phone international', phone.formatInternational());
    }
  });
  return out;
}

/** Interleaves the kinds (a, b, c, a, b, c…) so every stretch of the run is mixed. */
function interleave(queries: Query[]): Query[] {
  const byKind = QUERY_KINDS.map((k) => queries.filter((q) => q.kind === k));
  const out: Query[] = [];
  for (let i = 0; out.length < queries.length; i++) {
    for (const list of byKind) {
      const q = list[i];
      if (q) out.push(q);
    }
  }
  return out;
}

interface KindResult {
  samples: Samples;
  errors: number;
  found: number;
  answered: number;
  slowest: { ms: number; q: string }[];
}

/**
 * A closed loop of `CONCURRENCY` clients, each sending the next query of the mixed list and
 * waiting for its answer; latencies, errors and first-page hits are kept per kind.
 */
async function mixedLoad(
  url: string,
  token: string,
  queries: Query[],
  cursor: { next: number },
  seconds: number,
): Promise<{ byKind: Map<Kind, KindResult>; all: Samples; seconds: number }> {
  const byKind = new Map<Kind, KindResult>(
    QUERY_KINDS.map((k) => [
      k,
      { samples: new Samples(), errors: 0, found: 0, answered: 0, slowest: [] },
    ]),
  );
  const all = new Samples();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const query = queries[cursor.next % queries.length];
      cursor.next += 1;
      if (!query) return;
      const result = byKind.get(query.kind);
      if (!result) return;
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}/crm/search?q=${encodeURIComponent(query.q)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await res.json()) as { data?: { id: string }[] };
        const ms = performance.now() - t0;
        if (res.status !== 200) {
          result.errors += 1;
          continue;
        }
        result.samples.add(ms);
        all.add(ms);
        result.answered += 1;
        if (body.data?.some((h) => h.id === query.intended)) result.found += 1;
        if (result.slowest.length < 5 || ms > (result.slowest.at(-1)?.ms ?? 0)) {
          result.slowest.push({ ms: Math.round(ms * 10) / 10, q: query.q });
          result.slowest.sort((a, b) => b.ms - a.ms);
          result.slowest.length = Math.min(result.slowest.length, 5);
        }
      } catch {
        result.errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  return { byKind, all, seconds: (performance.now() - started) / 1000 };
}

/** Runs `pnpm --filter @crm/profiles search:reindex` (from source) and reports its rate and CPU. */
async function reindex(
  ctx: BenchContext,
  scratch: Scratch,
): Promise<{ documents: number; seconds: number; cpuSeconds: number }> {
  const args =
    ctx.runtime === 'dist'
      ? ['services/profiles/dist/cli/reindex.js']
      : ['--import', 'tsx', '--conditions=source', 'services/profiles/src/cli/reindex.ts'];
  const child = spawn(process.execPath, [...args, '--batch-size', '2000'], {
    cwd: ctx.root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: scratch.databaseUrl,
      DATABASE_ROLE: 'crm_profiles',
      AMQP_URL: scratch.amqpUrl,
      JWT_SECRET: ctx.jwtSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let cpu = 0;
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    const lines = c.toString().trim().split('\n');
    const last = lines.at(-1);
    if (last) ctx.log(last);
  });
  const poll = setInterval(() => {
    cpu = cpuSecondsOf(child.pid) ?? cpu;
  }, 250);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`search reindex exited with ${String(code)}:\n${stderr}`);
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    documents: number;
    seconds: number;
  };
  return { ...summary, cpuSeconds: cpu };
}

export const searchBench: Benchmark = {
  name: 'search',
  summary:
    'GET /crm/search through the gateway, a mixed query set (names, prefixes, typos, emails, phones) at 16 clients over N simulator customers',
  async run(ctx) {
    const customers = ctx.customers ?? (ctx.quick ? 20_000 : 100_000);
    const seconds = ctx.quick ? 8 : 30;
    const warmSeconds = ctx.quick ? 3 : 10;

    const scratch = await createScratch(ctx, { migrate: true });
    const loaded = await withAdmin(scratch.databaseUrl, (c) =>
      loadSimulatedCustomers(
        c,
        simulatedEvents({ seed: 42, tenants: [TENANT], customers, months: 12, now: NOW }),
        { log: ctx.log },
      ),
    );
    const indexed = await reindex(ctx, scratch);
    ctx.log(
      `reindexed ${indexed.documents} documents in ${indexed.seconds.toFixed(1)} s, ${indexed.cpuSeconds.toFixed(1)} CPU s in the command`,
    );
    const { sample, region } = await withAdmin(scratch.databaseUrl, async (c) => {
      await c.query('ANALYZE profiles.search_documents');
      await c.query('SELECT setseed(0.42)');
      const rows = await c.query<Sampled>(
        `SELECT id, first_name, last_name, email, phone FROM profiles.customers
          WHERE tenant_id = $1 ORDER BY random() LIMIT ${SAMPLE}`,
        [TENANT],
      );
      const country = new Map<string, number>();
      for (const r of rows.rows) {
        const c2 = r.phone ? parsePhoneNumberFromString(r.phone)?.country : undefined;
        if (c2) country.set(c2, (country.get(c2) ?? 0) + 1);
      }
      const top = [...country].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'DE';
      return { sample: rows.rows, region: top };
    });
    const queries = interleave(queriesOf(sample));

    // National numbers are read in the region the tenant's customers live in.
    const services = await startServices(ctx, scratch, ['profiles', 'gateway'], {
      DEFAULT_PHONE_REGION: region,
    });
    const gatewayUrl = services.get('gateway')?.url ?? '';
    const token = await signDevToken({
      secret: ctx.jwtSecret,
      tenant: TENANT,
      role: 'admin',
      sub: 'bench-admin',
      expiresIn: '2h',
    });
    const probe = await fetch(
      `${gatewayUrl}/crm/search?q=${encodeURIComponent(queries[0]?.q ?? 'a')}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (probe.status !== 200) {
      throw new Error(`search answered ${probe.status}: ${(await probe.text()).slice(0, 300)}`);
    }

    ctx.log(`warm-up ${warmSeconds} s`);
    // The measured run goes on where the warm-up stopped: its queries were not seen yet.
    const cursor = { next: 0 };
    await mixedLoad(gatewayUrl, token, queries, cursor, warmSeconds);
    ctx.log(`mixed queries at ${CONCURRENCY} clients, ${seconds} s`);
    const meter = cpuMeter([...services.values()].map((r) => ({ name: r.name, child: r.child })));
    const {
      byKind,
      all,
      seconds: elapsed,
    } = await mixedLoad(gatewayUrl, token, queries, cursor, seconds);
    const spent = meter();

    const group = `c=${CONCURRENCY}`;
    const rows: Row[] = [];
    let errors = 0;
    let found = 0;
    let answered = 0;
    const quality: Record<string, number> = {};
    const slowest: Record<string, { ms: number; q: string }[]> = {};
    for (const [kind, r] of byKind) {
      rows.push({
        label: kind,
        group,
        count: r.samples.count,
        seconds: elapsed,
        throughput: r.samples.count / elapsed,
        unit: 'req/s',
        latency: r.samples.summary(),
        errors: r.errors,
        detail: {
          first_page_share: r.answered > 0 ? Math.round((1000 * r.found) / r.answered) / 1000 : 0,
        },
      });
      quality[kind] = r.answered > 0 ? r.found / r.answered : 0;
      slowest[kind] = r.slowest;
      errors += r.errors;
      found += r.found;
      answered += r.answered;
    }
    const count = all.count;
    rows.push(
      attachCpu(
        {
          label: 'all kinds',
          group,
          count,
          seconds: elapsed,
          throughput: count / elapsed,
          unit: 'req/s',
          latency: all.summary(),
          errors,
          detail: {
            first_page_share: answered > 0 ? Math.round((1000 * found) / answered) / 1000 : 0,
          },
        },
        spent,
      ),
    );
    const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
    return {
      params: {
        customers,
        loaded: loaded.customers,
        seconds,
        warm_up_seconds: warmSeconds,
        concurrency: CONCURRENCY,
        tenant: TENANT,
        phone_region: region,
        sampled_customers: sample.length,
        queries: queries.length,
        load_seconds: Math.round(loaded.seconds * 10) / 10,
        load_events_read: loaded.events,
        reindex_seconds: indexed.seconds,
        reindex_documents: indexed.documents,
        reindex_cpu_seconds: Math.round(indexed.cpuSeconds * 10) / 10,
        first_page_share: quality,
        slowest,
      },
      tables: [
        {
          title: `GET /crm/search through the gateway, ${customers} customers in one tenant, ${CONCURRENCY} clients, ${seconds} s of mixed queries`,
          baselines: [],
          rows,
        },
      ],
      notes: [
        `one mixed run: the kinds are interleaved and share the ${CONCURRENCY} clients, so a kind's req/s is its share of the run`,
        `first page (20 hits) holds the customer the query was made from: ${Object.entries(quality)
          .map(([k, v]) => `${k} ${pct(v)}`)
          .join(', ')}; overall ${pct(answered > 0 ? found / answered : 0)}`,
        'names repeat in a large tenant (the simulator draws from a few hundred first and last names per locale): a full name matches many customers, so its share is bounded by how many share that name',
        `loaded ${loaded.customers} simulator customers (seed 42, 12 months) in ${loaded.seconds.toFixed(1)} s; search reindex ${indexed.documents} documents in ${indexed.seconds.toFixed(1)} s (${Math.round(indexed.documents / Math.max(indexed.seconds, 0.001))}/s, ${indexed.cpuSeconds.toFixed(1)} CPU s in the command)`,
        'CPU ms/op: CPU time of the gateway and profiles per request over the whole mixed run (Postgres and the load generator not included)',
      ],
    };
  },
};

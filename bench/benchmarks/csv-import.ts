import { signDevToken } from '@crm/service-kit';
import { Directory, LOCALES, Rng } from '@crm/simulator';
import type { Benchmark } from '../lib/context.js';
import { waitUntil } from '../lib/context.js';
import { cpuMeter, startServices } from '../lib/processes.js';
import { attachCpu, type Row } from '../lib/report.js';
import { createScratch } from '../lib/scratch.js';

const TENANT = '9a7c3e10-4b2d-4f8e-a1c6-3d5e7f9b0c2a';
const HEADER = ['Vorname', 'Nachname', 'E-Mail', 'Telefon', 'Stadt', 'Kundennummer', 'Gruppen'];
const MAPPING = {
  Vorname: 'first_name',
  Nachname: 'last_name',
  'E-Mail': 'email',
  Telefon: 'phone',
  Stadt: 'city',
  Kundennummer: 'custom.member_no',
  Gruppen: 'tags',
};

interface ImportStatus {
  id: string;
  status: string;
  total_rows: number;
  processed_rows: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  duration_ms: number | null;
  failure: string | null;
}

/**
 * People from the simulator's generator as a CSV a business would export from elsewhere:
 * German headers, half the phones written the local way, a custom field and some tags.
 */
function peopleCsv(rows: number): string {
  const locale = LOCALES.de;
  const directory = new Directory(locale);
  const rng = new Rng('bench-csv-import');
  const records: string[][] = [HEADER];
  for (let i = 1; i <= rows; i += 1) {
    const { first_name, last_name } = directory.name(rng);
    const email = directory.email(rng, first_name, last_name);
    const e164 = directory.phone(rng);
    const phone = i % 2 === 0 && e164.startsWith('+49') ? `0${e164.slice(3)}` : e164;
    records.push([
      first_name,
      last_name,
      i % 7 === 0 ? email.toUpperCase() : email,
      phone,
      rng.pick(locale.locations),
      `K-${String(i).padStart(7, '0')}`,
      i % 5 === 0 ? 'Stammkunde|Newsletter' : i % 11 === 0 ? 'Newsletter' : '',
    ]);
  }
  return records.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const csvImportBench: Benchmark = {
  name: 'csv-import',
  summary:
    'CSV import of simulator people through the gateway: rows per second of a dry run and of the real import (batches of 500)',
  async run(ctx) {
    const rows = ctx.quick ? 2_000 : 20_000;
    const batchSize = 500;
    const scratch = await createScratch(ctx, { migrate: true });
    const services = await startServices(ctx, scratch, ['profiles', 'gateway'], {
      IMPORT_MAX_BYTES: String(64 * 1024 * 1024),
      IMPORT_BATCH_SIZE: String(batchSize),
      // An upload through the gateway is bounded by its upload limit too.
      UPLOAD_BODY_LIMIT: '64mb',
    });
    const gatewayUrl = services.get('gateway')?.url ?? '';
    const token = await signDevToken({
      secret: ctx.jwtSecret,
      tenant: TENANT,
      role: 'admin',
      sub: 'bench-admin',
      expiresIn: '2h',
    });
    const headers = { authorization: `Bearer ${token}` };
    const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${gatewayUrl}${path}`, {
        method,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300)
        throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as unknown;
    };
    await api('POST', '/crm/custom-fields', {
      field_name: 'member_no',
      field_label: 'Kundennummer',
      field_type: 'text',
    });
    for (const name of ['Stammkunde', 'Newsletter']) await api('POST', '/crm/tags', { name });

    const csv = peopleCsv(rows);
    const bytes = Buffer.byteLength(csv);
    ctx.log(`generated ${rows} rows, ${(bytes / 1024 / 1024).toFixed(2)} MiB`);

    const processes = [...services.values()].map((r) => ({ name: r.name, child: r.child }));
    const measured: Row[] = [];
    const results: Record<string, ImportStatus> = {};
    for (const dryRun of [true, false]) {
      const label = dryRun ? 'dry run' : 'import';
      const meter = cpuMeter(processes);
      const started = performance.now();
      const params = new URLSearchParams({
        mapping: JSON.stringify(MAPPING),
        on_duplicate: 'skip',
        dry_run: String(dryRun),
      });
      const res = await fetch(`${gatewayUrl}/crm/customers/imports?${params.toString()}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/csv' },
        body: csv,
      });
      const accepted = (await res.json()) as ImportStatus;
      if (res.status !== 202) throw new Error(`upload: ${res.status} ${JSON.stringify(accepted)}`);
      const uploadMs = performance.now() - started;
      let last = accepted;
      await waitUntil(
        `${label} of ${rows} rows`,
        async () => {
          last = (await api('GET', `/crm/customers/imports/${accepted.id}`)) as ImportStatus;
          return {
            done: last.status === 'completed' || last.status === 'failed',
            status: `${last.status}, ${last.processed_rows}/${last.total_rows} rows`,
          };
        },
        {
          timeoutMs: 60 * 60 * 1000,
          intervalMs: 250,
          onStatus: (s) => {
            ctx.log(`${label}: ${s}`);
          },
        },
      );
      const seconds = (performance.now() - started) / 1000;
      if (last.status !== 'completed') throw new Error(`${label} failed: ${last.failure ?? ''}`);
      if (last.created !== rows || last.failed !== 0) {
        throw new Error(`${label}: expected ${rows} created, got ${JSON.stringify(last)}`);
      }
      results[label] = last;
      const row: Row = {
        label,
        group: `${rows} rows`,
        count: last.processed_rows,
        seconds,
        throughput: last.processed_rows / seconds,
        unit: 'rows/s',
        latency: null,
        errors: last.failed,
        detail: {
          upload_ms: Math.round(uploadMs),
          worker_ms: last.duration_ms ?? 0,
          worker_rows_per_s:
            last.duration_ms && last.duration_ms > 0
              ? Math.round((last.processed_rows / last.duration_ms) * 1000)
              : 0,
          created: last.created,
        },
      };
      measured.push(attachCpu(row, meter()));
      ctx.log(`${label}: ${rows} rows in ${seconds.toFixed(1)} s`);
    }
    return {
      params: { rows, bytes, batch_size: batchSize, on_duplicate: 'skip', tenant: TENANT },
      tables: [
        {
          title: `CSV import of ${rows} new customers (${(bytes / 1024 / 1024).toFixed(2)} MiB), from upload until the import reports completed`,
          baselines: ['import'],
          rows: measured,
        },
      ],
      notes: [
        'each row goes the way of POST /crm/customers: validation, E.164 phones, email normalisation, custom field check, audit trail, outbox events; rows with tags also get their tags and a customer.updated event',
        'a dry run does the same work in a savepoint per row and rolls it back, so it costs about as much as the real import',
        'duplicate matching: one query per batch for external refs, emails and phones each; the file has no duplicates, the tenant starts empty',
        'the search index and other consumers follow the outbox afterwards; their catch-up is not in these figures',
        'CPU ms/op: CPU time of the gateway and profiles processes per row (Postgres not included)',
      ],
    };
  },
};

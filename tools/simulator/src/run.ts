/**
 * One run of the command: generate the stream, deliver it, record progress so an
 * interrupted run resumes where it stopped, and write the ground truth.
 */
import { BOOKINGX_EXCHANGE } from '@crm/contracts';
import type { BusinessKind } from './catalogue.js';
import type { SimulatedEvent } from './events.js';
import { FilesSink, tenantFileName, writeManifest } from './files.js';
import { IngestSink } from './ingest.js';
import { LineFile } from './lines.js';
import type { Progress } from './progress.js';
import { BusSink, redactUrl } from './publish.js';
import {
  estimateEvents,
  openWorld,
  type SimulationOptions,
  type TenantSummary,
} from './simulate.js';
import type { Sink } from './sink.js';
import {
  StateError,
  fingerprint,
  readState,
  writeState,
  type RunState,
  type TenantProgress,
} from './state.js';

export type Destination =
  | { via: 'bus'; amqpUrl: string; exchange?: string; window?: number }
  | {
      via: 'http';
      url: string;
      secret: string;
      batchSize?: number;
      retries?: number;
      retryDelayMs?: number;
    }
  | { via: 'files'; dir: string; gzip: boolean }
  | { via: 'none' };

export interface RunOptions {
  seed: number;
  tenants: readonly string[];
  customers: readonly number[];
  months: number;
  /** Absent: the state file's `now` when resuming, else the current time. */
  now: Date | undefined;
  business?: BusinessKind | undefined;
  destination: Destination;
  stateFile?: string | undefined;
  truthFile?: string | undefined;
  /** Stop cleanly once this many events have been delivered by this run. */
  stopAfter?: number | undefined;
  signal?: AbortSignal | undefined;
  note?: (line: string) => void;
  /** Once the world is open, before anything is delivered. */
  onOpen?: (world: {
    seed: number;
    start: string;
    now: string;
    tenants: readonly TenantSummary[];
    skipped: number;
  }) => void;
  /** Called with the estimated total and the events already done (skipped when resuming). */
  progress?: (total: number, start: number) => Progress;
}

export type RunStatus = 'done' | 'stopped' | 'interrupted' | 'already-done';

export interface RunResult {
  status: RunStatus;
  seed: number;
  start: string;
  now: string;
  tenants: TenantSummary[];
  /** Delivered (confirmed) events per type, over every run of this state file. */
  counts: Map<string, number>;
  /** Events this run delivered, or generated on a dry run. */
  delivered: number;
  /** Events skipped because an earlier run had delivered them. */
  skipped: number;
  elapsedMs: number;
  destination: string;
  truthFile?: string | undefined;
  manifest?: string | undefined;
  ingest?: { accepted: number; duplicates: number; requests: number } | undefined;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export function describeDestination(d: Destination): string {
  switch (d.via) {
    case 'bus':
      return `${d.exchange ?? BOOKINGX_EXCHANGE} at ${redactUrl(d.amqpUrl)}`;
    case 'http':
      return redactUrl(d.url);
    case 'files':
      return `${d.dir}${d.gzip ? ' (gzip)' : ''}`;
    case 'none':
      return 'nowhere (dry run)';
  }
}

export async function run(options: RunOptions): Promise<RunResult> {
  const note = options.note ?? (() => undefined);
  const destination = options.destination;
  if (destination.via === 'none' && options.stateFile !== undefined) {
    throw new StateError('a dry run delivers nothing, so it has no progress to record');
  }
  const previous = options.stateFile === undefined ? undefined : readState(options.stateFile);
  const now = options.now ?? (previous ? new Date(previous.run.now) : new Date());
  const sim: SimulationOptions = {
    seed: options.seed,
    tenants: options.tenants,
    customers: options.customers,
    months: options.months,
    now,
    ...(options.business === undefined ? {} : { business: options.business }),
  };
  const where = describeDestination(destination);
  const print = fingerprint({
    version: 1,
    seed: options.seed,
    tenants: options.tenants.map((t) => t.toLowerCase()),
    customers: options.customers,
    months: options.months,
    now: now.toISOString(),
    business: options.business ?? null,
    via: destination.via,
    destination: where,
  });
  if (previous && previous.fingerprint !== print) {
    const r = previous.run;
    throw new StateError(
      `${options.stateFile ?? ''} records another run (seed ${r.seed}, --now ${r.now}, ` +
        `${r.tenants} tenants, ${r.customers} customers, via ${r.via} to ${r.destination}); ` +
        'repeat that command to resume it, or delete the file to start over',
    );
  }

  const tenantProgress = new Map<string, TenantProgress>(
    Object.entries(previous?.tenants ?? {}).map(([t, p]) => [t, { ...p, types: { ...p.types } }]),
  );
  const counts = new Map<string, number>();
  for (const p of tenantProgress.values()) {
    for (const [type, n] of Object.entries(p.types)) counts.set(type, (counts.get(type) ?? 0) + n);
  }
  const skipped = [...tenantProgress.values()].reduce((sum, p) => sum + p.confirmed, 0);
  const totalCustomers = options.customers.reduce((a, b) => a + b, 0);

  let truthFile: LineFile | undefined;
  const world = openWorld({
    ...sim,
    skip: Object.fromEntries([...tenantProgress].map(([t, p]) => [t, p.confirmed])),
    onCustomer: (truth) => {
      truthFile?.write(JSON.stringify(truth));
    },
  });
  options.onOpen?.({ ...world, skipped });
  const base = {
    seed: world.seed,
    start: world.start,
    now: world.now,
    tenants: world.tenants,
    destination: where,
  };
  if (previous?.done) {
    return { ...base, status: 'already-done', counts, delivered: 0, skipped, elapsedMs: 0 };
  }

  let sink: Sink | undefined;
  let state: RunState | undefined;
  const saveState = (done: boolean) => {
    if (options.stateFile === undefined || !state) return;
    const positions = sink?.positions?.() ?? {};
    for (const [tenant, bytes] of Object.entries(positions)) {
      const p = tenantProgress.get(tenant);
      if (p) p.bytes = bytes;
    }
    state.tenants = Object.fromEntries(tenantProgress);
    state.confirmed = [...tenantProgress.values()].reduce((sum, p) => sum + p.confirmed, 0);
    state.done = done;
    state.updated_at = new Date().toISOString();
    writeState(options.stateFile, state);
  };
  if (options.stateFile !== undefined) {
    state = {
      version: 1,
      fingerprint: print,
      run: {
        seed: options.seed,
        now: world.now,
        start: world.start,
        tenants: options.tenants.length,
        customers: totalCustomers,
        via: destination.via,
        destination: where,
      },
      tenants: {},
      confirmed: 0,
      done: false,
      updated_at: '',
    };
  }

  let delivered = 0;
  let progress: Progress | undefined;
  const onConfirmed = (events: readonly SimulatedEvent[]) => {
    for (const e of events) {
      let p = tenantProgress.get(e.tenantid);
      if (!p) {
        p = { confirmed: 0, last_event_id: null, types: {} };
        tenantProgress.set(e.tenantid, p);
      }
      p.confirmed += 1;
      p.last_event_id = e.id;
      p.types[e.type] = (p.types[e.type] ?? 0) + 1;
      counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    }
    delivered += events.length;
    saveState(false);
    progress?.update(skipped + delivered);
  };

  if (options.truthFile !== undefined) truthFile = new LineFile(options.truthFile);
  let startedAt: number;
  let ingest: IngestSink | undefined;
  let status: RunStatus = 'done';
  let manifest: string | undefined;
  try {
    switch (destination.via) {
      case 'bus':
        sink = await BusSink.open(destination.amqpUrl, {
          exchange: destination.exchange,
          window: destination.window,
          onConfirmed,
        });
        break;
      case 'http':
        ingest = new IngestSink({
          url: destination.url,
          secret: destination.secret,
          onConfirmed,
          onRetry: ({ attempt, of, delayMs, reason }) => {
            note(
              `ingest: ${reason}; attempt ${attempt} of ${of} in ${(delayMs / 1000).toFixed(1)} s`,
            );
          },
          ...(destination.batchSize === undefined ? {} : { batchSize: destination.batchSize }),
          ...(destination.retries === undefined ? {} : { retries: destination.retries }),
          ...(destination.retryDelayMs === undefined
            ? {}
            : { retryDelayMs: destination.retryDelayMs }),
        });
        sink = ingest;
        break;
      case 'files':
        sink = new FilesSink({
          dir: destination.dir,
          gzip: destination.gzip,
          tenants: world.tenants.map((t) => t.id),
          keep: Object.fromEntries([...tenantProgress].map(([t, p]) => [t, p.bytes ?? 0] as const)),
          onConfirmed,
        });
        break;
      case 'none':
        break;
    }
    saveState(false);
    if (options.progress) progress = options.progress(estimateEvents(sim), skipped);
    startedAt = performance.now();

    let taken = 0;
    for (const event of world.events()) {
      if (options.signal?.aborted) {
        status = 'interrupted';
        break;
      }
      taken += 1;
      if (sink) {
        const wait = sink.send(event);
        if (wait) await wait;
        else if ((taken & 1023) === 0) await tick();
      } else {
        counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
        delivered += 1;
        if ((taken & 1023) === 0) {
          progress?.update(delivered);
          await tick();
        }
      }
      if (options.stopAfter !== undefined && taken >= options.stopAfter) {
        status = 'stopped';
        break;
      }
    }
    await sink?.flush();
    if (!sink) progress?.update(delivered);
    saveState(status === 'done');

    if (status === 'done' && destination.via === 'files') {
      const files = sink?.positions?.() ?? {};
      manifest = writeManifest(destination.dir, {
        format: 'cloudevents+ndjson',
        version: 1,
        gzip: destination.gzip,
        seed: world.seed,
        start: world.start,
        now: world.now,
        total: [...counts.values()].reduce((a, b) => a + b, 0),
        types: Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b))),
        tenants: world.tenants.map((t) => {
          const p = tenantProgress.get(t.id);
          return {
            tenant_id: t.id,
            file: tenantFileName(t.id, destination.gzip),
            bytes: files[t.id] ?? 0,
            events: p?.confirmed ?? 0,
            customers: t.customerCount,
            business: t.business,
            currency: t.currency,
            timezone: t.timezone,
            types: Object.fromEntries(
              Object.entries(p?.types ?? {}).sort(([a], [b]) => a.localeCompare(b)),
            ),
          };
        }),
      });
    }
  } catch (err) {
    truthFile?.discard();
    throw err;
  } finally {
    progress?.stop();
    await sink?.close();
  }

  let truthPath: string | undefined;
  if (truthFile) {
    if (status === 'done') truthPath = truthFile.commit();
    else truthFile.discard();
  }
  return {
    ...base,
    status,
    counts,
    delivered,
    skipped,
    elapsedMs: performance.now() - startedAt,
    truthFile: truthPath,
    manifest,
    ingest: ingest && {
      accepted: ingest.accepted,
      duplicates: ingest.duplicates,
      requests: ingest.requests,
    },
  };
}

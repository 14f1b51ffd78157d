import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SimulatedEvent } from './events.js';
import type { OnConfirmed, Sink } from './sink.js';

export interface FilesOptions {
  dir: string;
  gzip: boolean;
  tenants: readonly string[];
  /** Per tenant, the byte size of a confirmed prefix to keep (resuming); else files start empty. */
  keep?: Readonly<Record<string, number>>;
  /** Buffered bytes, over all tenants, that trigger a write. */
  flushBytes?: number;
  onConfirmed?: OnConfirmed;
}

interface OpenFile {
  fd: number;
  bytes: number;
  lines: string[];
  events: SimulatedEvent[];
}

export function tenantFileName(tenant: string, gzip: boolean): string {
  return `${tenant}.ndjson${gzip ? '.gz' : ''}`;
}

/**
 * One NDJSON file per tenant (`<tenant>.ndjson`, or `.ndjson.gz`): one CloudEvent per
 * line, in time order. Events are buffered and written in chunks; a chunk counts as
 * confirmed once written and synced. With gzip each chunk is a gzip member of its own, so
 * a file cut at any confirmed size is still valid gzip, and resuming truncates there.
 */
export class FilesSink implements Sink {
  readonly description: string;
  private readonly files = new Map<string, OpenFile>();
  private bufferedBytes = 0;
  private readonly flushBytes: number;

  constructor(private readonly options: FilesOptions) {
    this.description = options.dir;
    this.flushBytes = options.flushBytes ?? 8 * 1024 * 1024;
    mkdirSync(options.dir, { recursive: true });
    for (const tenant of options.tenants) {
      const file = path.join(options.dir, tenantFileName(tenant, options.gzip));
      const keep = options.keep?.[tenant] ?? 0;
      let fd: number;
      if (keep > 0) {
        fd = openSync(file, 'r+');
        ftruncateSync(fd, keep);
      } else {
        fd = openSync(file, 'w');
      }
      this.files.set(tenant, { fd, bytes: keep, lines: [], events: [] });
    }
  }

  send(event: SimulatedEvent): Promise<void> | undefined {
    const file = this.files.get(event.tenantid);
    if (!file) throw new Error(`no file for tenant ${event.tenantid}`);
    const line = `${JSON.stringify(event)}\n`;
    file.lines.push(line);
    file.events.push(event);
    this.bufferedBytes += line.length;
    return this.bufferedBytes >= this.flushBytes ? this.flush() : undefined;
  }

  flush(): Promise<void> {
    const confirmed: SimulatedEvent[] = [];
    for (const file of this.files.values()) {
      if (file.lines.length === 0) continue;
      const text = file.lines.join('');
      const data = this.options.gzip ? gzipSync(text) : Buffer.from(text, 'utf8');
      for (let off = 0; off < data.length;) {
        off += writeSync(file.fd, data, off, data.length - off, file.bytes + off);
      }
      fdatasyncSync(file.fd);
      file.bytes += data.length;
      for (const e of file.events) confirmed.push(e);
      file.lines = [];
      file.events = [];
    }
    this.bufferedBytes = 0;
    if (confirmed.length > 0) this.options.onConfirmed?.(confirmed);
    return Promise.resolve();
  }

  positions(): Record<string, number> {
    return Object.fromEntries([...this.files].map(([tenant, f]) => [tenant, f.bytes]));
  }

  close(): Promise<void> {
    for (const file of this.files.values()) closeSync(file.fd);
    this.files.clear();
    return Promise.resolve();
  }
}

export interface Manifest {
  format: 'cloudevents+ndjson';
  version: 1;
  gzip: boolean;
  seed: number;
  start: string;
  now: string;
  total: number;
  types: Record<string, number>;
  tenants: {
    tenant_id: string;
    file: string;
    bytes: number;
    events: number;
    customers: number;
    business: string;
    currency: string;
    timezone: string;
    types: Record<string, number>;
  }[];
}

/** Written last, atomically: its presence means every file is complete. */
export function writeManifest(dir: string, manifest: Manifest): string {
  const file = path.join(dir, 'manifest.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

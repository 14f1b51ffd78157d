import http from 'node:http';
import {
  INGEST_SIGNATURE_HEADER,
  INGEST_TENANT_HEADER,
  INGEST_TIMESTAMP_HEADER,
  verifyIngestSignature,
  type CloudEvent,
} from '@crm/contracts';

export interface ReceivedBatch {
  tenant: string;
  contentType: string;
  signatureValid: boolean;
  keys: string[];
  events: CloudEvent[];
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

/**
 * A local stand-in for `POST /crm/ingest/bookingx`: checks the signature the way the real
 * endpoint does, records every batch, and answers 202 {accepted, duplicates} unless a
 * test scripts another reply for the n-th request.
 */
export async function ingestStandIn(
  secret: string,
  script: (n: number, batch: ReceivedBatch) => Reply | undefined = () => undefined,
) {
  const batches: ReceivedBatch[] = [];
  const seen = new Set<string>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const timestamp = Number(req.headers[INGEST_TIMESTAMP_HEADER]);
      const signature = String(req.headers[INGEST_SIGNATURE_HEADER] ?? '');
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      const events = (body.events ?? []) as CloudEvent[];
      const batch: ReceivedBatch = {
        tenant: String(req.headers[INGEST_TENANT_HEADER] ?? ''),
        contentType: req.headers['content-type'] ?? '',
        signatureValid: verifyIngestSignature(secret, timestamp, raw, signature),
        keys: Object.keys(body),
        events,
      };
      requests += 1;
      const reply = script(requests, batch);
      const refused = reply !== undefined && reply.status !== 202;
      // A batch counts as received on arrival, even if the sender is gone before the reply.
      let accepted = 0;
      if (!refused) {
        batches.push(batch);
        for (const e of events) {
          if (seen.has(e.id)) continue;
          seen.add(e.id);
          accepted += 1;
        }
      }
      const send = () => {
        if (refused) {
          res.writeHead(reply.status, {
            'content-type': 'application/problem+json',
            ...reply.headers,
          });
          res.end(JSON.stringify(reply.body ?? {}));
          return;
        }
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ accepted, duplicates: events.length - accepted }));
      };
      if (reply?.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/crm/ingest/bookingx`,
    batches,
    get requests() {
      return requests;
    },
    /** Ids in the order they were accepted, duplicates included. */
    ids: () => batches.flatMap((b) => b.events.map((e) => e.id)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

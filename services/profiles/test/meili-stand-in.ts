import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

type Doc = Record<string, unknown> & { id: string };

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? (JSON.parse(text) as unknown) : null);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    req.on('error', reject);
  });
}

/** `field = "value"` clauses of a filter, unescaped; the stand-in honours only these. */
function equalities(filter: unknown): [string, string][] {
  const clauses = Array.isArray(filter) ? filter : [];
  const out: [string, string][] = [];
  for (const clause of clauses) {
    if (typeof clause !== 'string') continue;
    const m = /^(\w+) = "((?:[^"\\]|\\.)*)"$/.exec(clause);
    if (m?.[1] && m[2] !== undefined) out.push([m[1], m[2].replace(/\\(.)/g, '$1')]);
  }
  return out;
}

/** Lower-case words of a text, split where Meilisearch's tokenizer splits names. */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Whether a document matches a query as Meilisearch matches names without typos: with
 * `matchingStrategy: 'all'` every word of the query is a word of the names, the last one
 * possibly a prefix; otherwise (Meilisearch's default, `last`) it is enough that the first
 * word does.
 */
function matches(doc: Doc, q: string, strategy: unknown): boolean {
  const query = wordsOf(q);
  if (query.length === 0) return true;
  const names = wordsOf(
    [doc.first_name, doc.last_name, doc.company_name, doc.search_names]
      .filter((v): v is string => typeof v === 'string')
      .join(' '),
  );
  const found = (w: string, i: number) =>
    names.some((n) => n === w || (i === query.length - 1 && n.startsWith(w)));
  return strategy === 'all' ? query.every(found) : found(query[0] ?? '', 0);
}

/**
 * The few Meilisearch endpoints the adapter calls, on loopback: tasks succeed at once,
 * documents are kept in memory, a search honours `attr = "value"` filters and matches the
 * query's words to the names' words (see `matches`). Every request is recorded.
 */
export async function startMeiliStandIn(): Promise<{
  url: string;
  requests: Recorded[];
  docs: Map<string, Doc>;
  close: () => Promise<void>;
}> {
  const requests: Recorded[] = [];
  const docs = new Map<string, Doc>();
  let taskUid = 0;
  const task = (indexUid: string | null, type: string) => ({
    taskUid: ++taskUid,
    indexUid,
    status: 'enqueued',
    type,
    enqueuedAt: new Date().toISOString(),
  });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = await readBody(req);
      requests.push({ method: req.method ?? '', path: url.pathname, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const parts = url.pathname.split('/').filter(Boolean);
      if (req.method === 'POST' && url.pathname === '/indexes') {
        send(202, task(String((body as { uid?: string }).uid), 'indexCreation'));
      } else if (req.method === 'GET' && parts[0] === 'tasks' && parts[1]) {
        const now = new Date().toISOString();
        send(200, {
          uid: Number(parts[1]),
          indexUid: null,
          status: 'succeeded',
          type: 'settingsUpdate',
          details: {},
          error: null,
          duration: 'PT0S',
          enqueuedAt: now,
          startedAt: now,
          finishedAt: now,
        });
      } else if (req.method === 'PATCH' && parts[2] === 'settings') {
        send(202, task(parts[1] ?? null, 'settingsUpdate'));
      } else if (req.method === 'POST' && parts[2] === 'documents' && parts[3] === 'delete-batch') {
        for (const id of Array.isArray(body) ? (body as string[]) : []) docs.delete(id);
        send(202, task(parts[1] ?? null, 'documentDeletion'));
      } else if (req.method === 'POST' && parts[2] === 'documents') {
        for (const doc of Array.isArray(body) ? (body as Doc[]) : []) docs.set(doc.id, doc);
        send(202, task(parts[1] ?? null, 'documentAdditionOrUpdate'));
      } else if (req.method === 'POST' && parts[2] === 'search') {
        const { q, filter, limit, offset, matchingStrategy } = body as {
          q?: string;
          filter?: unknown;
          limit?: number;
          offset?: number;
          matchingStrategy?: unknown;
        };
        const wanted = equalities(filter);
        const hits = [...docs.values()].filter(
          (d) => wanted.every(([k, v]) => d[k] === v) && matches(d, q ?? '', matchingStrategy),
        );
        const start = offset ?? 0;
        const page = hits.slice(start, start + (limit ?? 20));
        send(200, {
          hits: page,
          query: q ?? '',
          processingTimeMs: 0,
          limit: limit ?? 20,
          offset: start,
          estimatedTotalHits: hits.length,
        });
      } else {
        send(404, {
          message: `no stand-in for ${req.method ?? ''} ${url.pathname}`,
          code: 'not_found',
        });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    docs,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

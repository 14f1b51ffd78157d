import type { IncomingHttpHeaders } from 'node:http';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus Host. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'host',
]);

type HeaderValue = string | string[] | number | undefined;

/** Hop-by-hop names, including any the sender listed in its own `Connection` header. */
function connectionScoped(headers: Record<string, HeaderValue>): Set<string> {
  const names = new Set(HOP_BY_HOP);
  const connection = headers.connection;
  const listed = Array.isArray(connection) ? connection.join(',') : String(connection ?? '');
  for (const name of listed.split(',')) {
    const trimmed = name.trim().toLowerCase();
    if (trimmed !== '') names.add(trimmed);
  }
  return names;
}

function isDropped(name: string, dropped: Set<string>): boolean {
  return dropped.has(name) || name.startsWith('proxy-');
}

export interface ForwardContext {
  requestId: string;
  /** Address of the peer that connected to the gateway. */
  peerAddress: string | undefined;
  /** Scheme and host the client used, as the gateway understood them. */
  protocol: string;
  host: string | undefined;
}

/**
 * The headers an upstream receives: the client's end-to-end headers (Authorization
 * included, since every service verifies the token again), the request id, and where the
 * request came from. Content-Length is left to the client library, which knows the body.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  context: ForwardContext,
): Record<string, string> {
  const dropped = connectionScoped(incoming);
  dropped.add('content-length');
  // `Expect: 100-continue` was settled with the client by this hop; the body is already read.
  dropped.add('expect');
  const headers: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(incoming)) {
    const name = rawName.toLowerCase();
    if (value === undefined || isDropped(name, dropped)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['x-request-id'] = context.requestId;
  const chain = headers['x-forwarded-for'];
  if (context.peerAddress !== undefined) {
    headers['x-forwarded-for'] =
      chain === undefined ? context.peerAddress : `${chain}, ${context.peerAddress}`;
  }
  headers['x-forwarded-proto'] = context.protocol;
  if (context.host !== undefined) headers['x-forwarded-host'] = context.host;
  return headers;
}

/**
 * The upstream's headers as the client receives them, without hop-by-hop ones. The body is
 * streamed on byte for byte, so its Content-Length (when the upstream sent one) stays true.
 */
export function clientResponseHeaders(
  upstream: Record<string, HeaderValue>,
): Record<string, string | string[]> {
  const dropped = connectionScoped(upstream);
  const headers: Record<string, string | string[]> = {};
  for (const [rawName, value] of Object.entries(upstream)) {
    const name = rawName.toLowerCase();
    if (value === undefined || isDropped(name, dropped)) continue;
    headers[name] = typeof value === 'number' ? String(value) : value;
  }
  return headers;
}

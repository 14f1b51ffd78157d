import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../src/domain/byte-size.js';
import { clientResponseHeaders, upstreamRequestHeaders } from '../src/domain/forwarding.js';
import { rateLimitKey } from '../src/domain/rate-limit.js';

const context = {
  requestId: 'req-1',
  peerAddress: '10.0.0.7',
  protocol: 'https',
  host: 'crm.example.com',
};

describe('upstreamRequestHeaders', () => {
  it('keeps end-to-end headers, Authorization and traceparent included', () => {
    const headers = upstreamRequestHeaders(
      {
        authorization: 'Bearer abc',
        'content-type': 'application/json',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'if-match': '"3"',
        accept: 'application/json',
      },
      context,
    );
    expect(headers).toMatchObject({
      authorization: 'Bearer abc',
      'content-type': 'application/json',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'if-match': '"3"',
      accept: 'application/json',
    });
  });

  it('drops hop-by-hop headers, those the Connection header names, Host and Expect', () => {
    const headers = upstreamRequestHeaders(
      {
        connection: 'keep-alive, x-hop',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        upgrade: 'websocket',
        te: 'trailers',
        trailer: 'x-checksum',
        'proxy-authorization': 'Basic Zm9v',
        'proxy-anything': '1',
        host: 'crm.example.com',
        'x-hop': 'secret',
        'content-length': '12',
        expect: '100-continue',
        'x-kept': 'yes',
      },
      context,
    );
    expect(Object.keys(headers).sort()).toEqual(
      ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-kept', 'x-request-id'].sort(),
    );
  });

  it('sets the request id and appends the peer to X-Forwarded-For', () => {
    expect(
      upstreamRequestHeaders(
        { 'x-forwarded-for': '203.0.113.9', 'x-request-id': 'forged' },
        context,
      ),
    ).toMatchObject({
      'x-request-id': 'req-1',
      'x-forwarded-for': '203.0.113.9, 10.0.0.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'crm.example.com',
    });
    expect(upstreamRequestHeaders({}, context)['x-forwarded-for']).toBe('10.0.0.7');
  });
});

describe('clientResponseHeaders', () => {
  it('passes back end-to-end headers, several Set-Cookie values and the length included', () => {
    const headers = clientResponseHeaders({
      etag: '"4"',
      location: '/crm/customers/1',
      'set-cookie': ['a=1', 'b=2'],
      connection: 'close, x-internal',
      'x-internal': 'hop',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'content-length': '99',
      'proxy-authenticate': 'Basic',
      vary: undefined,
    });
    expect(headers).toEqual({
      etag: '"4"',
      location: '/crm/customers/1',
      'set-cookie': ['a=1', 'b=2'],
      // The body is streamed on unchanged, so its length holds.
      'content-length': '99',
    });
  });
});

describe('rateLimitKey', () => {
  it('counts a caller by tenant and subject, and anyone else by address', () => {
    expect(rateLimitKey({ tenant: 't1', sub: 'u/1' }, '127.0.0.1')).toBe('sub:t1:u%2F1');
    expect(rateLimitKey(undefined, '127.0.0.1')).toBe('ip:127.0.0.1');
    expect(rateLimitKey({ tenant: 't1', sub: 'u' }, 'x')).not.toBe(
      rateLimitKey({ tenant: 't2', sub: 'u' }, 'x'),
    );
  });
});

describe('parseByteSize', () => {
  it('reads the sizes Express body limits use', () => {
    expect(parseByteSize('1mb')).toBe(1_048_576);
    expect(parseByteSize('512KB')).toBe(524_288);
    expect(parseByteSize('2048')).toBe(2048);
    expect(parseByteSize('1.5kb')).toBe(1536);
    expect(parseByteSize('lots')).toBeUndefined();
    expect(parseByteSize('1tb')).toBeUndefined();
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EVENT_CATALOG } from '../src/events/catalog.js';
import { PROBLEM_CONTENT_TYPE } from '../src/errors.js';
import { ROUTES, type RouteDefinition } from '../src/http/routes.js';
import { ASYNCAPI_FILE, OPENAPI_FILE, renderContracts } from '../src/generate.js';
import {
  API_VERSION,
  buildOpenApiDocument,
  SECURITY_SCHEME,
  SIGNATURE_SCHEME,
} from '../src/openapi.js';

const STALE = 'is stale: run pnpm gen and commit the result';

function committed(file: URL): string {
  return readFileSync(file, 'utf8');
}

describe('generated contract documents', () => {
  const rendered = renderContracts();

  it('openapi.json is the current render', () => {
    expect(committed(OPENAPI_FILE) === rendered.openapi, `openapi.json ${STALE}`).toBe(true);
  });

  it('asyncapi.yaml is the current render', () => {
    expect(committed(ASYNCAPI_FILE) === rendered.asyncapi, `asyncapi.yaml ${STALE}`).toBe(true);
  });

  it('renders the same bytes every time', () => {
    expect(renderContracts()).toEqual(rendered);
  });
});

describe('openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(fileURLToPath(OPENAPI_FILE));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  const doc = buildOpenApiDocument();

  it('names the API, its version, its schema dialect and the gateway serving it', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.jsonSchemaDialect).toBe('https://spec.openapis.org/oas/3.1/dialect/base');
    expect(doc.info.title).toBe('Enhanced CRM API');
    expect(doc.info.version).toBe(API_VERSION);
    // Relative, so "Try it out" calls the gateway wherever the cluster is deployed.
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.components?.securitySchemes?.[SECURITY_SCHEME]).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    for (const topic of ['next_cursor', 'If-Match', 'Idempotency-Key', 'problem+json']) {
      expect(doc.info.description).toContain(topic);
    }
  });

  it('writes a nullable reference as anyOf with null, never allOf', () => {
    const amount = doc.components?.schemas?.Interaction;
    expect(amount).toMatchObject({
      properties: {
        amount: { anyOf: [{ $ref: '#/components/schemas/Money' }, { type: 'null' }] },
      },
    });
    expect(JSON.stringify(doc)).not.toContain('"allOf"');
  });

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s is documented with its security scheme and problem+json errors',
    (_id, route) => {
      const operation = doc.paths?.[route.path]?.[route.method];
      expect(operation?.operationId).toBe(route.id);
      const security: Record<RouteDefinition['auth'], unknown> = {
        jwt: [{ [SECURITY_SCHEME]: [] }],
        signature: [{ [SIGNATURE_SCHEME]: [] }],
        // The beacon's key travels in the body; browsers send no credentials.
        tracking_key: [],
        none: [],
      };
      expect(operation?.security).toEqual(security[route.auth]);
      const responses = operation?.responses ?? {};
      const statuses = Object.keys(route.responses);
      const request: RouteDefinition['request'] = route.request;
      const { params, query, headers, body } = request;
      const takesInput = [params, query, headers, body].some((part) => part !== undefined);
      // The kit answers 422 for any bad part of a request, so every such operation says so.
      const expected = takesInput && !statuses.includes('422') ? [...statuses, '422'] : statuses;
      expect(Object.keys(responses).sort()).toEqual([...expected, 'default'].sort());
      for (const [status, response] of Object.entries(responses)) {
        if (status !== 'default' && Number(status) < 400) continue;
        expect(response, `${route.id} ${status}`).toMatchObject({
          content: {
            [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } },
          },
        });
      }
    },
  );
});

// The parser and spectral each bring their own copy of this enum; compare the numbers.
const ERROR_SEVERITY: number = DiagnosticSeverity.Error;

describe('asyncapi.yaml', () => {
  it('parses as AsyncAPI 3.0 without error diagnostics', async () => {
    const { document, diagnostics } = await new Parser().parse(committed(ASYNCAPI_FILE));
    const errors = diagnostics.filter((d) => {
      const severity: number = d.severity;
      return severity === ERROR_SEVERITY;
    });
    expect(errors.map((d) => `${d.path.join('/')}: ${d.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('has one message per catalog event, on the exchange its domain publishes to', async () => {
    const { document } = await new Parser().parse(committed(ASYNCAPI_FILE));
    const byChannel = new Map<string, string[]>();
    for (const channel of document?.channels().all() ?? []) {
      byChannel.set(
        channel.address() ?? '',
        channel
          .messages()
          .all()
          .map((m) => m.name() ?? ''),
      );
    }
    const types = Object.keys(EVENT_CATALOG);
    expect(byChannel.get('bookingx.events')).toEqual(
      types.filter((t) => t.startsWith('bookingx.')),
    );
    expect(byChannel.get('crm.events')).toEqual(types.filter((t) => t.startsWith('crm.')));
    const actions = (document?.operations().all() ?? []).map((o) => [
      o.action(),
      o
        .channels()
        .all()
        .map((c) => c.address()),
    ]);
    expect(actions).toEqual([
      ['receive', ['bookingx.events']],
      ['send', ['crm.events']],
    ]);
  });

  it('describes each message as the whole CloudEvents envelope', () => {
    const doc: unknown = parse(committed(ASYNCAPI_FILE));
    const required: unknown = expect.arrayContaining(['specversion', 'id', 'tenantid', 'data']);
    expect(doc).toMatchObject({
      components: {
        messages: {
          'crm.customer.created.v1': {
            contentType: 'application/cloudevents+json',
            payload: {
              schema: {
                properties: {
                  type: { const: 'crm.customer.created.v1' },
                  tenantid: { format: 'uuid' },
                  data: { $ref: '#/components/schemas/CustomerCreatedPayload' },
                },
                required,
              },
            },
          },
        },
      },
    });
  });
});

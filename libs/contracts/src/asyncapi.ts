import { z } from 'zod';
import {
  BOOKINGX_EXCHANGE,
  CRM_EXCHANGE,
  EVENT_CATALOG,
  EVENT_DESCRIPTIONS,
  exchangeOf,
  isEventType,
  type EventType,
} from './events/catalog.js';
import { CLOUDEVENTS_CONTENT_TYPE, EnvelopeBase } from './events/envelope.js';

/** Version of the event catalog; bump with every published change to an event. */
export const EVENTS_VERSION = '0.1.0';

/** The dialect zod emits below and the one @asyncapi/parser validates payloads against. */
export const PAYLOAD_SCHEMA_FORMAT = 'application/schema+json;version=draft-07';

const AMQP_BINDING_VERSION = '0.3.0';

export type JsonObject = Record<string, unknown>;
export type AsyncApiDocument = JsonObject;

interface ChannelSpec {
  key: string;
  exchange: string;
  description: string;
  operation: { key: string; action: 'send' | 'receive'; summary: string; bindings: JsonObject };
}

const CHANNELS: readonly ChannelSpec[] = [
  {
    key: 'bookingxEvents',
    exchange: BOOKINGX_EXCHANGE,
    description:
      'Facts from BookingX: bookings, payments and customers. BookingX publishes them here, and the interactions service publishes the same events for what WordPress posts to `POST /crm/ingest/bookingx`.',
    operation: {
      key: 'receiveBookingxEvents',
      action: 'receive',
      summary: 'The CRM services consume BookingX facts, each through its own queue.',
      bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
    },
  },
  {
    key: 'crmEvents',
    exchange: CRM_EXCHANGE,
    description:
      'Events the CRM services publish about what changed in the CRM, for each other and for any other BookingX service.',
    operation: {
      key: 'sendCrmEvents',
      action: 'send',
      summary:
        'A CRM service publishes an event after the change behind it has committed, from its transactional outbox.',
      bindings: {
        amqp: {
          deliveryMode: 2,
          mandatory: true,
          timestamp: true,
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    },
  },
];

const DESCRIPTION = `The events that cross the Enhanced CRM's message bus (RabbitMQ, AMQP 0-9-1).

## Envelope
Every message is a CloudEvents 1.0 event in structured JSON mode: the AMQP body is the whole envelope and the content type is \`${CLOUDEVENTS_CONTENT_TYPE}\`. \`data\` holds the payload, always JSON. Besides the required attributes (\`specversion\`, \`id\`, \`source\`, \`type\`), the CRM uses:
- \`id\`: a UUIDv7, unique per event; consumers deduplicate on it.
- \`source\`: \`crm/<service>\` for CRM events.
- \`subject\`: the customer id, where the event is about a customer.
- \`time\`: when the change happened, RFC 3339.
- \`tenantid\` (extension, always present): the tenant (BookingX business) the event belongs to.
- \`traceparent\` (extension): W3C trace context of the request or message that caused the event.
- \`sequence\` (extension): the version of the aggregate after this change, as a decimal string; projections drop an event whose sequence is not newer than what they hold.

## Names and routing
Event types are named \`<domain>.<entity>.<past_tense>.v<N>\` (e.g. \`crm.customer.created.v1\`); a breaking change to a payload is a new \`v<N>\`. The routing key is the type, so a queue binds to exactly the types it handles, or to patterns such as \`crm.customer.*.v1\`. The AMQP message also carries \`message_id\` = \`id\`, \`type\` = \`type\`, \`timestamp\`, persistent delivery, and the headers \`x-tenant-id\` and \`traceparent\`.

## Delivery
Delivery is at least once. Each service consumes through one durable quorum queue \`crm.<service>\` with manual acknowledgement and a delivery limit; a message that keeps failing goes to \`crm.<service>.dlq\`, where an admin can inspect and replay it through the API. Consumers record every event id they handled in the same transaction as its effect, so a redelivered event has no second effect.`;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Points zod's local `#/definitions/X` refs at the document's shared `components.schemas`. */
function relink(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relink);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/')
        ? `#/components/schemas/${value.slice('#/definitions/'.length)}`
        : relink(value);
  }
  return out;
}

/**
 * JSON Schema of the whole envelope of one event type. Named schemas (zod `.meta({id})`) go
 * to `shared` once, so a payload used by several events is written once.
 */
function envelopeSchema(type: EventType, shared: Map<string, unknown>): JsonObject {
  const envelope = EnvelopeBase.extend({ type: z.literal(type), data: EVENT_CATALOG[type] });
  // Input side: what a consumer accepts, so fields with defaults are optional and extra
  // attributes (other CloudEvents extensions) are allowed.
  const generated: JsonObject = z.toJSONSchema(envelope, { target: 'draft-07', io: 'input' });
  const { definitions } = generated;
  // `$schema` would repeat what the message's schemaFormat already says.
  const root = Object.fromEntries(
    Object.entries(generated).filter(([key]) => key !== '$schema' && key !== 'definitions'),
  );
  if (isObject(definitions)) {
    for (const [name, definition] of Object.entries(definitions)) {
      const linked = relink(definition);
      const known = shared.get(name);
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(linked)) {
        throw new Error(`Two different schemas carry the id ${name}`);
      }
      shared.set(name, linked);
    }
  }
  const linkedRoot = relink(root);
  if (!isObject(linkedRoot)) throw new Error(`Envelope of ${type} is not an object schema`);
  return linkedRoot;
}

function messageHeaders(requireTenant: boolean): JsonObject {
  return {
    type: 'object',
    properties: {
      'x-tenant-id': {
        type: 'string',
        format: 'uuid',
        description: 'Copy of `tenantid`, to inspect a message without parsing its body.',
      },
      traceparent: {
        type: 'string',
        description: 'Copy of the `traceparent` extension, for AMQP tracing instrumentation.',
      },
    },
    ...(requireTenant ? { required: ['x-tenant-id'] } : {}),
  };
}

function message(type: EventType, shared: Map<string, unknown>): JsonObject {
  return {
    name: type,
    summary: EVENT_DESCRIPTIONS[type],
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    headers: messageHeaders(exchangeOf(type) === CRM_EXCHANGE),
    payload: { schemaFormat: PAYLOAD_SCHEMA_FORMAT, schema: envelopeSchema(type, shared) },
    bindings: { amqp: { messageType: type, bindingVersion: AMQP_BINDING_VERSION } },
  };
}

function sortedEntries(map: Map<string, unknown>): JsonObject {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The AsyncAPI 3.0 document of every event in `EVENT_CATALOG`; deterministic. */
export function buildAsyncApiDocument(): AsyncApiDocument {
  const types = Object.keys(EVENT_CATALOG).filter(isEventType);
  const shared = new Map<string, unknown>();
  const messages: JsonObject = {};
  for (const type of types) messages[type] = message(type, shared);

  const channels: JsonObject = {};
  const operations: JsonObject = {};
  for (const spec of CHANNELS) {
    const own = types.filter((type) => exchangeOf(type) === spec.exchange);
    channels[spec.key] = {
      address: spec.exchange,
      title: spec.exchange,
      description: `${spec.description} Topic exchange; the routing key of each message is its event type.`,
      messages: Object.fromEntries(
        own.map((type) => [type, { $ref: `#/components/messages/${type}` }]),
      ),
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: {
            name: spec.exchange,
            type: 'topic',
            durable: true,
            autoDelete: false,
            vhost: '/',
          },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    };
    operations[spec.operation.key] = {
      action: spec.operation.action,
      channel: { $ref: `#/channels/${spec.key}` },
      summary: spec.operation.summary,
      messages: own.map((type) => ({ $ref: `#/channels/${spec.key}/messages/${type}` })),
      bindings: spec.operation.bindings,
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Enhanced CRM events',
      version: EVENTS_VERSION,
      description: DESCRIPTION,
    },
    defaultContentType: CLOUDEVENTS_CONTENT_TYPE,
    servers: {
      local: {
        host: 'localhost:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description: 'RabbitMQ run locally.',
        security: [{ $ref: '#/components/securitySchemes/amqpUser' }],
      },
    },
    channels,
    operations,
    components: {
      schemas: sortedEntries(shared),
      messages,
      securitySchemes: {
        amqpUser: {
          type: 'userPassword',
          description: 'A RabbitMQ user; each service connects with its own.',
        },
      },
    },
  };
}

import { CLOUDEVENTS_CONTENT_TYPE, EnvelopeBase, type CloudEvent } from './envelope.js';

/** AMQP message properties the CRM sets on every event (structured mode). */
export interface WireProperties {
  contentType: typeof CLOUDEVENTS_CONTENT_TYPE;
  messageId: string;
  type: string;
  timestamp: number;
  persistent: true;
  headers: Record<string, string>;
}

/** CloudEvents has no AMQP binding in the SDK: structured mode, routing key = type. */
export function toWire(event: CloudEvent): {
  routingKey: string;
  content: Buffer;
  properties: WireProperties;
} {
  const headers: Record<string, string> = { 'x-tenant-id': event.tenantid };
  if (event.traceparent) headers.traceparent = event.traceparent;
  return {
    routingKey: event.type,
    content: Buffer.from(JSON.stringify(event), 'utf8'),
    properties: {
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: event.id,
      type: event.type,
      timestamp: Math.floor(Date.parse(event.time) / 1000),
      persistent: true,
      headers,
    },
  };
}

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

/** Parses a structured-mode body into an envelope; payload validation is the consumer's. */
export function fromWire(content: Buffer): CloudEvent {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch {
    throw new MalformedEventError('Message body is not JSON');
  }
  const parsed = EnvelopeBase.safeParse(json);
  if (!parsed.success) {
    throw new MalformedEventError(
      `Not a CloudEvents 1.0 envelope: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

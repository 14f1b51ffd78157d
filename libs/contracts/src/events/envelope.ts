import { z } from 'zod';
import { newId } from '../ids.js';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * CloudEvents 1.0 in structured JSON mode, with the CRM's extensions:
 * `tenantid` (every event), `traceparent` (W3C trace context), `sequence` (aggregate version).
 */
export const EnvelopeBase = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().regex(/^[a-z]+(\.[a-z_]+)+\.v\d+$/),
  subject: z.string().optional(),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json').default('application/json'),
  tenantid: z.uuid(),
  traceparent: z.string().optional(),
  sequence: z
    .string()
    .regex(/^\d+$/)
    .optional()
    .describe('Version of the aggregate after this change, decimal'),
  data: z.unknown(),
});
export type EnvelopeBase = z.infer<typeof EnvelopeBase>;

export interface CloudEvent<TType extends string = string, TData = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: TType;
  subject?: string | undefined;
  time: string;
  datacontenttype: 'application/json';
  tenantid: string;
  traceparent?: string | undefined;
  sequence?: string | undefined;
  data: TData;
}

export interface NewEventInput<TType extends string, TData> {
  type: TType;
  source: string;
  tenantId: string;
  data: TData;
  subject?: string | undefined;
  sequence?: number | bigint | undefined;
  time?: Date | undefined;
  id?: string | undefined;
  traceparent?: string | undefined;
}

export function makeEvent<TType extends string, TData>(
  input: NewEventInput<TType, TData>,
): CloudEvent<TType, TData> {
  const event: CloudEvent<TType, TData> = {
    specversion: '1.0',
    id: input.id ?? newId(),
    source: input.source,
    type: input.type,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    tenantid: input.tenantId,
    data: input.data,
  };
  if (input.subject !== undefined) event.subject = input.subject;
  if (input.sequence !== undefined) event.sequence = String(input.sequence);
  if (input.traceparent !== undefined) event.traceparent = input.traceparent;
  return event;
}

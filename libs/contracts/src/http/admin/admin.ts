import { z } from 'zod';
import { pageOf } from '../../pagination.js';

/** A message a service gave up on after its delivery limit, kept for inspection and replay. */
export const DeadLetter = z
  .object({
    id: z.uuid(),
    queue: z.string().describe('Queue the message was consumed from, e.g. crm.profiles'),
    event_id: z.string().describe('CloudEvents id of the message'),
    event_type: z.string().describe('CloudEvents type of the message'),
    tenant_id: z
      .uuid()
      .nullable()
      .describe('Null when the message was too malformed to name its tenant'),
    reason: z.string().describe('Why the last delivery failed'),
    delivery_count: z.number().int().nonnegative(),
    payload: z
      .unknown()
      .describe('The message body as received: the CloudEvents envelope, or a string if not JSON'),
    dead_lettered_at: z.iso.datetime(),
    replayed_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'DeadLetter' });
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterPage = pageOf(DeadLetter).meta({ id: 'DeadLetterPage' });
export type DeadLetterPage = z.infer<typeof DeadLetterPage>;

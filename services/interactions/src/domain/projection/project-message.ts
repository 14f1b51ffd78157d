import { newId, type TypedEvent } from '@crm/contracts';
import type { Tx } from '@crm/service-kit';
import type { Signal } from '../../db/engagement.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { messageEntry } from '../timeline/entries.js';
import { customerOf, recordInteraction } from './shared.js';

export type MessageEvent = TypedEvent<
  | 'crm.message.sent.v1'
  | 'crm.message.received.v1'
  | 'crm.message.opened.v1'
  | 'crm.message.clicked.v1'
>;

export interface MessageProjection {
  /** An open or a click is recorded as `email_engagement`, not as another message. */
  engagement: boolean;
  /** What the first delivery counts towards the customer's engagement, if anything. */
  signal: Signal | null;
}

/**
 * A message on a tracked channel (chat always): an interaction once per event, an engagement
 * signal the first time, and its timeline entry.
 */
export async function projectMessage(
  deps: InteractionsDeps,
  tx: Tx,
  event: MessageEvent,
  { engagement, signal }: MessageProjection,
): Promise<void> {
  const m = event.data.message;
  const settings = await deps.repositories.settings.effectiveWithin(tx, event.tenantid);
  const tracked =
    (m.channel === 'email' && settings.trackEmails) ||
    (m.channel === 'sms' && settings.trackSms) ||
    (m.channel === 'call' && settings.trackCalls) ||
    m.channel === 'chat';
  if (!tracked) return;
  const customerId = await customerOf(deps, tx, event);
  const at = new Date(event.time);
  const fresh = await recordInteraction(deps, tx, {
    tenantId: event.tenantid,
    id: newId(),
    customerId,
    interactionType: engagement ? 'email_engagement' : m.channel,
    interactionSource: 'comms',
    subject: m.subject,
    bookingId: null,
    staffId: m.actor.type === 'staff' ? m.actor.id : null,
    direction: m.direction,
    outcome: event.type.split('.')[2] ?? null,
    durationMinutes: null,
    amountMinor: null,
    currency: null,
    metadata: {
      message_id: m.id,
      conversation_id: m.conversation_id,
      ...(event.data.link_url ? { link_url: event.data.link_url } : {}),
    },
    interactionDate: at,
    sourceEventId: event.id,
  });
  if (fresh && signal) {
    await deps.repositories.engagement.bump(tx, event.tenantid, customerId, signal, at);
  }
  await deps.repositories.timeline.add(
    tx,
    event.tenantid,
    event.id,
    messageEntry(customerId, event),
  );
}

import { makeEvent, type EventPayload, type UpdateInteractionBody } from '@crm/contracts';
import {
  AppError,
  CursorTime,
  notFound,
  type Executor,
  type Outbox,
  type Principal,
} from '@crm/service-kit';
import { z } from 'zod';
import type { NewInteraction } from '../../db/bookings.repository.js';
import type { InteractionRow, NewInteractionRow } from '../../db/interactions.repository.js';
import type { InteractionsDeps } from '../../deps.js';

/** Where the next page starts: the last interaction's date and id. */
export const InteractionCursor = z.tuple([CursorTime, z.uuid()]);

export function requireStaff(principal: Principal): void {
  if (principal.role === 'customer') {
    throw new AppError('forbidden', 'Customers do not read or write the interaction log');
  }
}

export function columnsOf(body: UpdateInteractionBody): Partial<NewInteractionRow> {
  const c: Partial<NewInteractionRow> = {};
  if (body.subject !== undefined) c.subject = body.subject;
  if (body.description !== undefined) c.description = body.description;
  if (body.direction !== undefined) c.direction = body.direction;
  if (body.duration_minutes !== undefined) c.durationMinutes = body.duration_minutes;
  if (body.outcome !== undefined) c.outcome = body.outcome;
  if (body.interaction_date !== undefined) c.interactionDate = new Date(body.interaction_date);
  if (body.staff_id !== undefined) c.staffId = body.staff_id;
  if (body.metadata !== undefined) c.metadata = body.metadata;
  return c;
}

/** Only the author or an admin edits, and only what staff logged (BookingX facts are facts). */
export async function editableInteraction(
  deps: InteractionsDeps,
  tx: Executor,
  principal: Principal,
  customerId: string,
  id: string,
): Promise<InteractionRow> {
  const resolved = await deps.access.require(tx, principal, customerId);
  const row = await deps.repositories.interactions.find(tx, principal.tenant, resolved, id, true);
  if (!row) throw notFound('Interaction');
  if (row.interactionSource !== 'crm') {
    throw new AppError('forbidden', 'Recorded facts from BookingX and messages cannot be edited');
  }
  if (principal.role !== 'admin' && row.createdBy !== principal.sub) {
    throw new AppError('forbidden', 'Only the author or an admin may change this interaction');
  }
  return row;
}

/** Announces interactions recorded from any source: `crm.interaction.recorded.v1` each. */
export async function publishRecorded(
  outbox: Outbox,
  tx: Executor,
  rows: Omit<NewInteraction, 'sourceEventId' | 'metadata'>[],
): Promise<void> {
  await outbox.append(
    tx,
    rows.map((row) => ({ event: recordedEvent(row) })),
  );
}

function recordedEvent(row: Omit<NewInteraction, 'sourceEventId' | 'metadata'>) {
  const data: EventPayload<'crm.interaction.recorded.v1'> = {
    interaction: {
      id: row.id,
      customer_id: row.customerId,
      interaction_type:
        row.interactionType as EventPayload<'crm.interaction.recorded.v1'>['interaction']['interaction_type'],
      interaction_source: row.interactionSource,
      subject: row.subject,
      booking_id: row.bookingId,
      staff_id: row.staffId,
      direction: row.direction,
      amount:
        row.amountMinor !== null && row.currency !== null
          ? { amount_minor: row.amountMinor, currency: row.currency }
          : null,
      interaction_date: row.interactionDate.toISOString(),
    },
  };
  return makeEvent({
    type: 'crm.interaction.recorded.v1',
    source: 'crm/interactions',
    tenantId: row.tenantId,
    subject: row.customerId,
    data,
  });
}

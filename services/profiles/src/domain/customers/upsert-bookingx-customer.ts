import { lenientPhone, normaliseEmail } from '@crm/contracts';
import { bookingxCustomerId, type BookingxPerson, type CustomerPhone } from '@crm/contracts';
import { type Executor } from '@crm/service-kit';
import { z } from 'zod';
import type { NewCustomerRow } from '../../db/schema.js';
import { recordOf, toCustomerDto, type CustomerRecord } from './customer.js';
import type { ChangeContext } from '../audit/audit-trail.js';
import { BOOKINGX_ACTOR } from './customer-events.js';
import { isValidTimeZone } from './normalise.js';
import { detectType, primaryOf, samePhones, withNumbers, withPrimary } from './phones.js';
import type { CustomersDeps } from './customers-deps.js';

/** Writes columns and the numbers of a locked customer (`phone` follows the primary) and publishes the change. */
async function savePhones(
  deps: CustomersDeps,
  tx: Executor,
  current: CustomerRecord,
  phones: CustomerPhone[],
  columns: Partial<NewCustomerRow>,
  ctx: ChangeContext,
): Promise<void> {
  const { tenantId, id } = current.row;
  const updated = await deps.repo.update(
    tx,
    tenantId,
    id,
    { ...columns, phone: primaryOf(phones) },
    current.row.version,
  );
  if (!updated) return;
  if (!samePhones(phones, current.phones)) await deps.repo.setPhones(tx, tenantId, id, phones);
  await deps.events.changed(
    tx,
    toCustomerDto(current),
    toCustomerDto({ ...current, row: updated, phones }),
    ctx,
  );
}

/**
 * A BookingX customer fact: creates the profile with its derived id, or refreshes the
 * identity fields when the fact is newer than the last one applied.
 */
export async function upsertBookingxCustomer(
  deps: CustomersDeps,
  tx: Executor,
  tenantId: string,
  person: z.infer<typeof BookingxPerson> & { timezone?: string | undefined },
  occurredAt: Date,
  mode: 'profile' | 'booking',
  via: string,
): Promise<void> {
  const ctx: ChangeContext = { actor: BOOKINGX_ACTOR, via };
  if (mode === 'booking' && !deps.settings.autoCreateProfiles) return;
  const derived = bookingxCustomerId(tenantId, person.bookingx_id);
  // A BookingX customer merged away lives on in its survivor, whose fields the merge chose:
  // neither re-create it nor let its BookingX identity overwrite the survivor.
  if (await deps.merges.survivorOf(tx, tenantId, derived)) return;
  const id = derived;
  const identity = {
    firstName: person.first_name.slice(0, 100) || 'Unknown',
    lastName: person.last_name.slice(0, 100),
    email: normaliseEmail(person.email) ?? null,
    phone: lenientPhone(person.phone, deps.settings.phoneRegion),
  };
  const phones: CustomerPhone[] = identity.phone
    ? [{ number: identity.phone, type: detectType(identity.phone), primary: true }]
    : [];
  const created = await deps.repo.insertIfAbsent(tx, {
    ...identity,
    timezone: person.timezone && isValidTimeZone(person.timezone) ? person.timezone : null,
    tenantId,
    id,
    customerStage: deps.settings.defaultStage,
    source: 'bookingx',
    bookingxSyncedAt: occurredAt,
    createdAt: occurredAt,
    updatedAt: occurredAt,
  });
  if (created) {
    await deps.repo.linkExternalRef(tx, tenantId, id, person.bookingx_id);
    await deps.repo.addPhones(tx, tenantId, id, phones);
    await deps.events.created(
      tx,
      toCustomerDto(
        recordOf(created, {
          refs: [{ system: 'bookingx', externalId: person.bookingx_id }],
          phones,
        }),
      ),
      ctx,
    );
    return;
  }
  if (mode === 'booking' && phones.length === 0) return;
  const [current] = await deps.repo.lockMany(tx, { kind: 'tenant', tenantId }, [id]);
  if (!current) return;
  if (mode === 'booking') {
    // A booking changes no identity field (customer events do), but a number booked
    // with is one the customer answers on: it joins their list.
    const next = withNumbers(current.phones, phones);
    if (samePhones(next, current.phones)) return;
    await savePhones(deps, tx, current, next, {}, ctx);
    return;
  }
  if (current.row.bookingxSyncedAt && current.row.bookingxSyncedAt >= occurredAt) return;
  await savePhones(
    deps,
    tx,
    current,
    withPrimary(current.phones, identity.phone),
    { ...identity, bookingxSyncedAt: occurredAt },
    ctx,
  );
}

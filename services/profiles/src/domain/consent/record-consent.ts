import {
  makeEvent,
  newId,
  type ConsentChangedPayload,
  type ConsentRecord,
  type RecordConsentBody,
} from '@crm/contracts';
import { notFound, scopeOf, transaction, type Principal } from '@crm/service-kit';
import type { z } from 'zod';
import { routeContext, SOURCE } from '../customers/customer-events.js';
import { consentHolder, toConsentDto, type Whose } from './consent.js';
import type { ConsentDeps } from './consent-deps.js';

/** A new record for one channel and purpose; the ledger never changes an earlier one. */
export async function recordConsent(
  deps: ConsentDeps,
  principal: Principal,
  whose: Whose,
  body: RecordConsentBody,
): Promise<ConsentRecord> {
  const id = consentHolder(principal, whose);
  const tenant = principal.tenant;
  return transaction(deps.db, async ({ db: tx }) => {
    // The customer's row lock orders records of one customer, so "newest" is well defined.
    const [customer] = await deps.customers.lockMany(tx, scopeOf(principal), [id]);
    if (!customer) throw notFound('Customer');
    const before = (await deps.repo.current(tx, tenant, id)).find(
      (r) => r.channel === body.channel && r.purpose === body.purpose,
    );
    const recordId = newId();
    // Staff write free text here: sealed, so erasing the customer erases it too.
    const note =
      body.note === undefined || body.note === null
        ? null
        : deps.keys.seal(
            await deps.keys.forWrite(tx, tenant, id),
            { tenantId: tenant, customerId: id, field: `consent.${recordId}.note` },
            body.note,
          );
    const row = await deps.repo.insert(tx, {
      tenantId: tenant,
      id: recordId,
      customerId: id,
      channel: body.channel,
      purpose: body.purpose,
      granted: body.granted,
      source: body.source,
      note,
      actorType: principal.role === 'customer' ? 'customer' : 'staff',
      actorId: principal.sub,
      recordedAt: deps.clock(),
    });
    const ctx = routeContext(
      principal,
      whose === 'self' ? 'recordMyConsent' : 'recordCustomerConsent',
    );
    await deps.audit.record(
      tx,
      tenant,
      id,
      [
        {
          field: `consent.${body.channel}.${body.purpose}`,
          oldValue: before?.granted ?? null,
          newValue: body.granted,
        },
      ],
      ctx,
    );
    const dto = { ...toConsentDto(row), note: body.note ?? null };
    const data: z.infer<typeof ConsentChangedPayload> = {
      customer_id: id,
      channel: dto.channel,
      purpose: dto.purpose,
      granted: dto.granted,
      source: dto.source,
      do_not_contact: customer.row.doNotContact,
      recorded_at: dto.recorded_at,
    };
    await deps.outbox.append(tx, {
      event: makeEvent({
        type: 'crm.consent.changed.v1',
        source: SOURCE,
        tenantId: tenant,
        subject: id,
        data,
      }),
    });
    return dto;
  });
}

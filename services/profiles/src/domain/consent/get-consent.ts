import { CONSENT_CHANNELS, CONSENT_PURPOSES, type ConsentState } from '@crm/contracts';
import { notFound, scopeOf, type Principal } from '@crm/service-kit';
import { consentHolder, type Whose } from './consent.js';
import type { ConsentDeps } from './consent-deps.js';

/** What holds now for every channel and purpose: the newest record of each, if any. */
export async function getConsent(
  deps: ConsentDeps,
  principal: Principal,
  whose: Whose,
): Promise<ConsentState> {
  const id = consentHolder(principal, whose);
  const customer = await deps.customers.find(deps.db, scopeOf(principal), id);
  if (!customer) throw notFound('Customer');
  const current = await deps.repo.current(deps.db, principal.tenant, id);
  const consents = CONSENT_CHANNELS.flatMap((channel) =>
    CONSENT_PURPOSES.map((purpose) => {
      const row = current.find((r) => r.channel === channel && r.purpose === purpose);
      return {
        channel,
        purpose,
        granted: row?.granted ?? null,
        source: row?.source ?? null,
        recorded_at: row?.recordedAt.toISOString() ?? null,
      };
    }),
  );
  return { customer_id: id, do_not_contact: customer.row.doNotContact, consents };
}

import { bookingxCustomerId, newId, type TrackBody } from '@crm/contracts';
import { AppError, transaction } from '@crm/service-kit';
import { jwtVerify } from 'jose';
import { pageViews } from '../../db/schema.js';
import type { InteractionsDeps } from '../../deps.js';
import { publishRecorded } from '../interactions/shared.js';
import { visitEntry } from '../timeline/entries.js';

/**
 * Page views from the booking site. A view belongs to a customer only when the site vouches
 * for who it is (an identity token signed with the tenant's ingest secret) and the visitor
 * consented (`consent: true` in that token); otherwise it stays an anonymous visitor's.
 */
export async function trackPageView(
  deps: InteractionsDeps,
  body: TrackBody,
): Promise<{ recorded: 'anonymous' | 'customer' }> {
  const { engagement, timeline } = deps.repositories;
  const settings = await deps.repositories.settings.byTrackingKey(deps.db, body.key);
  if (!settings) throw new AppError('unauthenticated', 'Unknown tracking key');
  if (!settings.trackWebsiteVisits) {
    throw new AppError('forbidden', 'This business does not track website visits');
  }
  const tenantId = settings.tenantId;
  let bookingxId: string | null = null;
  if (body.identity && settings.ingestSecret) {
    bookingxId = await consentedIdentity(body.identity, settings.ingestSecret);
  }
  const occurredAt = body.occurred_at ? new Date(body.occurred_at) : deps.clock();
  return transaction(deps.db, async ({ db: tx }) => {
    const customerId = bookingxId
      ? await deps.customers.aliases.resolve(tx, tenantId, bookingxCustomerId(tenantId, bookingxId))
      : null;
    const id = newId();
    await tx.insert(pageViews).values({
      tenantId,
      id,
      visitorId: body.visitor_id,
      customerId,
      url: body.url,
      referrer: body.referrer ?? null,
      title: body.title ?? null,
      occurredAt,
    });
    if (!customerId) return { recorded: 'anonymous' as const };
    await engagement.bump(tx, tenantId, customerId, 'websiteVisits', occurredAt);
    await timeline.add(
      tx,
      tenantId,
      `page_view:${id}`,
      visitEntry({ id, customerId, url: body.url, title: body.title ?? null, occurredAt }),
    );
    await publishRecorded(deps.outbox, tx, [
      {
        tenantId,
        id,
        customerId,
        interactionType: 'website_visit',
        interactionSource: 'website',
        subject: body.title ?? body.url,
        bookingId: null,
        staffId: null,
        direction: 'inbound',
        outcome: null,
        durationMinutes: null,
        amountMinor: null,
        currency: null,
        interactionDate: occurredAt,
      },
    ]);
    return { recorded: 'customer' as const };
  });
}

/** The BookingX customer id of a valid identity token with consent, else null. */
async function consentedIdentity(token: string, secret: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    if (payload.consent !== true || typeof payload.sub !== 'string' || !/^\d+$/.test(payload.sub)) {
      return null;
    }
    return payload.sub;
  } catch {
    return null;
  }
}

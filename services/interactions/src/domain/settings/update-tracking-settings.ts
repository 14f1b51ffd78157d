import type { TrackingSettings, UpdateTrackingSettingsBody } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import type { SettingsRepository } from '../../db/settings.repository.js';
import type { InteractionsDeps } from '../../deps.js';
import { requireAdmin, toTrackingSettings } from './shared.js';

export async function updateTrackingSettings(
  deps: InteractionsDeps,
  principal: Principal,
  body: UpdateTrackingSettingsBody,
): Promise<TrackingSettings> {
  requireAdmin(principal);
  const changes: Parameters<SettingsRepository['update']>[2] = {};
  if (body.track_bookings !== undefined) changes.trackBookings = body.track_bookings;
  if (body.track_emails !== undefined) changes.trackEmails = body.track_emails;
  if (body.track_sms !== undefined) changes.trackSms = body.track_sms;
  if (body.track_calls !== undefined) changes.trackCalls = body.track_calls;
  if (body.track_website_visits !== undefined) {
    changes.trackWebsiteVisits = body.track_website_visits;
  }
  return toTrackingSettings(
    await deps.repositories.settings.update(deps.db, principal.tenant, changes),
  );
}

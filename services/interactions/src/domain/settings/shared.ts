import type { TrackingSettings } from '@crm/contracts';
import { AppError, type Principal } from '@crm/service-kit';
import type { SettingsRow } from '../../db/settings.repository.js';

/** The spec's tracking settings are for admins only. */
export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new AppError('forbidden', 'Only admins manage tracking');
}

export function toTrackingSettings(row: SettingsRow): TrackingSettings {
  return {
    track_bookings: row.trackBookings,
    track_emails: row.trackEmails,
    track_sms: row.trackSms,
    track_calls: row.trackCalls,
    track_website_visits: row.trackWebsiteVisits,
    tracking_key: row.trackingKey,
    ingest_secret_set: row.ingestSecret !== null,
    updated_at: row.updatedAt.toISOString(),
  };
}

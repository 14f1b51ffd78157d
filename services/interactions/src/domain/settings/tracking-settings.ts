import type {
  IngestCredentials,
  TrackingSettings,
  UpdateTrackingSettingsBody,
} from '@crm/contracts';
import { AppError, type Db, type Principal } from '@crm/service-kit';
import {
  newIngestSecret,
  type SettingsRepository,
  type SettingsRow,
} from '../../db/settings.repository.js';

function toDto(row: SettingsRow): TrackingSettings {
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

/** The spec's tracking settings; admins only. */
export class TrackingSettingsService {
  constructor(
    private readonly db: Db,
    private readonly repo: SettingsRepository,
  ) {}

  private requireAdmin(principal: Principal): void {
    if (principal.role !== 'admin') throw new AppError('forbidden', 'Only admins manage tracking');
  }

  async get(principal: Principal): Promise<TrackingSettings> {
    this.requireAdmin(principal);
    return toDto(await this.repo.ensure(this.db, principal.tenant));
  }

  async update(principal: Principal, body: UpdateTrackingSettingsBody): Promise<TrackingSettings> {
    this.requireAdmin(principal);
    const changes: Parameters<SettingsRepository['update']>[2] = {};
    if (body.track_bookings !== undefined) changes.trackBookings = body.track_bookings;
    if (body.track_emails !== undefined) changes.trackEmails = body.track_emails;
    if (body.track_sms !== undefined) changes.trackSms = body.track_sms;
    if (body.track_calls !== undefined) changes.trackCalls = body.track_calls;
    if (body.track_website_visits !== undefined) {
      changes.trackWebsiteVisits = body.track_website_visits;
    }
    return toDto(await this.repo.update(this.db, principal.tenant, changes));
  }

  /** A new secret, shown once; the old one stops verifying at once. */
  async rotateIngestSecret(principal: Principal): Promise<IngestCredentials> {
    this.requireAdmin(principal);
    const secret = newIngestSecret();
    const row = await this.repo.update(this.db, principal.tenant, { ingestSecret: secret });
    return { tenant_id: principal.tenant, ingest_secret: secret, tracking_key: row.trackingKey };
  }
}

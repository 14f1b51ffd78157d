import { TenantCurrency, TenantLocale, TenantTimeZone } from '@crm/contracts';
import { BaseConfig } from '@crm/service-kit';
import { z } from 'zod';
import { parseByteSize } from './domain/byte-size.js';
import { DEFAULT_CONSOLE_DIR } from './http/console.js';

function upstreamUrl(service: string, port: number) {
  return z
    .url()
    .default(`http://127.0.0.1:${port}`)
    .describe(`Base URL of the ${service} service; the gateway forwards its /crm routes there`);
}

/** What a browser sends in `Origin`: scheme, host and port, nothing after. */
function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

const positiveMs = z.coerce.number().int().min(1);

/** A size such as 512kb or 1mb, as bytes. */
function byteSize(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === undefined) {
        ctx.addIssue({ code: 'custom', message: 'Expected a size such as 512kb or 1mb' });
        return z.NEVER;
      }
      return bytes;
    });
}

/**
 * The kit's keys (database, broker, tokens, ...) and the gateway's own: where each service
 * answers, the edge's limits, the staff directory, the tenant defaults and the development
 * token route.
 */
export const GatewayConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('HTTP port'),
  PROFILES_URL: upstreamUrl('profiles', 8081),
  INTERACTIONS_URL: upstreamUrl('interactions', 8082),
  NOTES_TASKS_URL: upstreamUrl('notes-tasks', 8083),
  COMMS_URL: upstreamUrl('comms', 8084),
  SEGMENTS_URL: upstreamUrl('segments', 8085),
  AUTOMATION_URL: upstreamUrl('automation', 8086),
  ANALYTICS_URL: upstreamUrl('analytics', 8087),
  UPSTREAM_TIMEOUT_MS: positiveMs
    .default(5_000)
    .describe('How long one upstream call may take before the caller gets 504'),
  BREAKER_RESET_MS: positiveMs
    .default(5_000)
    .describe('How long an open breaker answers 503 before letting one probe request through'),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(600)
    .describe('Requests per minute per caller (tenant and subject), or per IP without a token'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    )
    .pipe(
      z.array(
        z.string().refine(isOrigin, 'Expected an origin such as https://app.example.com, no path'),
      ),
    )
    .describe('Comma-separated browser origins allowed to call the API; empty means no CORS'),
  BODY_LIMIT: byteSize('1mb').describe(
    'Largest request body forwarded, e.g. 512kb or 1mb; larger ones get 413',
  ),
  UPLOAD_BODY_LIMIT: byteSize('20mb').describe(
    'Largest raw upload forwarded to a route that takes one (a CSV import); larger ones get 413',
  ),
  CONSOLE_DIR: z
    .string()
    .min(1)
    .default(DEFAULT_CONSOLE_DIR)
    .describe(
      'Folder of the built staff console, served at /crm/app/ (default: apps/console/dist)',
    ),
  TEAM_SEEN_INTERVAL_MS: positiveMs
    .default(120_000)
    .describe(
      "How long a replica trusts what it last read of a staff member: it writes their last_seen_at at most this often, and another replica's deactivation reaches it within this time",
    ),
  TENANT_LOCALE: TenantLocale.default('en-US').describe(
    'Locale (BCP 47) of a tenant that has not set its own in PUT /crm/settings/tenant',
  ),
  TENANT_TIMEZONE: TenantTimeZone.default('UTC').describe(
    'IANA time zone of a tenant that has not set its own',
  ),
  TENANT_CURRENCY: TenantCurrency.default('USD').describe(
    'ISO 4217 currency of a tenant that has not set its own',
  ),
  DEV_TOKENS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe(
      'Serve POST /crm/dev/token, which signs staff tokens for DEV_TENANT_ID for anyone who asks; only with JWT_SECRET, never in production',
    ),
  DEV_TENANT_ID: z.uuid().optional().describe('The tenant POST /crm/dev/token signs tokens for'),
}).superRefine((config, ctx) => {
  if (!config.DEV_TOKENS) return;
  if (config.NODE_ENV === 'production') {
    ctx.addIssue({
      code: 'custom',
      path: ['DEV_TOKENS'],
      message: 'never in production: anyone could sign in as an admin',
    });
  }
  if (config.DEV_TENANT_ID === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['DEV_TENANT_ID'],
      message: 'required with DEV_TOKENS=true: the tenant the tokens are for',
    });
  }
});
export type GatewayConfig = z.infer<typeof GatewayConfig>;

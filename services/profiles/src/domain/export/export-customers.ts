import type { Customer, ExportCustomersQuery } from '@crm/contracts';
import { AppError, type Principal } from '@crm/service-kit';
import { toCustomerDto } from '../customers/customer.js';
import type { ExportDeps } from './export-deps.js';

const BATCH = 500;

const CORE: [string, (c: Customer) => unknown][] = [
  ['id', (c) => c.id],
  ['first_name', (c) => c.first_name],
  ['last_name', (c) => c.last_name],
  ['email', (c) => c.email],
  ['phone', (c) => c.phone],
  // Every number as number:type, the primary (the phone column) first.
  ['phones', (c) => (c.phones ?? []).map((p) => `${p.number}:${p.type}`).join('|')],
  ['timezone', (c) => c.timezone],
  ['locale', (c) => c.locale],
  ['address_line1', (c) => c.address?.line1],
  ['address_line2', (c) => c.address?.line2],
  ['city', (c) => c.address?.city],
  ['region', (c) => c.address?.region],
  ['postal_code', (c) => c.address?.postal_code],
  ['country', (c) => c.address?.country],
  ['company_name', (c) => c.company_name],
  ['job_title', (c) => c.job_title],
  ['website', (c) => c.website],
  ['linkedin_url', (c) => c.linkedin_url],
  ['facebook_url', (c) => c.facebook_url],
  ['instagram_url', (c) => c.instagram_url],
  ['twitter_url', (c) => c.twitter_url],
  ['preferred_contact_method', (c) => c.preferred_contact_method],
  ['preferred_contact_time', (c) => c.preferred_contact_time],
  ['birthday', (c) => c.birthday],
  ['anniversary', (c) => c.anniversary],
  ['referral_source', (c) => c.referral_source],
  ['customer_status', (c) => c.customer_status],
  ['customer_stage', (c) => c.customer_stage],
  ['vip_status', (c) => c.vip_status],
  ['do_not_contact', (c) => c.do_not_contact],
  ['owner_id', (c) => c.owner_id],
  ['team_id', (c) => c.team_id],
  ['tags', (c) => (c.tags ?? []).join('|')],
  ['created_at', (c) => c.created_at],
  ['updated_at', (c) => c.updated_at],
];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(String).join('|');
  return JSON.stringify(value);
}

/**
 * CSV export of a tenant's customers in id order (creation order for CRM-made UUIDv7 ids), read
 * in keyset batches so memory stays flat. Checks before the first byte, so a refusal is still
 * a problem+json answer.
 */
export async function exportCustomers(
  deps: ExportDeps,
  principal: Principal,
  query: ExportCustomersQuery,
): Promise<AsyncIterable<string[]>> {
  if (!deps.enabled) throw new AppError('forbidden', 'Exports are switched off (export_enabled)');
  const definitions = (await deps.fields.list(deps.db, principal.tenant, false)).filter(
    (d) => !d.isSensitive,
  );
  const header = [
    ...CORE.map(([name]) => name),
    ...definitions.map((d) => `custom.${d.fieldName}`),
  ];
  return {
    async *[Symbol.asyncIterator]() {
      yield header;
      let after: string | undefined;
      for (;;) {
        const rows = await deps.customers.scan(
          deps.db,
          principal.tenant,
          {
            status: query.status,
            stage: query.stage,
            vip: query.vip === undefined ? undefined : query.vip === 'true',
          },
          after,
          BATCH,
        );
        for (const record of rows) {
          const c = toCustomerDto(record);
          yield [
            ...CORE.map(([, get]) => cell(get(c))),
            ...definitions.map((d) => cell(c.custom_fields?.[d.fieldName])),
          ];
        }
        const last = rows.at(-1);
        if (!last || rows.length < BATCH) return;
        after = last.row.id;
      }
    },
  };
}

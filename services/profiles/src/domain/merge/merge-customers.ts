import {
  makeEvent,
  type Customer,
  type CustomerMergedPayload,
  type DuplicateSuggestion,
  type MergeCustomersBody,
} from '@crm/contracts';
import {
  AppError,
  notFound,
  type Db,
  type Outbox,
  type Principal,
  matchesIfMatch,
  transaction,
  scopeOf,
} from '@crm/service-kit';
import type { z } from 'zod';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { MergeRepository } from '../../db/merge.repository.js';
import type { NewCustomerRow } from '../../db/schema.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { toCustomerDto, type CustomerRecord } from '../customers/customer.js';
import {
  actorOf,
  routeContext,
  SOURCE,
  type CustomerEvents,
} from '../customers/customer-events.js';
import type { ConsentCopier } from './consent-copier.js';
import type { SensitiveFields } from '../privacy/sensitive-fields.js';
import { primaryOf, samePhones, unitedPhones } from '../customers/phones.js';

/** Columns behind each mergeable API field. */
const COLUMNS: Record<string, (keyof NewCustomerRow)[]> = {
  first_name: ['firstName'],
  last_name: ['lastName'],
  email: ['email'],
  phone: ['phone'],
  timezone: ['timezone'],
  locale: ['locale'],
  address: ['addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country'],
  preferences: ['preferences'],
  profile_picture_url: ['profilePictureUrl'],
  company_name: ['companyName'],
  job_title: ['jobTitle'],
  website: ['website'],
  linkedin_url: ['linkedinUrl'],
  facebook_url: ['facebookUrl'],
  instagram_url: ['instagramUrl'],
  twitter_url: ['twitterUrl'],
  preferred_contact_method: ['preferredContactMethod'],
  preferred_contact_time: ['preferredContactTime'],
  birthday: ['birthday'],
  anniversary: ['anniversary'],
  referral_source: ['referralSource'],
  customer_status: ['customerStatus'],
  customer_stage: ['customerStage'],
  owner_id: ['ownerId'],
  team_id: ['teamId'],
};

function isBlank(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (typeof value === 'object' && Object.keys(value).length === 0)
  );
}

/** Duplicate suggestions and merging customers into a survivor. */
export class CustomerMerge {
  constructor(
    private readonly db: Db,
    private readonly customers: CustomersRepository,
    private readonly merges: MergeRepository,
    private readonly fields: CustomFieldsRepository,
    private readonly consent: ConsentCopier,
    private readonly events: CustomerEvents,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
    private readonly sensitive: SensitiveFields,
  ) {}

  async duplicates(principal: Principal, id: string): Promise<DuplicateSuggestion[]> {
    const scope = scopeOf(principal);
    const found = await this.customers.find(this.db, scope, id);
    if (!found) throw notFound('Customer');
    const { row } = found;
    const rows = await this.merges.duplicates(this.db, scope, {
      id,
      email: row.email,
      phones: found.phones.map((p) => p.number),
      names: [row.firstName, row.lastName, row.companyName ?? ''].join(' ').trim().toLowerCase(),
    });
    return rows
      .map((r) => {
        const reasons: DuplicateSuggestion['reasons'] = [];
        if (r.sameEmail) reasons.push('email');
        if (r.samePhone) reasons.push('phone');
        if (r.nameSimilarity >= 0.3) reasons.push('name');
        const score = Math.max(
          r.sameEmail ? 1 : 0,
          r.samePhone ? 0.9 : 0,
          Math.min(0.6, r.nameSimilarity * 0.6 + (r.nameSimilarity >= 0.99 ? 0.1 : 0)),
        );
        return { customer: r.hit, score: Math.round(score * 100) / 100, reasons };
      })
      .filter((s) => s.reasons.length > 0)
      .sort((a, b) => b.score - a.score || a.customer.id.localeCompare(b.customer.id))
      .slice(0, 20);
  }

  async merge(
    principal: Principal,
    survivorId: string,
    body: MergeCustomersBody,
    ifMatch: string | undefined,
  ): Promise<Customer> {
    const mergeIds = [...new Set(body.merge_ids)];
    if (mergeIds.includes(survivorId)) {
      throw new AppError('validation_failed', 'A customer cannot be merged into itself', [
        { field: 'merge_ids', code: 'self_merge', message: `${survivorId} is the survivor` },
      ]);
    }
    const sources = new Set([survivorId, ...mergeIds]);
    const badChoices = Object.entries(body.field_choices).filter(([, from]) => !sources.has(from));
    if (badChoices.length > 0) {
      throw new AppError(
        'validation_failed',
        'A field choice names a customer outside this merge',
        badChoices.map(([field]) => ({
          field: `field_choices.${field}`,
          code: 'not_in_merge',
          message: 'Choose the survivor or one of merge_ids',
        })),
      );
    }
    const tenant = principal.tenant;
    return transaction(this.db, async ({ db: tx }) => {
      const locked = await this.customers.lockMany(tx, scopeOf(principal), [...sources]);
      const byId = new Map(locked.map((r) => [r.row.id, r]));
      const survivor = byId.get(survivorId);
      if (!survivor) throw notFound('Customer');
      const missing = mergeIds.filter((i) => !byId.has(i));
      if (missing.length > 0) throw notFound(`Customer ${missing.join(', ')}`);
      if (!matchesIfMatch(ifMatch, survivor.row.version)) {
        throw new AppError(
          'precondition_failed',
          `The customer changed since you read it (now version ${survivor.row.version})`,
        );
      }
      const others = mergeIds.map((i) => byId.get(i)).filter((r): r is CustomerRecord => !!r);
      const before = toCustomerDto(survivor);

      const changes: Partial<NewCustomerRow> = {};
      for (const [field, columns] of Object.entries(COLUMNS)) {
        const chosen = body.field_choices[field];
        let source: CustomerRecord | undefined;
        if (chosen !== undefined) source = byId.get(chosen);
        else if (isBlank(before[field as keyof Customer])) {
          source = others.find((o) => !isBlank(toCustomerDto(o)[field as keyof Customer]));
        }
        if (!source || source === survivor) continue;
        // An uploaded picture lives under its customer's id, which the merge removes.
        if (field === 'profile_picture_url' && source.row.profilePictureUrl?.startsWith('/crm/')) {
          continue;
        }
        for (const column of columns) Object.assign(changes, { [column]: source.row[column] });
      }
      // Every number of every customer stays; `phone` chose which one is primary.
      const phones = unitedPhones(
        survivor.phones,
        others.map((o) => o.phones),
        changes.phone ?? null,
      );
      changes.phone = primaryOf(phones);
      if (others.some((o) => o.row.vipStatus)) changes.vipStatus = true;
      if (others.some((o) => o.row.doNotContact)) changes.doNotContact = true;

      const definitions = await this.fields.list(tx, tenant);
      const takeValues: { fieldId: string; from: string }[] = [];
      for (const def of definitions) {
        const chosen = body.field_choices[`custom_fields.${def.fieldName}`];
        if (chosen !== undefined && chosen !== survivorId) {
          takeValues.push({ fieldId: def.id, from: chosen });
        } else if (chosen === undefined && !(def.fieldName in survivor.customFields)) {
          const donor = others.find((o) => def.fieldName in o.customFields);
          if (donor) takeValues.push({ fieldId: def.id, from: donor.row.id });
        }
      }

      const updated = await this.customers.update(
        tx,
        tenant,
        survivorId,
        changes,
        survivor.row.version,
      );
      if (!updated) throw new AppError('precondition_failed', 'The customer changed while merging');
      if (!samePhones(phones, survivor.phones)) {
        await this.customers.setPhones(tx, tenant, survivorId, phones);
      }
      await this.merges.absorb(tx, tenant, survivorId, mergeIds, takeValues);
      // A sensitive value is sealed for its customer: it moves only sealed again for the survivor.
      for (const take of takeValues) {
        const def = definitions.find((d) => d.id === take.fieldId);
        const sealed = def?.isSensitive ? byId.get(take.from)?.customFields[def.fieldName] : null;
        if (!def || sealed === undefined || sealed === null) continue;
        const value = await this.sensitive.reseal(
          tx,
          tenant,
          take.from,
          survivorId,
          def.fieldName,
          sealed,
        );
        await this.fields.setValues(tx, tenant, survivorId, [{ fieldId: def.id, value }]);
      }
      await this.consent.copyMissing(tx, tenant, survivorId, mergeIds, principal);
      await this.merges.recordMerge(tx, tenant, survivorId, mergeIds, principal.sub);

      const [afterRecord] = await this.customers.records(tx, [updated]);
      const after = toCustomerDto(afterRecord ?? survivor);
      const ctx = routeContext(principal, 'mergeCustomers');
      await this.events.changed(tx, before, after, ctx);
      for (const other of others) {
        await this.audit.record(
          tx,
          tenant,
          other.row.id,
          [{ field: 'merged_into', oldValue: null, newValue: survivorId }],
          ctx,
        );
      }
      const data: z.infer<typeof CustomerMergedPayload> = {
        survivor_id: survivorId,
        merged_ids: mergeIds,
        merged_by: actorOf(principal),
      };
      await this.outbox.append(tx, {
        event: makeEvent({
          type: 'crm.customer.merged.v1',
          source: SOURCE,
          tenantId: tenant,
          subject: survivorId,
          sequence: after.version,
          data,
        }),
      });
      const [revealed] = await this.sensitive.reveal(tx, [after]);
      return revealed ?? after;
    });
  }
}

import {
  makeEvent,
  type Customer,
  type CustomerMergedPayload,
  type MergeCustomersBody,
} from '@crm/contracts';
import {
  AppError,
  notFound,
  type Principal,
  matchesIfMatch,
  transaction,
  scopeOf,
} from '@crm/service-kit';
import type { z } from 'zod';
import type { NewCustomerRow } from '../../db/schema.js';
import { toCustomerDto, type CustomerRecord } from '../customers/customer.js';
import { actorOf, routeContext, SOURCE } from '../customers/customer-events.js';
import { primaryOf, samePhones, unitedPhones } from '../customers/phones.js';
import { copyMissingConsent } from './consent-copier.js';
import type { MergeDeps } from './merge-deps.js';

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

/** Merges customers into a survivor: fields chosen or filled from the others, everything
 * hanging off them moved over, the others gone and their ids answering with the survivor. */
export async function mergeCustomers(
  deps: MergeDeps,
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
  return transaction(deps.db, async ({ db: tx }) => {
    const locked = await deps.customers.lockMany(tx, scopeOf(principal), [...sources]);
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
    // The same person's visits: the latest of anyone's is the survivor's last booking.
    const lastBooking = [survivor, ...others]
      .map((r) => r.row.lastBookingAt)
      .reduce<Date | null>((latest, at) => (at && (!latest || at > latest) ? at : latest), null);
    if (lastBooking !== survivor.row.lastBookingAt) changes.lastBookingAt = lastBooking;

    const definitions = await deps.fields.list(tx, tenant);
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

    const updated = await deps.customers.update(
      tx,
      tenant,
      survivorId,
      changes,
      survivor.row.version,
    );
    if (!updated) throw new AppError('precondition_failed', 'The customer changed while merging');
    if (!samePhones(phones, survivor.phones)) {
      await deps.customers.setPhones(tx, tenant, survivorId, phones);
    }
    await deps.repo.absorb(tx, tenant, survivorId, mergeIds, takeValues);
    // A sensitive value is sealed for its customer: it moves only sealed again for the survivor.
    for (const take of takeValues) {
      const def = definitions.find((d) => d.id === take.fieldId);
      const sealed = def?.isSensitive ? byId.get(take.from)?.customFields[def.fieldName] : null;
      if (!def || sealed === undefined || sealed === null) continue;
      const value = await deps.sensitive.reseal(
        tx,
        tenant,
        take.from,
        survivorId,
        def.fieldName,
        sealed,
      );
      await deps.fields.setValues(tx, tenant, survivorId, [{ fieldId: def.id, value }]);
    }
    await copyMissingConsent(deps, tx, tenant, survivorId, mergeIds, principal);
    await deps.repo.recordMerge(tx, tenant, survivorId, mergeIds, principal.sub);

    const [afterRecord] = await deps.customers.records(tx, [updated]);
    const after = toCustomerDto(afterRecord ?? survivor);
    const ctx = routeContext(principal, 'mergeCustomers');
    await deps.events.changed(tx, before, after, ctx);
    for (const other of others) {
      await deps.audit.record(
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
    await deps.outbox.append(tx, {
      event: makeEvent({
        type: 'crm.customer.merged.v1',
        source: SOURCE,
        tenantId: tenant,
        subject: survivorId,
        sequence: after.version,
        data,
      }),
    });
    const [revealed] = await deps.sensitive.reveal(tx, [after]);
    return revealed ?? after;
  });
}

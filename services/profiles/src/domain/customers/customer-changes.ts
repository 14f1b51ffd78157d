import { normaliseEmail } from '@crm/contracts';
import { transaction, scopeOf } from '@crm/service-kit';
import {
  type BulkResult,
  type CreateCustomerBody,
  type Customer,
  type CustomerPhone,
  type UpdateCustomerBody,
} from '@crm/contracts';
import {
  AppError,
  notFound,
  type Executor,
  type Principal,
  matchesIfMatch,
  memo,
} from '@crm/service-kit';
import { MAX_BULK_FILTER_MATCHES } from '@crm/contracts';
import { z } from 'zod';
import type { NewCustomerRow } from '../../db/schema.js';
import { toCustomerDto, type CustomerRecord } from './customer.js';
import type { ChangeContext } from '../audit/audit-trail.js';
import { routeContext } from './customer-events.js';
import { isValidTimeZone, normalisePhone } from './normalise.js';
import { CustomerFilter } from './customer-filter.js';
import { checkPhones, primaryOf, samePhones, withPrimary } from './phones.js';
import { republishCustomers } from './republish-customers.js';
import type { CustomersDeps } from './customers-deps.js';
import { assertKnownStage } from '../stages/lifecycle-stages.js';
import { assigneesOf } from './assignees.js';

export interface CustomerSettings {
  defaultStage: string;
  autoCreateProfiles: boolean;
  phoneRegion: string;
}

export type Writable = Partial<CreateCustomerBody>;

export const uuid = z.uuid();
export function isUuid(value: string): boolean {
  return uuid.safeParse(value).success;
}

export const ASSIGN_ROLES = new Set(['admin', 'manager']);

export function toColumns(body: Writable): Partial<NewCustomerRow> {
  const c: Partial<NewCustomerRow> = {};
  if (body.timezone && !isValidTimeZone(body.timezone)) {
    throw new AppError('validation_failed', 'Unknown time zone', [
      {
        field: 'timezone',
        code: 'invalid_timezone',
        message: `Unknown IANA zone ${body.timezone}`,
      },
    ]);
  }
  const set = <K extends keyof NewCustomerRow>(key: K, value: NewCustomerRow[K] | undefined) => {
    if (value !== undefined) c[key] = value;
  };
  set('firstName', body.first_name);
  set('lastName', body.last_name);
  set('email', normaliseEmail(body.email));
  set('timezone', body.timezone);
  set(
    'locale',
    body.locale === undefined ? undefined : body.locale && Intl.getCanonicalLocales(body.locale)[0],
  );
  if (body.address !== undefined) {
    const a = body.address ?? {};
    c.addressLine1 = a.line1 ?? null;
    c.addressLine2 = a.line2 ?? null;
    c.city = a.city ?? null;
    c.region = a.region ?? null;
    c.postalCode = a.postal_code ?? null;
    c.country = a.country ?? null;
  }
  set('profilePictureUrl', body.profile_picture_url);
  set('companyName', body.company_name);
  set('jobTitle', body.job_title);
  set('website', body.website);
  set('linkedinUrl', body.linkedin_url);
  set('facebookUrl', body.facebook_url);
  set('instagramUrl', body.instagram_url);
  set('twitterUrl', body.twitter_url);
  set('preferredContactMethod', body.preferred_contact_method);
  set('preferredContactTime', body.preferred_contact_time);
  set('birthday', body.birthday);
  set('anniversary', body.anniversary);
  set('referralSource', body.referral_source);
  set('customerStatus', body.customer_status);
  set('customerStage', body.customer_stage);
  set('vipStatus', body.vip_status);
  set('doNotContact', body.do_not_contact);
  set('ownerId', body.owner_id);
  set('teamId', body.team_id);
  return c;
}

/** The numbers after a write, or undefined when the write leaves them alone. */
export function nextPhones(
  body: Writable,
  region: string,
  current: CustomerPhone[],
): CustomerPhone[] | undefined {
  if (body.phones !== undefined && body.phone !== undefined) {
    throw new AppError('validation_failed', 'Send phone or phones, not both', [
      {
        field: 'phone',
        code: 'conflicts_with_phones',
        message: 'phone is the primary of phones; send the whole list in phones instead',
      },
    ]);
  }
  if (body.phones !== undefined) return checkPhones(body.phones, region);
  if (body.phone !== undefined)
    return withPrimary(current, normalisePhone(body.phone, region) ?? null);
  return undefined;
}

/** A write that joins the caller's transaction instead of opening its own (CSV import). */
export interface Within {
  tx: Executor;
  ctx: ChangeContext;
  /** A BookingX customer id: the new customer gets the id derived from it and the ref. */
  bookingxId?: string;
}

/** The customers a bulk action locked; `ids` is null when a filter chose them. */
export interface BulkTargets {
  ids: string[] | null;
  found: CustomerRecord[];
}

export function bulkResult(target: BulkTargets, changed: Set<string>): BulkResult {
  if (target.ids === null) {
    const ids = target.found.map((r) => r.row.id);
    return {
      updated: ids.filter((i) => changed.has(i)),
      unchanged: ids.filter((i) => !changed.has(i)),
      not_found: [],
      matched: ids.length,
    };
  }
  const seen = new Set(target.found.map((r) => r.row.id));
  return {
    updated: target.ids.filter((i) => changed.has(i)),
    unchanged: target.ids.filter((i) => seen.has(i) && !changed.has(i)),
    not_found: target.ids.filter((i) => !seen.has(i)),
  };
}

export function assertMayAssign(principal: Principal, body: Writable): void {
  const assigns =
    body.owner_id !== undefined ||
    body.team_id !== undefined ||
    body.collaborator_ids !== undefined;
  if (assigns && !ASSIGN_ROLES.has(principal.role)) {
    throw new AppError('forbidden', 'Only admins and managers assign customers');
  }
}

export function unknownTags(names: string[], known: { name: string }[]): AppError | null {
  const have = new Set(known.map((t) => t.name.toLowerCase()));
  const missing = names.filter((n) => !have.has(n.toLowerCase()));
  if (missing.length === 0) return null;
  return new AppError(
    'validation_failed',
    'Tags must come from the catalog',
    missing.map((name) => ({
      field: 'add',
      code: 'unknown_tag',
      message: `No tag named "${name}" in the catalog`,
    })),
  );
}

export async function patchCustomer(
  deps: CustomersDeps,
  principal: Principal,
  id: string,
  body: UpdateCustomerBody,
  ifMatch: string | undefined,
  via: 'updateCustomer' | 'updateMe' | 'replaceCustomer',
  within?: Within,
): Promise<Customer> {
  assertMayAssign(principal, body);
  await deps.members.requireActive(deps.db, principal, assigneesOf(body));
  const columns = toColumns(body);
  const replaces = via === 'replaceCustomer';
  const run = async (tx: Executor): Promise<Customer> => {
    const current = await lockOne(deps, tx, principal, id, ifMatch);
    if (body.customer_stage !== undefined && body.customer_stage !== current.row.customerStage) {
      await assertKnownStage(deps.stages, tx, principal.tenant, body.customer_stage);
    }
    if (body.preferences !== undefined) {
      columns.preferences = replaces
        ? body.preferences
        : { ...current.row.preferences, ...body.preferences };
    }
    const phones = nextPhones(body, deps.settings.phoneRegion, current.phones);
    if (phones) columns.phone = primaryOf(phones);
    // A replacement clears the values it leaves out and needs the required ones, as a create.
    const sent = replaces
      ? {
          ...Object.fromEntries(Object.keys(current.customFields).map((name) => [name, null])),
          ...body.custom_fields,
        }
      : body.custom_fields;
    const values = await deps.fieldValues.check(
      tx,
      principal.tenant,
      sent,
      replaces ? 'create' : 'update',
    );
    const updated = await deps.repo.update(tx, principal.tenant, id, columns, current.row.version);
    if (!updated) {
      throw new AppError('precondition_failed', 'The customer changed while you were saving');
    }
    let collaborators = current.collaborators;
    if (body.collaborator_ids !== undefined) {
      collaborators = [...new Set(body.collaborator_ids)];
      await deps.repo.setCollaborators(tx, principal.tenant, id, collaborators);
    }
    if (phones && !samePhones(phones, current.phones)) {
      await deps.repo.setPhones(tx, principal.tenant, id, phones);
    }
    let customFields = current.customFields;
    if (values.length > 0) {
      await deps.fieldsRepo.setValues(
        tx,
        principal.tenant,
        id,
        await deps.fieldValues.seal(tx, principal.tenant, id, values, current.customFields),
      );
      customFields = (await deps.fieldsRepo.valuesOf(tx, principal.tenant, [id])).get(id) ?? {};
    }
    const after = toCustomerDto({
      ...current,
      row: updated,
      collaborators,
      phones: phones ?? current.phones,
      customFields,
    });
    await deps.events.changed(
      tx,
      toCustomerDto(current),
      after,
      within?.ctx ?? routeContext(principal, via),
    );
    return after;
  };
  return within ? run(within.tx) : transaction(deps.db, ({ db }) => run(db));
}

export function filtersOf(deps: CustomersDeps): CustomerFilter {
  return new CustomerFilter(deps.fieldsRepo);
}

/**
 * Locks the customers a bulk action is for: the listed ids, or every customer the caller
 * may change that matches the filter, refused whole when more than the limit match.
 */
export async function lockTargets(
  deps: CustomersDeps,
  tx: Executor,
  principal: Principal,
  body: { customer_ids?: string[] | undefined; filter?: unknown },
): Promise<BulkTargets> {
  const scope = scopeOf(principal);
  if (body.customer_ids !== undefined) {
    const ids = [...new Set(body.customer_ids)];
    return { ids, found: await deps.repo.lockMany(tx, scope, ids) };
  }
  const predicate = await filtersOf(deps).predicate(tx, principal, body.filter, ['filter']);
  const { records, more } = await deps.repo.lockMatching(
    tx,
    scope,
    predicate,
    MAX_BULK_FILTER_MATCHES,
  );
  if (more) {
    throw new AppError(
      'validation_failed',
      `The filter matches more than ${MAX_BULK_FILTER_MATCHES} customers; nothing was changed`,
      [
        {
          field: 'filter',
          code: 'too_many_matches',
          message: `Narrow the filter to at most ${MAX_BULK_FILTER_MATCHES} customers (for example by created_at) and repeat`,
        },
      ],
    );
  }
  return { ids: null, found: records };
}

/** Sets the same columns on many customers in one transaction, each with its own events. */
export async function bulkSet(
  deps: CustomersDeps,
  principal: Principal,
  body: { customer_ids?: string[] | undefined; filter?: unknown },
  changes: Partial<NewCustomerRow>,
  via: 'bulkSetStage' | 'bulkAssign',
  team: { add: string[]; remove: string[] } = { add: [], remove: [] },
): Promise<BulkResult> {
  return transaction(deps.db, async ({ db: tx }) => {
    if (changes.customerStage !== undefined) {
      await assertKnownStage(deps.stages, tx, principal.tenant, changes.customerStage);
    }
    const target = await lockTargets(deps, tx, principal, body);
    const ctx = routeContext(principal, via);
    const updated = new Set<string>();
    for (const record of target.found) {
      const remove = new Set(team.remove);
      const collaborators = [
        ...new Set([...record.collaborators.filter((s) => !remove.has(s)), ...team.add]),
      ];
      const sameTeam =
        collaborators.length === record.collaborators.length &&
        collaborators.every((s) => record.collaborators.includes(s));
      if (!sameTeam) {
        await deps.repo.setCollaborators(tx, principal.tenant, record.row.id, collaborators);
      }
      const updatedRow = await deps.repo.update(
        tx,
        principal.tenant,
        record.row.id,
        changes,
        record.row.version,
      );
      if (!updatedRow) throw new AppError('precondition_failed', 'A customer changed while saving');
      const changed = await deps.events.changed(
        tx,
        toCustomerDto(record),
        toCustomerDto({ ...record, row: updatedRow, collaborators }),
        ctx,
      );
      if (changed.length > 0) updated.add(record.row.id);
    }
    return bulkResult(target, updated);
  });
}

/** Puts and takes tags on locked customers; returns the ones that changed, after the change. */
export async function applyTags(
  deps: CustomersDeps,
  tx: Executor,
  principal: Principal,
  records: CustomerRecord[],
  body: { add: string[]; remove: string[] },
  ctx: ChangeContext,
): Promise<CustomerRecord[]> {
  const tenant = principal.tenant;
  // An import tags row after row with the same few names: each set is read once.
  const byNames = (names: string[]) =>
    names.length === 0
      ? Promise.resolve([])
      : memo(
          tx,
          `tags:${tenant}:${JSON.stringify([...names].sort())}`,
          () => deps.tags.byNames(tx, tenant, names),
          { read: true },
        );
  const toAdd = await byNames(body.add);
  const missing = unknownTags(body.add, toAdd);
  if (missing) throw missing;
  const toRemove = await byNames(body.remove);
  const removeNames = new Set(toRemove.map((t) => t.name));
  const changed: CustomerRecord[] = [];
  for (const record of records) {
    const next = new Set(record.tags.filter((t) => !removeNames.has(t)));
    for (const t of toAdd) next.add(t.name);
    const same = next.size === record.tags.length && record.tags.every((t) => next.has(t));
    if (same) continue;
    await deps.repo.removeTags(
      tx,
      tenant,
      record.row.id,
      toRemove.map((t) => t.id),
    );
    await deps.repo.addTags(
      tx,
      tenant,
      record.row.id,
      toAdd.map((t) => t.id),
    );
    changed.push(record);
  }
  return republishCustomers(deps, tx, tenant, changed, ctx);
}

export async function lockOne(
  deps: CustomersDeps,
  tx: Executor,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
): Promise<CustomerRecord> {
  const [current] = await deps.repo.lockMany(tx, scopeOf(principal), [id]);
  if (!current) throw notFound('Customer');
  if (!matchesIfMatch(ifMatch, current.row.version)) {
    throw new AppError(
      'precondition_failed',
      `The customer changed since you read it (now version ${current.row.version})`,
    );
  }
  return current;
}

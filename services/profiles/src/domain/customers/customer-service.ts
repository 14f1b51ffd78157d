import {
  bookingxCustomerId,
  lenientPhone,
  newId,
  normaliseEmail,
  type BookingxPerson,
  type BulkAssignBody,
  type BulkResult,
  type BulkStageBody,
  type BulkTagsBody,
  type CreateCustomerBody,
  type Customer,
  type CustomerPhone,
  type CustomFieldValue,
  type CustomerTagsBody,
  type ListCustomersQuery,
  type QueryCustomersBody,
  type ReplaceCustomerBody,
  type Page,
  type UpdateCustomerBody,
  type UpdateMeBody,
} from '@crm/contracts';
import {
  AppError,
  CursorTime,
  type Db,
  encodeCursor,
  type Executor,
  invalidCursor,
  matchesIfMatch,
  memo,
  notFound,
  type Principal,
  readCursor,
  transaction,
  scopeOf,
} from '@crm/service-kit';
import { MAX_BULK_FILTER_MATCHES } from '@crm/contracts';
import { z } from 'zod';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomersRepository, SortField } from '../../db/customers.repository.js';
import type { MergeRepository } from '../../db/merge.repository.js';
import type { NewCustomerRow } from '../../db/schema.js';
import type { TagsRepository } from '../../db/tags.repository.js';
import type { CustomFieldValues } from '../custom-fields/custom-field-values.js';
import type { LifecycleStagesService } from '../stages/lifecycle-stages.js';
import { recordOf, toCustomerDto, type CustomerRecord } from './customer.js';
import type { ChangeContext } from '../audit/audit-trail.js';
import { BOOKINGX_ACTOR, routeContext, type CustomerEvents } from './customer-events.js';
import { isValidTimeZone, normalisePhone } from './normalise.js';
import { CustomerFilter } from './customer-filter.js';
import {
  checkPhones,
  detectType,
  primaryOf,
  samePhones,
  withNumbers,
  withPrimary,
} from './phones.js';

/** Where the next page starts: the sort it was issued for, the last customer's sort value and id. */
const CustomerCursor = z.tuple([z.string(), z.string(), z.uuid()]);

/**
 * A replacement as the changes it makes: every field left out set to null, an empty list or
 * its create default. Assignment is changed only where sent, since it is not the profile's.
 */
function replacementOf(body: ReplaceCustomerBody, defaultStage: string): UpdateCustomerBody {
  const phones =
    body.phones ??
    (body.phone === undefined || body.phone === null ? [] : [{ number: body.phone }]);
  return {
    ...body,
    phone: undefined,
    phones,
    email: body.email ?? null,
    timezone: body.timezone ?? null,
    locale: body.locale ?? null,
    address: body.address ?? null,
    preferences: body.preferences ?? {},
    profile_picture_url: body.profile_picture_url ?? null,
    company_name: body.company_name ?? null,
    job_title: body.job_title ?? null,
    website: body.website ?? null,
    linkedin_url: body.linkedin_url ?? null,
    facebook_url: body.facebook_url ?? null,
    instagram_url: body.instagram_url ?? null,
    twitter_url: body.twitter_url ?? null,
    preferred_contact_method: body.preferred_contact_method ?? null,
    preferred_contact_time: body.preferred_contact_time ?? null,
    birthday: body.birthday ?? null,
    anniversary: body.anniversary ?? null,
    referral_source: body.referral_source ?? null,
    customer_status: body.customer_status ?? 'active',
    customer_stage: body.customer_stage ?? defaultStage,
    vip_status: body.vip_status ?? false,
    do_not_contact: body.do_not_contact ?? false,
  };
}

export interface CustomerSettings {
  defaultStage: string;
  autoCreateProfiles: boolean;
  phoneRegion: string;
}

type Writable = Partial<CreateCustomerBody>;

const uuid = z.uuid();
export function isUuid(value: string): boolean {
  return uuid.safeParse(value).success;
}

const ASSIGN_ROLES = new Set(['admin', 'manager']);

function toColumns(body: Writable): Partial<NewCustomerRow> {
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
function nextPhones(
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
interface BulkTargets {
  ids: string[] | null;
  found: CustomerRecord[];
}

function bulkResult(target: BulkTargets, changed: Set<string>): BulkResult {
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

function assertMayAssign(principal: Principal, body: Writable): void {
  const assigns =
    body.owner_id !== undefined ||
    body.team_id !== undefined ||
    body.collaborator_ids !== undefined;
  if (assigns && !ASSIGN_ROLES.has(principal.role)) {
    throw new AppError('forbidden', 'Only admins and managers assign customers');
  }
}

function unknownTags(names: string[], known: { name: string }[]): AppError | null {
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

export class CustomerService {
  constructor(
    private readonly db: Db,
    private readonly repo: CustomersRepository,
    private readonly tags: TagsRepository,
    private readonly stages: LifecycleStagesService,
    private readonly events: CustomerEvents,
    private readonly fieldValues: CustomFieldValues,
    private readonly fieldsRepo: CustomFieldsRepository,
    private readonly merges: MergeRepository,
    private readonly settings: CustomerSettings,
  ) {}

  async create(principal: Principal, body: CreateCustomerBody, within?: Within): Promise<Customer> {
    assertMayAssign(principal, body);
    const columns = toColumns(body);
    const phones = nextPhones(body, this.settings.phoneRegion, []) ?? [];
    columns.phone = primaryOf(phones);
    const bookingxId = within?.bookingxId;
    const run = async (tx: Executor): Promise<Customer> => {
      if (body.customer_stage !== undefined) {
        await this.stages.assertKnown(tx, principal.tenant, body.customer_stage);
      }
      const values = await this.fieldValues.check(
        tx,
        principal.tenant,
        body.custom_fields,
        'create',
      );
      if (
        bookingxId !== undefined &&
        (await this.repo.isErased(
          tx,
          principal.tenant,
          bookingxCustomerId(principal.tenant, bookingxId),
        ))
      ) {
        throw new AppError(
          'conflict',
          `BookingX customer ${bookingxId} was erased and is not created again`,
        );
      }
      const row = await this.repo.insert(tx, {
        ...columns,
        firstName: body.first_name,
        tenantId: principal.tenant,
        id: bookingxId === undefined ? newId() : bookingxCustomerId(principal.tenant, bookingxId),
        customerStage: body.customer_stage ?? this.settings.defaultStage,
        // Whoever creates a customer without naming an owner looks after it.
        ownerId: body.owner_id === undefined ? principal.sub : body.owner_id,
        preferences: body.preferences ?? {},
        source: 'crm',
        // Millisecond times, as cursors carry them; the database default would keep microseconds.
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      // A new customer has no side rows yet: only inserts, and none for an empty list.
      const collaborators = [...new Set(body.collaborator_ids ?? [])];
      if (collaborators.length > 0) {
        await this.repo.setCollaborators(tx, principal.tenant, row.id, collaborators);
      }
      await this.repo.addPhones(tx, principal.tenant, row.id, phones);
      if (bookingxId !== undefined) {
        await this.repo.linkExternalRef(tx, principal.tenant, row.id, bookingxId);
      }
      const refs =
        bookingxId === undefined ? [] : [{ system: 'bookingx' as const, externalId: bookingxId }];
      const sealed = await this.fieldValues.seal(tx, principal.tenant, row.id, values);
      await this.fieldsRepo.setValues(tx, principal.tenant, row.id, sealed);
      // What was just stored is what reading it back gives (check refuses inactive fields).
      const customFields: Record<string, CustomFieldValue> = {};
      sealed.forEach((v, i) => {
        const name = values[i]?.name;
        if (name !== undefined && v.value !== null) customFields[name] = v.value;
      });
      const customer = toCustomerDto(recordOf(row, { collaborators, phones, refs, customFields }));
      await this.events.created(
        tx,
        customer,
        within?.ctx ?? routeContext(principal, 'createCustomer'),
      );
      return this.fieldValues.reveal(tx, customer);
    };
    return within ? run(within.tx) : transaction(this.db, ({ db }) => run(db));
  }

  /** A merged id answers with its survivor, so links to it keep working. */
  async get(principal: Principal, id: string): Promise<Customer> {
    const scope = scopeOf(principal);
    let found = await this.repo.find(this.db, scope, id);
    if (!found) {
      const survivor = await this.merges.survivorOf(this.db, principal.tenant, id);
      if (survivor) found = await this.repo.find(this.db, scope, survivor);
    }
    if (!found) throw notFound('Customer');
    return this.fieldValues.reveal(this.db, toCustomerDto(found));
  }

  async list(principal: Principal, query: ListCustomersQuery): Promise<Page<Customer>> {
    const filter =
      query.filter === undefined
        ? undefined
        : { input: CustomerFilter.fromQuery(query.filter), at: ['query', 'filter'] };
    return this.page(principal, query, filter);
  }

  /** The list with its filter in a body. */
  async query(principal: Principal, body: QueryCustomersBody): Promise<Page<Customer>> {
    const filter = body.filter === undefined ? undefined : { input: body.filter, at: ['filter'] };
    return this.page(
      principal,
      { sort: body.sort, limit: body.limit, cursor: body.cursor },
      filter,
    );
  }

  private async page(
    principal: Principal,
    query: Omit<ListCustomersQuery, 'filter'>,
    filter: { input: unknown; at: string[] } | undefined,
  ): Promise<Page<Customer>> {
    const descending = query.sort.startsWith('-');
    const field = query.sort.replace(/^-/, '') as SortField;
    let after: { value: string; id: string } | undefined;
    if (query.cursor) {
      const [sort, value, id] = readCursor(CustomerCursor, query.cursor);
      const byTime = field === 'created_at' || field === 'updated_at';
      if (sort !== query.sort || (byTime && !CursorTime.safeParse(value).success)) {
        throw invalidCursor();
      }
      after = { value, id };
    }
    const predicate =
      filter === undefined
        ? undefined
        : await this.filters.predicate(this.db, principal, filter.input, filter.at);
    const rows = await this.repo.list(this.db, {
      scope: scopeOf(principal),
      filter: {
        status: query.status,
        stage: query.stage,
        vip: query.vip === undefined ? undefined : query.vip === 'true',
        email: query.email,
        predicate,
      },
      sort: { field, descending },
      limit: query.limit + 1,
      after,
    });
    const page = rows.slice(0, query.limit).map(toCustomerDto);
    const last = page.at(-1);
    const sortValue = (c: Customer): string =>
      field === 'email' ? (c.email ?? '') : field === 'last_name' ? c.last_name : c[field];
    return {
      data: await this.fieldValues.revealAll(this.db, page),
      next_cursor:
        rows.length > query.limit && last
          ? encodeCursor([query.sort, sortValue(last), last.id])
          : null,
    };
  }

  async update(
    principal: Principal,
    id: string,
    body: UpdateCustomerBody,
    ifMatch: string | undefined,
    within?: Within,
  ): Promise<Customer> {
    const after = await this.patch(principal, id, body, ifMatch, 'updateCustomer', within);
    return this.fieldValues.reveal(within?.tx ?? this.db, after);
  }

  /** Every writable field rewritten: what is left out is reset, as `replacementOf` says. */
  async replace(
    principal: Principal,
    id: string,
    body: ReplaceCustomerBody,
    ifMatch: string | undefined,
  ): Promise<Customer> {
    const after = await this.patch(
      principal,
      id,
      replacementOf(body, this.settings.defaultStage),
      ifMatch,
      'replaceCustomer',
    );
    return this.fieldValues.reveal(this.db, after);
  }

  /** A customer changing their own profile; the route has refused every staff-only field. */
  async updateSelf(
    principal: Principal,
    body: UpdateMeBody,
    ifMatch: string | undefined,
  ): Promise<Customer> {
    if (!isUuid(principal.sub)) throw notFound('Customer');
    const after = await this.patch(principal, principal.sub, body, ifMatch, 'updateMe');
    return this.fieldValues.reveal(this.db, after);
  }

  async getSelf(principal: Principal): Promise<Customer> {
    if (!isUuid(principal.sub)) throw notFound('Customer');
    return this.get(principal, principal.sub);
  }

  private async patch(
    principal: Principal,
    id: string,
    body: UpdateCustomerBody,
    ifMatch: string | undefined,
    via: 'updateCustomer' | 'updateMe' | 'replaceCustomer',
    within?: Within,
  ): Promise<Customer> {
    assertMayAssign(principal, body);
    const columns = toColumns(body);
    const replaces = via === 'replaceCustomer';
    const run = async (tx: Executor): Promise<Customer> => {
      const current = await this.lockOne(tx, principal, id, ifMatch);
      if (body.customer_stage !== undefined && body.customer_stage !== current.row.customerStage) {
        await this.stages.assertKnown(tx, principal.tenant, body.customer_stage);
      }
      if (body.preferences !== undefined) {
        columns.preferences = replaces
          ? body.preferences
          : { ...current.row.preferences, ...body.preferences };
      }
      const phones = nextPhones(body, this.settings.phoneRegion, current.phones);
      if (phones) columns.phone = primaryOf(phones);
      // A replacement clears the values it leaves out and needs the required ones, as a create.
      const sent = replaces
        ? {
            ...Object.fromEntries(Object.keys(current.customFields).map((name) => [name, null])),
            ...body.custom_fields,
          }
        : body.custom_fields;
      const values = await this.fieldValues.check(
        tx,
        principal.tenant,
        sent,
        replaces ? 'create' : 'update',
      );
      const updated = await this.repo.update(
        tx,
        principal.tenant,
        id,
        columns,
        current.row.version,
      );
      if (!updated) {
        throw new AppError('precondition_failed', 'The customer changed while you were saving');
      }
      let collaborators = current.collaborators;
      if (body.collaborator_ids !== undefined) {
        collaborators = [...new Set(body.collaborator_ids)];
        await this.repo.setCollaborators(tx, principal.tenant, id, collaborators);
      }
      if (phones && !samePhones(phones, current.phones)) {
        await this.repo.setPhones(tx, principal.tenant, id, phones);
      }
      let customFields = current.customFields;
      if (values.length > 0) {
        await this.fieldsRepo.setValues(
          tx,
          principal.tenant,
          id,
          await this.fieldValues.seal(tx, principal.tenant, id, values, current.customFields),
        );
        customFields = (await this.fieldsRepo.valuesOf(tx, principal.tenant, [id])).get(id) ?? {};
      }
      const after = toCustomerDto({
        ...current,
        row: updated,
        collaborators,
        phones: phones ?? current.phones,
        customFields,
      });
      await this.events.changed(
        tx,
        toCustomerDto(current),
        after,
        within?.ctx ?? routeContext(principal, via),
      );
      return after;
    };
    return within ? run(within.tx) : transaction(this.db, ({ db }) => run(db));
  }

  /**
   * Runs `store` (which writes or removes the picture and returns its URL) in the
   * transaction that points `profile_picture_url` at it, so both change or neither.
   */
  async setPicture(
    principal: Principal,
    id: string,
    ifMatch: string | undefined,
    via: 'putCustomerPicture' | 'deleteCustomerPicture',
    store: (tx: Executor) => Promise<string | null>,
  ): Promise<Customer> {
    return transaction(this.db, async ({ db: tx }) => {
      const current = await this.lockOne(tx, principal, id, ifMatch);
      const url = await store(tx);
      const updated = await this.repo.update(
        tx,
        principal.tenant,
        id,
        { profilePictureUrl: url },
        current.row.version,
      );
      if (!updated) throw new AppError('precondition_failed', 'The customer changed while saving');
      const after = toCustomerDto({ ...current, row: updated });
      await this.events.changed(tx, toCustomerDto(current), after, routeContext(principal, via));
      return this.fieldValues.reveal(tx, after);
    });
  }

  async changeTags(
    principal: Principal,
    id: string,
    body: CustomerTagsBody,
    ifMatch: string | undefined,
    within?: Within,
  ): Promise<Customer> {
    const run = async (tx: Executor): Promise<Customer> => {
      const current = await this.lockOne(tx, principal, id, ifMatch);
      const [after] = await this.applyTags(
        tx,
        principal,
        [current],
        body,
        within?.ctx ?? routeContext(principal, 'setCustomerTags'),
      );
      return this.fieldValues.reveal(tx, toCustomerDto(after ?? current));
    };
    return within ? run(within.tx) : transaction(this.db, ({ db }) => run(db));
  }

  async bulkTags(principal: Principal, body: BulkTagsBody): Promise<BulkResult> {
    return transaction(this.db, async ({ db: tx }) => {
      const target = await this.lockTargets(tx, principal, body);
      const changed = await this.applyTags(
        tx,
        principal,
        target.found,
        body,
        routeContext(principal, 'bulkTagCustomers'),
      );
      return bulkResult(target, new Set(changed.map((r) => r.row.id)));
    });
  }

  private get filters(): CustomerFilter {
    return new CustomerFilter(this.fieldsRepo);
  }

  /**
   * Locks the customers a bulk action is for: the listed ids, or every customer the caller
   * may change that matches the filter, refused whole when more than the limit match.
   */
  private async lockTargets(
    tx: Executor,
    principal: Principal,
    body: { customer_ids?: string[] | undefined; filter?: unknown },
  ): Promise<BulkTargets> {
    const scope = scopeOf(principal);
    if (body.customer_ids !== undefined) {
      const ids = [...new Set(body.customer_ids)];
      return { ids, found: await this.repo.lockMany(tx, scope, ids) };
    }
    const predicate = await this.filters.predicate(tx, principal, body.filter, ['filter']);
    const { records, more } = await this.repo.lockMatching(
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

  async bulkStage(principal: Principal, body: BulkStageBody): Promise<BulkResult> {
    return this.bulkSet(principal, body, { customerStage: body.customer_stage }, 'bulkSetStage');
  }

  async bulkAssign(principal: Principal, body: BulkAssignBody): Promise<BulkResult> {
    const changes: Partial<NewCustomerRow> = {};
    if (body.owner_id !== undefined) changes.ownerId = body.owner_id;
    if (body.team_id !== undefined) changes.teamId = body.team_id;
    return this.bulkSet(principal, body, changes, 'bulkAssign', {
      add: body.add_collaborators ?? [],
      remove: body.remove_collaborators ?? [],
    });
  }

  /** Sets the same columns on many customers in one transaction, each with its own events. */
  private async bulkSet(
    principal: Principal,
    body: { customer_ids?: string[] | undefined; filter?: unknown },
    changes: Partial<NewCustomerRow>,
    via: 'bulkSetStage' | 'bulkAssign',
    team: { add: string[]; remove: string[] } = { add: [], remove: [] },
  ): Promise<BulkResult> {
    return transaction(this.db, async ({ db: tx }) => {
      if (changes.customerStage !== undefined) {
        await this.stages.assertKnown(tx, principal.tenant, changes.customerStage);
      }
      const target = await this.lockTargets(tx, principal, body);
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
          await this.repo.setCollaborators(tx, principal.tenant, record.row.id, collaborators);
        }
        const updatedRow = await this.repo.update(
          tx,
          principal.tenant,
          record.row.id,
          changes,
          record.row.version,
        );
        if (!updatedRow)
          throw new AppError('precondition_failed', 'A customer changed while saving');
        const changed = await this.events.changed(
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
  private async applyTags(
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
            () => this.tags.byNames(tx, tenant, names),
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
      await this.repo.removeTags(
        tx,
        tenant,
        record.row.id,
        toRemove.map((t) => t.id),
      );
      await this.repo.addTags(
        tx,
        tenant,
        record.row.id,
        toAdd.map((t) => t.id),
      );
      changed.push(record);
    }
    return this.republish(tx, tenant, changed, ctx);
  }

  /**
   * After a side table of these customers changed (tags, a renamed or deleted tag): a new
   * version of each and `crm.customer.updated.v1` with what changed.
   */
  async republish(
    tx: Executor,
    tenantId: string,
    before: CustomerRecord[],
    ctx: ChangeContext,
  ): Promise<CustomerRecord[]> {
    if (before.length === 0) return [];
    const rows = await this.repo.bumpVersions(
      tx,
      tenantId,
      before.map((r) => r.row.id),
    );
    const after = await this.repo.records(tx, rows);
    const byId = new Map(before.map((r) => [r.row.id, r]));
    for (const record of after) {
      const old = byId.get(record.row.id);
      if (old) await this.events.changed(tx, toCustomerDto(old), toCustomerDto(record), ctx);
    }
    return after;
  }

  /** Tenant-wide, for catalog changes that touch every customer carrying a tag. */
  async lockForCatalog(tx: Executor, tenantId: string, ids: string[]): Promise<CustomerRecord[]> {
    return this.repo.lockMany(tx, { kind: 'tenant', tenantId }, ids);
  }

  private async lockOne(
    tx: Executor,
    principal: Principal,
    id: string,
    ifMatch: string | undefined,
  ): Promise<CustomerRecord> {
    const [current] = await this.repo.lockMany(tx, scopeOf(principal), [id]);
    if (!current) throw notFound('Customer');
    if (!matchesIfMatch(ifMatch, current.row.version)) {
      throw new AppError(
        'precondition_failed',
        `The customer changed since you read it (now version ${current.row.version})`,
      );
    }
    return current;
  }

  /**
   * A BookingX customer fact: creates the profile with its derived id, or refreshes the
   * identity fields when the fact is newer than the last one applied.
   */
  async upsertFromBookingx(
    tx: Executor,
    tenantId: string,
    person: z.infer<typeof BookingxPerson> & { timezone?: string | undefined },
    occurredAt: Date,
    mode: 'profile' | 'booking',
    via: string,
  ): Promise<void> {
    const ctx: ChangeContext = { actor: BOOKINGX_ACTOR, via };
    if (mode === 'booking' && !this.settings.autoCreateProfiles) return;
    const derived = bookingxCustomerId(tenantId, person.bookingx_id);
    // A BookingX customer merged away lives on in its survivor, whose fields the merge chose:
    // neither re-create it nor let its BookingX identity overwrite the survivor.
    if (await this.merges.survivorOf(tx, tenantId, derived)) return;
    const id = derived;
    const identity = {
      firstName: person.first_name.slice(0, 100) || 'Unknown',
      lastName: person.last_name.slice(0, 100),
      email: normaliseEmail(person.email) ?? null,
      phone: lenientPhone(person.phone, this.settings.phoneRegion),
    };
    const phones: CustomerPhone[] = identity.phone
      ? [{ number: identity.phone, type: detectType(identity.phone), primary: true }]
      : [];
    const created = await this.repo.insertIfAbsent(tx, {
      ...identity,
      timezone: person.timezone && isValidTimeZone(person.timezone) ? person.timezone : null,
      tenantId,
      id,
      customerStage: this.settings.defaultStage,
      source: 'bookingx',
      bookingxSyncedAt: occurredAt,
      createdAt: occurredAt,
      updatedAt: occurredAt,
    });
    if (created) {
      await this.repo.linkExternalRef(tx, tenantId, id, person.bookingx_id);
      await this.repo.addPhones(tx, tenantId, id, phones);
      await this.events.created(
        tx,
        toCustomerDto(
          recordOf(created, {
            refs: [{ system: 'bookingx', externalId: person.bookingx_id }],
            phones,
          }),
        ),
        ctx,
      );
      return;
    }
    if (mode === 'booking' && phones.length === 0) return;
    const [current] = await this.repo.lockMany(tx, { kind: 'tenant', tenantId }, [id]);
    if (!current) return;
    if (mode === 'booking') {
      // A booking changes no identity field (customer events do), but a number booked
      // with is one the customer answers on: it joins their list.
      const next = withNumbers(current.phones, phones);
      if (samePhones(next, current.phones)) return;
      await this.savePhones(tx, current, next, {}, ctx);
      return;
    }
    if (current.row.bookingxSyncedAt && current.row.bookingxSyncedAt >= occurredAt) return;
    await this.savePhones(
      tx,
      current,
      withPrimary(current.phones, identity.phone),
      { ...identity, bookingxSyncedAt: occurredAt },
      ctx,
    );
  }

  /** Writes columns and the numbers of a locked customer (`phone` follows the primary) and publishes the change. */
  private async savePhones(
    tx: Executor,
    current: CustomerRecord,
    phones: CustomerPhone[],
    columns: Partial<NewCustomerRow>,
    ctx: ChangeContext,
  ): Promise<void> {
    const { tenantId, id } = current.row;
    const updated = await this.repo.update(
      tx,
      tenantId,
      id,
      { ...columns, phone: primaryOf(phones) },
      current.row.version,
    );
    if (!updated) return;
    if (!samePhones(phones, current.phones)) await this.repo.setPhones(tx, tenantId, id, phones);
    await this.events.changed(
      tx,
      toCustomerDto(current),
      toCustomerDto({ ...current, row: updated, phones }),
      ctx,
    );
  }
}

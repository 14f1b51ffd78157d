import {
  bookingxCustomerId,
  decodeCursor,
  encodeCursor,
  makeEvent,
  newId,
  type BookingxPerson,
  type CreateCustomerBody,
  type Customer,
  type ListCustomersQuery,
  type Page,
  type UpdateCustomerBody,
} from '@crm/contracts';
import {
  AppError,
  notFound,
  type Db,
  type Executor,
  type Outbox,
  type Principal,
} from '@crm/service-kit';
import type { z } from 'zod';
import type { CustomersRepository, SortField } from '../../db/customers.repository.js';
import type { CustomerRow, NewCustomerRow } from '../../db/schema.js';
import { scopeOf } from './access.js';
import { toCustomerDto, versionsFromIfMatch } from './customer.js';
import { isValidTimeZone, lenientPhone, normaliseEmail, normalisePhone } from './normalise.js';

const SOURCE = 'crm/profiles';

export interface CustomerSettings {
  defaultStage: string;
  autoCreateProfiles: boolean;
  phoneRegion: string;
}

type Writable = Partial<CreateCustomerBody>;

const CREATE_ROLES = new Set(['admin', 'manager', 'sales_rep']);
const UPDATE_ROLES = new Set(['admin', 'manager', 'sales_rep']);
const ASSIGN_ROLES = new Set(['admin', 'manager']);

function toColumns(body: Writable, region: string): Partial<NewCustomerRow> {
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
  set('phone', normalisePhone(body.phone, region));
  set('timezone', body.timezone);
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

/** Names of the API fields whose stored value differs between two rows. */
function changedFields(before: CustomerRow, after: CustomerRow): string[] {
  const a = toCustomerDto({ row: before, refs: [] });
  const b = toCustomerDto({ row: after, refs: [] });
  const ignore = new Set(['version', 'updated_at', 'external_refs']);
  return (Object.keys(b) as (keyof Customer)[]).filter(
    (k) => !ignore.has(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]),
  );
}

export class CustomerService {
  constructor(
    private readonly db: Db,
    private readonly repo: CustomersRepository,
    private readonly outbox: Outbox,
    private readonly settings: CustomerSettings,
  ) {}

  async create(principal: Principal, body: CreateCustomerBody): Promise<Customer> {
    if (!CREATE_ROLES.has(principal.role)) {
      throw new AppError('forbidden', 'Your role cannot create customers');
    }
    if (
      (body.owner_id !== undefined || body.team_id !== undefined) &&
      !ASSIGN_ROLES.has(principal.role)
    ) {
      throw new AppError('forbidden', 'Only admins and managers assign customers');
    }
    const columns = toColumns(body, this.settings.phoneRegion);
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insert(tx, {
        ...columns,
        firstName: body.first_name,
        tenantId: principal.tenant,
        id: newId(),
        customerStage: body.customer_stage ?? this.settings.defaultStage,
        // Whoever creates a customer without naming an owner looks after it.
        ownerId: body.owner_id === undefined ? principal.sub : body.owner_id,
        source: 'crm',
      });
      const customer = toCustomerDto({ row, refs: [] });
      await this.publishCreated(tx, customer);
      return customer;
    });
  }

  async get(principal: Principal, id: string): Promise<Customer> {
    const found = await this.repo.find(this.db, scopeOf(principal), id);
    if (!found) throw notFound('Customer');
    return toCustomerDto(found);
  }

  async list(principal: Principal, query: ListCustomersQuery): Promise<Page<Customer>> {
    const descending = query.sort.startsWith('-');
    const field = query.sort.replace(/^-/, '') as SortField;
    let after: { value: string; id: string } | undefined;
    if (query.cursor) {
      const key = decodeCursor(query.cursor);
      if (
        !key ||
        key.length !== 3 ||
        key[0] !== query.sort ||
        typeof key[1] !== 'string' ||
        typeof key[2] !== 'string'
      ) {
        throw new AppError('validation_failed', 'The cursor does not belong to this query', [
          {
            field: 'query.cursor',
            code: 'invalid_cursor',
            message: 'Start again without a cursor',
          },
        ]);
      }
      after = { value: key[1], id: key[2] };
    }
    const rows = await this.repo.list(this.db, {
      scope: scopeOf(principal),
      filter: {
        status: query.status,
        stage: query.stage,
        vip: query.vip === undefined ? undefined : query.vip === 'true',
        email: query.email,
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
      data: page,
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
  ): Promise<Customer> {
    if (!UPDATE_ROLES.has(principal.role)) {
      throw new AppError('forbidden', 'Your role cannot change customer profiles');
    }
    if (
      (body.owner_id !== undefined || body.team_id !== undefined) &&
      !ASSIGN_ROLES.has(principal.role)
    ) {
      throw new AppError('forbidden', 'Only admins and managers assign customers');
    }
    const columns = toColumns(body, this.settings.phoneRegion);
    return this.db.transaction(async (tx) => {
      const current = await this.repo.find(tx, scopeOf(principal), id);
      if (!current) throw notFound('Customer');
      if (ifMatch !== undefined && ifMatch.trim() !== '*') {
        const versions = versionsFromIfMatch(ifMatch);
        if (!versions.includes(current.row.version)) {
          throw new AppError(
            'precondition_failed',
            `The customer changed since you read it (now version ${current.row.version})`,
          );
        }
      }
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
      const customer = toCustomerDto({ row: updated, refs: current.refs });
      const changed = changedFields(current.row, updated);
      if (changed.length > 0) await this.publishUpdated(tx, customer, changed);
      return customer;
    });
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
  ): Promise<void> {
    if (mode === 'booking' && !this.settings.autoCreateProfiles) return;
    const id = bookingxCustomerId(tenantId, person.bookingx_id);
    const identity = {
      firstName: person.first_name.slice(0, 100) || 'Unknown',
      lastName: person.last_name.slice(0, 100),
      email: normaliseEmail(person.email) ?? null,
      phone: lenientPhone(person.phone, this.settings.phoneRegion),
    };
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
      await this.publishCreated(
        tx,
        toCustomerDto({
          row: created,
          refs: [{ system: 'bookingx', externalId: person.bookingx_id }],
        }),
      );
      return;
    }
    // Bookings only create missing profiles; identity changes come from customer events.
    if (mode === 'booking') return;
    const current = await this.repo.findForUpdate(tx, tenantId, id);
    if (!current) return;
    if (current.bookingxSyncedAt && current.bookingxSyncedAt >= occurredAt) return;
    const updated = await this.repo.update(
      tx,
      tenantId,
      id,
      { ...identity, bookingxSyncedAt: occurredAt },
      current.version,
    );
    if (!updated) return;
    const changed = changedFields(current, updated);
    if (changed.length === 0) return;
    const refs = await this.repo.refsOf(tx, tenantId, [id]);
    await this.publishUpdated(
      tx,
      toCustomerDto({ row: updated, refs: refs.get(id) ?? [] }),
      changed,
    );
  }

  private async publishCreated(tx: Executor, customer: Customer): Promise<void> {
    await this.outbox.append(tx, {
      event: makeEvent({
        type: 'crm.customer.created.v1',
        source: SOURCE,
        tenantId: customer.tenant_id,
        subject: customer.id,
        sequence: customer.version,
        data: { customer },
      }),
    });
  }

  private async publishUpdated(tx: Executor, customer: Customer, changed: string[]): Promise<void> {
    await this.outbox.append(tx, {
      event: makeEvent({
        type: 'crm.customer.updated.v1',
        source: SOURCE,
        tenantId: customer.tenant_id,
        subject: customer.id,
        sequence: customer.version,
        data: { customer, changed_fields: changed },
      }),
    });
  }
}

import {
  CONSENT_CHANNELS,
  CONSENT_PURPOSES,
  makeEvent,
  newId,
  type ConsentChangedPayload,
  type ConsentRecord,
  type ConsentState,
  type Page,
  type RecordConsentBody,
} from '@crm/contracts';
import {
  CursorTime,
  type Db,
  encodeCursor,
  notFound,
  type Outbox,
  type Principal,
  readCursor,
  transaction,
  scopeOf,
} from '@crm/service-kit';
import { z } from 'zod';
import type { ConsentRepository } from '../../db/consent.repository.js';
import type { CustomersRepository } from '../../db/customers.repository.js';
import type { ConsentRow } from '../../db/schema.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { routeContext, SOURCE } from '../customers/customer-events.js';
import { undecryptable, type CustomerKeys } from '../privacy/customer-keys.js';
import { isSealed, type DataKey } from '../privacy/field-crypto.js';
import { isUuid } from '../customers/customer-changes.js';

/** Where the next page starts: the last record's time and id. */
const ConsentCursor = z.tuple([CursorTime, z.uuid()]);

/** Whose consent: the caller's own (`/me`) or a customer's by id. */
export type Whose = 'self' | { customerId: string };

export function toConsentDto(row: ConsentRow): ConsentRecord {
  return {
    id: row.id,
    customer_id: row.customerId,
    channel: row.channel as ConsentRecord['channel'],
    purpose: row.purpose as ConsentRecord['purpose'],
    granted: row.granted,
    source: row.source,
    note: row.note,
    recorded_at: row.recordedAt.toISOString(),
    recorded_by: { type: row.actorType as ConsentRecord['recorded_by']['type'], id: row.actorId },
  };
}

/**
 * The consent ledger. Records are only ever added; what holds now is the newest record of
 * each channel and purpose. Comms checks it, with do_not_contact, at send time.
 */
export class ConsentLedger {
  constructor(
    private readonly db: Db,
    private readonly repo: ConsentRepository,
    private readonly customers: CustomersRepository,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
    private readonly keys: CustomerKeys,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A record's note in clear; null once the customer's key is destroyed. */
  private openNote(row: ConsentRow, dataKey: DataKey | undefined): string | null {
    if (!isSealed(row.note)) return row.note;
    if (!dataKey) return null;
    const ctx = {
      tenantId: row.tenantId,
      customerId: row.customerId,
      field: `consent.${row.id}.note`,
    };
    try {
      return this.keys.open(dataKey, ctx, row.note) as string;
    } catch (err) {
      throw undecryptable(err) ?? err;
    }
  }

  /** The customer a caller means: their own for `/me`, any they may see otherwise. */
  private target(principal: Principal, whose: Whose): string {
    if (whose === 'self') {
      if (!isUuid(principal.sub)) throw notFound('Customer');
      return principal.sub;
    }
    return whose.customerId;
  }

  async state(principal: Principal, whose: Whose): Promise<ConsentState> {
    const id = this.target(principal, whose);
    const customer = await this.customers.find(this.db, scopeOf(principal), id);
    if (!customer) throw notFound('Customer');
    const current = await this.repo.current(this.db, principal.tenant, id);
    const consents = CONSENT_CHANNELS.flatMap((channel) =>
      CONSENT_PURPOSES.map((purpose) => {
        const row = current.find((r) => r.channel === channel && r.purpose === purpose);
        return {
          channel,
          purpose,
          granted: row?.granted ?? null,
          source: row?.source ?? null,
          recorded_at: row?.recordedAt.toISOString() ?? null,
        };
      }),
    );
    return { customer_id: id, do_not_contact: customer.row.doNotContact, consents };
  }

  async history(
    principal: Principal,
    customerId: string,
    query: { limit: number; cursor?: string | undefined },
  ): Promise<Page<ConsentRecord>> {
    const customer = await this.customers.find(this.db, scopeOf(principal), customerId);
    if (!customer) throw notFound('Customer');
    let before: { at: Date; id: string } | undefined;
    if (query.cursor) {
      const [at, id] = readCursor(ConsentCursor, query.cursor);
      before = { at, id };
    }
    const rows = await this.repo.history(this.db, principal.tenant, customerId, {
      before,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const dataKey = (await this.keys.forRead(this.db, principal.tenant, [customerId])).get(
      customerId,
    );
    return {
      data: page.map((row) => ({ ...toConsentDto(row), note: this.openNote(row, dataKey) })),
      next_cursor:
        rows.length > query.limit && last
          ? encodeCursor([last.recordedAt.toISOString(), last.id])
          : null,
    };
  }

  async record(
    principal: Principal,
    whose: Whose,
    body: RecordConsentBody,
  ): Promise<ConsentRecord> {
    const id = this.target(principal, whose);
    const tenant = principal.tenant;
    return transaction(this.db, async ({ db: tx }) => {
      // The customer's row lock orders records of one customer, so "newest" is well defined.
      const [customer] = await this.customers.lockMany(tx, scopeOf(principal), [id]);
      if (!customer) throw notFound('Customer');
      const before = (await this.repo.current(tx, tenant, id)).find(
        (r) => r.channel === body.channel && r.purpose === body.purpose,
      );
      const recordId = newId();
      // Staff write free text here: sealed, so erasing the customer erases it too.
      const note =
        body.note === undefined || body.note === null
          ? null
          : this.keys.seal(
              await this.keys.forWrite(tx, tenant, id),
              { tenantId: tenant, customerId: id, field: `consent.${recordId}.note` },
              body.note,
            );
      const row = await this.repo.insert(tx, {
        tenantId: tenant,
        id: recordId,
        customerId: id,
        channel: body.channel,
        purpose: body.purpose,
        granted: body.granted,
        source: body.source,
        note,
        actorType: principal.role === 'customer' ? 'customer' : 'staff',
        actorId: principal.sub,
        recordedAt: this.clock(),
      });
      const ctx = routeContext(
        principal,
        whose === 'self' ? 'recordMyConsent' : 'recordCustomerConsent',
      );
      await this.audit.record(
        tx,
        tenant,
        id,
        [
          {
            field: `consent.${body.channel}.${body.purpose}`,
            oldValue: before?.granted ?? null,
            newValue: body.granted,
          },
        ],
        ctx,
      );
      const dto = { ...toConsentDto(row), note: body.note ?? null };
      const data: z.infer<typeof ConsentChangedPayload> = {
        customer_id: id,
        channel: dto.channel,
        purpose: dto.purpose,
        granted: dto.granted,
        source: dto.source,
        do_not_contact: customer.row.doNotContact,
        recorded_at: dto.recorded_at,
      };
      await this.outbox.append(tx, {
        event: makeEvent({
          type: 'crm.consent.changed.v1',
          source: SOURCE,
          tenantId: tenant,
          subject: id,
          data,
        }),
      });
      return dto;
    });
  }
}

import {
  newId,
  type Interaction,
  type ListInteractionsQuery,
  type LogInteractionBody,
  type Page,
  type UpdateInteractionBody,
} from '@crm/contracts';
import {
  AppError,
  CursorTime,
  notFound,
  type CustomerAccess,
  type Db,
  encodeCursor,
  type Executor,
  matchesIfMatch,
  type Outbox,
  type Principal,
  readCursor,
  transaction,
} from '@crm/service-kit';
import { z } from 'zod';
import {
  toInteractionDto,
  type InteractionsRepository,
  type NewInteractionRow,
} from '../../db/interactions.repository.js';
import type { SettingsRepository, TrackingDefaults } from '../../db/settings.repository.js';
import type { TimelineRepository } from '../../db/timeline.repository.js';
import { publishRecorded } from '../projection/projector.js';
import { loggedInteractionEntry } from '../timeline/entries.js';

/** Where the next page starts: the last interaction's date and id. */
const InteractionCursor = z.tuple([CursorTime, z.uuid()]);

const TRACKED_BY: Partial<Record<string, keyof TrackingDefaults>> = {
  call: 'trackCalls',
  email: 'trackEmails',
  sms: 'trackSms',
};

function columnsOf(body: UpdateInteractionBody): Partial<NewInteractionRow> {
  const c: Partial<NewInteractionRow> = {};
  if (body.subject !== undefined) c.subject = body.subject;
  if (body.description !== undefined) c.description = body.description;
  if (body.direction !== undefined) c.direction = body.direction;
  if (body.duration_minutes !== undefined) c.durationMinutes = body.duration_minutes;
  if (body.outcome !== undefined) c.outcome = body.outcome;
  if (body.interaction_date !== undefined) c.interactionDate = new Date(body.interaction_date);
  if (body.staff_id !== undefined) c.staffId = body.staff_id;
  if (body.metadata !== undefined) c.metadata = body.metadata;
  return c;
}

/** The interaction log staff read and write: calls, walk-ins, tickets; audited edits. */
export class InteractionLog {
  constructor(
    private readonly db: Db,
    private readonly repo: InteractionsRepository,
    private readonly timeline: TimelineRepository,
    private readonly settings: SettingsRepository,
    private readonly access: CustomerAccess,
    private readonly outbox: Outbox,
  ) {}

  private requireStaff(principal: Principal): void {
    if (principal.role === 'customer') {
      throw new AppError('forbidden', 'Customers do not read or write the interaction log');
    }
  }

  async list(
    principal: Principal,
    customerId: string,
    q: ListInteractionsQuery,
  ): Promise<Page<Interaction>> {
    this.requireStaff(principal);
    const resolved = await this.access.require(this.db, principal, customerId);
    let after: { at: Date; id: string } | undefined;
    if (q.cursor) {
      const [at, id] = readCursor(InteractionCursor, q.cursor);
      after = { at, id };
    }
    const rows = await this.repo.list(this.db, {
      tenantId: principal.tenant,
      customerId: resolved,
      types: q.type?.split(','),
      staffId: q.staff_id,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      after,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit).map(toInteractionDto);
    const last = page.at(-1);
    return {
      data: page,
      next_cursor:
        rows.length > q.limit && last ? encodeCursor([last.interaction_date, last.id]) : null,
    };
  }

  async get(principal: Principal, customerId: string, id: string): Promise<Interaction> {
    this.requireStaff(principal);
    const resolved = await this.access.require(this.db, principal, customerId);
    const row = await this.repo.find(this.db, principal.tenant, resolved, id);
    if (!row) throw notFound('Interaction');
    return toInteractionDto(row);
  }

  async log(
    principal: Principal,
    customerId: string,
    body: LogInteractionBody,
  ): Promise<Interaction> {
    this.requireStaff(principal);
    return transaction(this.db, async ({ db: tx }) => {
      const resolved = await this.access.require(tx, principal, customerId);
      const setting = TRACKED_BY[body.interaction_type];
      if (setting && !(await this.settings.effective(tx, principal.tenant))[setting]) {
        throw new AppError(
          'forbidden',
          `This business does not track ${body.interaction_type.replace('_', ' ')} interactions (setting ${setting.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)})`,
        );
      }
      const row = await this.repo.insert(tx, {
        ...columnsOf(body),
        tenantId: principal.tenant,
        id: newId(),
        customerId: resolved,
        interactionType: body.interaction_type,
        interactionSource: 'crm',
        staffId: body.staff_id ?? principal.sub,
        interactionDate: body.interaction_date ? new Date(body.interaction_date) : new Date(),
        metadata: body.metadata ?? {},
        createdBy: principal.sub,
      });
      const dto = toInteractionDto(row);
      await this.repo.audit(tx, {
        tenantId: principal.tenant,
        interactionId: row.id,
        customerId: resolved,
        action: 'created',
        actorId: principal.sub,
        actorRole: principal.role,
        before: null,
        after: dto,
      });
      await this.timeline.add(
        tx,
        principal.tenant,
        `interaction:${row.id}`,
        loggedInteractionEntry(row),
      );
      await publishRecorded(this.outbox, tx, principal.tenant, {
        ...row,
        interactionSource: 'crm',
        direction: dto.direction,
      });
      return dto;
    });
  }

  /** Only the author or an admin edits, and only what staff logged (BookingX facts are facts). */
  private async editable(tx: Executor, principal: Principal, customerId: string, id: string) {
    const resolved = await this.access.require(tx, principal, customerId);
    const row = await this.repo.find(tx, principal.tenant, resolved, id, true);
    if (!row) throw notFound('Interaction');
    if (row.interactionSource !== 'crm') {
      throw new AppError('forbidden', 'Recorded facts from BookingX and messages cannot be edited');
    }
    if (principal.role !== 'admin' && row.createdBy !== principal.sub) {
      throw new AppError('forbidden', 'Only the author or an admin may change this interaction');
    }
    return row;
  }

  async update(
    principal: Principal,
    customerId: string,
    id: string,
    body: UpdateInteractionBody,
    ifMatch: string | undefined,
  ): Promise<Interaction> {
    this.requireStaff(principal);
    return transaction(this.db, async ({ db: tx }) => {
      const before = await this.editable(tx, principal, customerId, id);
      if (!matchesIfMatch(ifMatch, before.version)) {
        throw new AppError(
          'precondition_failed',
          `The interaction changed (now version ${before.version})`,
        );
      }
      const after = await this.repo.update(tx, principal.tenant, id, columnsOf(body));
      await this.repo.audit(tx, {
        tenantId: principal.tenant,
        interactionId: id,
        customerId: after.customerId,
        action: 'updated',
        actorId: principal.sub,
        actorRole: principal.role,
        before: toInteractionDto(before),
        after: toInteractionDto(after),
      });
      await this.timeline.removeObjectEntries(tx, principal.tenant, 'interaction', id);
      await this.timeline.add(
        tx,
        principal.tenant,
        `interaction:${id}:v${after.version}`,
        loggedInteractionEntry(after),
      );
      return toInteractionDto(after);
    });
  }

  async delete(principal: Principal, customerId: string, id: string): Promise<void> {
    this.requireStaff(principal);
    await transaction(this.db, async ({ db: tx }) => {
      const before = await this.editable(tx, principal, customerId, id);
      await this.repo.delete(tx, principal.tenant, id);
      await this.repo.audit(tx, {
        tenantId: principal.tenant,
        interactionId: id,
        customerId: before.customerId,
        action: 'deleted',
        actorId: principal.sub,
        actorRole: principal.role,
        before: toInteractionDto(before),
        after: null,
      });
      await this.timeline.removeObjectEntries(tx, principal.tenant, 'interaction', id);
    });
  }
}

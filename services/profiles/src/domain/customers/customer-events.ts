import {
  getRoute,
  makeEvent,
  type RouteId,
  type Customer,
  type CustomerAssignmentChangedPayload,
  type CustomerStageChangedPayload,
} from '@crm/contracts';
import type { Executor, Outbox, OutboxMessage, Principal } from '@crm/service-kit';
import type { z } from 'zod';
import {
  creationChanges,
  updateChanges,
  type AuditTrail,
  type ChangeContext,
} from '../audit/audit-trail.js';
import { changedFields } from './customer.js';

export const SOURCE = 'crm/profiles';

export type Actor = z.infer<typeof CustomerStageChangedPayload>['changed_by'];

export function actorOf(principal: Principal): Actor {
  return {
    type: principal.role === 'customer' ? 'customer' : 'staff',
    id: principal.sub,
    name: principal.name ?? null,
  };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: null };
export const BOOKINGX_ACTOR: Actor = { type: 'bookingx', id: null, name: null };

/** How the audit trail names a route: `PATCH /crm/customers/{id}`. */
export function viaRoute(id: RouteId): string {
  const route = getRoute(id);
  return `${route.method.toUpperCase()} ${route.path}`;
}

export function routeContext(principal: Principal, id: RouteId): ChangeContext {
  return { actor: actorOf(principal), via: viaRoute(id) };
}

const ASSIGNMENT_FIELDS = new Set<string>(['owner_id', 'team_id', 'collaborator_ids']);

/**
 * Every change to a customer passes through here, in its transaction: the audit trail
 * records it field by field and the outbox carries its events.
 */
export interface CustomerEventsDeps {
  outbox: Outbox;
  audit: AuditTrail;
}

export class CustomerEvents {
  constructor(private readonly deps: CustomerEventsDeps) {}

  async created(tx: Executor, customer: Customer, ctx: ChangeContext): Promise<void> {
    await this.deps.audit.record(
      tx,
      customer.tenant_id,
      customer.id,
      creationChanges(customer),
      ctx,
      {
        created: true,
      },
    );
    await this.deps.outbox.append(tx, [
      {
        event: makeEvent({
          type: 'crm.customer.created.v1',
          source: SOURCE,
          tenantId: customer.tenant_id,
          subject: customer.id,
          sequence: customer.version,
          data: { customer, created_by: ctx.actor },
        }),
      },
      ...(customer.owner_id !== null ||
      customer.team_id !== null ||
      (customer.collaborator_ids ?? []).length > 0
        ? [this.assignment(customer)]
        : []),
    ]);
  }

  /**
   * `crm.customer.updated.v1` with the fields that changed, plus the stage and assignment
   * events when those moved. Nothing is published when nothing changed.
   */
  async changed(
    tx: Executor,
    before: Customer,
    after: Customer,
    ctx: ChangeContext,
  ): Promise<string[]> {
    const changed = changedFields(before, after);
    if (changed.length === 0) return [];
    const actor = ctx.actor;
    await this.deps.audit.record(
      tx,
      after.tenant_id,
      after.id,
      updateChanges(before, after, changed),
      ctx,
    );
    const messages: OutboxMessage[] = [
      {
        event: makeEvent({
          type: 'crm.customer.updated.v1',
          source: SOURCE,
          tenantId: after.tenant_id,
          subject: after.id,
          sequence: after.version,
          data: { customer: after, changed_fields: changed, changed_by: actor },
        }),
      },
    ];
    if (changed.includes('customer_stage')) {
      const data: z.infer<typeof CustomerStageChangedPayload> = {
        customer_id: after.id,
        from: before.customer_stage,
        to: after.customer_stage,
        version: after.version,
        changed_by: actor,
      };
      messages.push({
        event: makeEvent({
          type: 'crm.customer.stage_changed.v1',
          source: SOURCE,
          tenantId: after.tenant_id,
          subject: after.id,
          sequence: after.version,
          data,
        }),
      });
    }
    if (changed.some((f) => ASSIGNMENT_FIELDS.has(f))) messages.push(this.assignment(after));
    await this.deps.outbox.append(tx, messages);
    return changed;
  }

  private assignment(customer: Customer): OutboxMessage {
    const data: z.infer<typeof CustomerAssignmentChangedPayload> = {
      customer_id: customer.id,
      owner_id: customer.owner_id,
      team_id: customer.team_id,
      collaborator_ids: customer.collaborator_ids ?? [],
      version: customer.version,
    };
    return {
      event: makeEvent({
        type: 'crm.customer.assignment.changed.v1',
        source: SOURCE,
        tenantId: customer.tenant_id,
        subject: customer.id,
        sequence: customer.version,
        data,
      }),
    };
  }
}

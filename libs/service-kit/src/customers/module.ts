import { customerOfEvent, isEventType, type EventType, type TypedEvent } from '@crm/contracts';
import type { Principal } from '../auth.js';
import {
  isBatchHandler,
  runHandler,
  type BatchHandler,
  type Handler,
  type HandlerContext,
  type Handlers,
} from '../consumer.js';
import type { Executor } from '../db.js';
import { notFound } from '../errors.js';
import type { KitTables } from '../tables.js';
import { scopeOf, type CustomerScope } from './access.js';
import type { CustomerDataDeclaration } from './declaration.js';
import { CustomerErasure } from './erasure.js';
import { CustomerAliases } from './merge.js';
import { AssignmentReplica, type CustomerLookup } from './replica.js';
import type { CustomerTables } from './tables.js';

export interface RequireOptions {
  /**
   * For admins: whether the service's own rows already know the customer (booking facts may
   * arrive before the profile), so no lookup is needed.
   */
  knownLocally?: (db: Executor, tenantId: string, customerId: string) => Promise<boolean>;
}

/** The check every route about one customer makes first; returns the id to use (survivor). */
export interface CustomerAccess {
  require(db: Executor, principal: Principal, customerId: string): Promise<string>;
}

/**
 * A service's customer modules, built by the kit from its declaration: access from the local
 * replica (asking profiles about customers it has not heard of yet), merge and erasure.
 */
export class CustomerModule {
  readonly replica: AssignmentReplica;
  readonly aliases: CustomerAliases;
  readonly erasure: CustomerErasure;

  constructor(
    readonly declaration: CustomerDataDeclaration,
    kit: KitTables,
    readonly tables: CustomerTables,
    private readonly lookup: CustomerLookup | null,
  ) {
    this.replica = new AssignmentReplica(tables);
    this.aliases = new CustomerAliases(tables, declaration.tables);
    this.erasure = new CustomerErasure(kit, tables, declaration.tables, this.aliases);
  }

  /**
   * Resolves a customer id (a merged id leads to its survivor) and checks the caller may see
   * that customer; 404 otherwise, as for a customer that does not exist. A customer the
   * replica has not heard of yet (just created) is looked up in profiles with the caller's
   * token and remembered; when profiles cannot be asked the answer is 503, never a wrong 404.
   */
  async require(
    db: Executor,
    principal: Principal,
    customerId: string,
    options: RequireOptions = {},
  ): Promise<string> {
    const resolved = await this.aliases.resolve(db, principal.tenant, customerId);
    const scope: CustomerScope = scopeOf(principal);
    if (scope.kind === 'self') {
      if (scope.customerId !== customerId && scope.customerId !== resolved) {
        throw notFound('Customer');
      }
      return resolved;
    }
    const answer = await this.replica.check(db, scope, resolved);
    if (answer === 'visible') return resolved;
    if (answer === 'hidden') throw notFound('Customer');
    if (scope.kind === 'tenant' && (await options.knownLocally?.(db, scope.tenantId, resolved))) {
      return resolved;
    }
    if (!this.lookup) throw notFound('Customer');
    const found = await this.lookup.find(principal, resolved);
    if (!found) throw notFound('Customer');
    await this.replica.upsert(db, found);
    // Profiles checked the caller's access with their own token; the replica agrees now.
    if ((await this.replica.check(db, scope, resolved)) !== 'visible') throw notFound('Customer');
    return resolved;
  }

  /** `require` with the service's options, to hand to its use cases. */
  access(options: RequireOptions = {}): CustomerAccess {
    return { require: (db, principal, id) => this.require(db, principal, id, options) };
  }

  /**
   * The service's consumer handlers behind the modules': the replica, merge and erasure run
   * first; and no handler sees an event about a customer this service has already erased
   * (an event that arrives late, or is replayed from the dead letters, must not bring the
   * data back). A batch handler gets its set without those, checked with one query.
   */
  consumerHandlers(service: Handlers): Handlers {
    const all = combineHandlers(this.handlers(), service);
    const out: Record<string, Handler> = {};
    // Types that share a batch handler share its guarded form, so their events stay one set.
    const guarded = new Map<BatchHandler, BatchHandler>();
    for (const [type, handler] of Object.entries(all) as [EventType, Handler][]) {
      if (type === 'crm.customer.erased.v1') {
        out[type] = handler;
      } else if (isBatchHandler(handler)) {
        const set: BatchHandler = guarded.get(handler) ?? {
          batch: async (ctx, events) => runHandler(handler, ctx, await this.unerased(ctx, events)),
        };
        guarded.set(handler, set);
        out[type] = set;
      } else {
        out[type] = async (ctx, event) => {
          const [kept] = await this.unerased(ctx, [event]);
          if (kept) await handler(ctx, kept);
        };
      }
    }
    return out;
  }

  /** `events` without those about a customer this service has erased (see `erasedAmong`). */
  private async unerased<E extends TypedEvent<EventType>>(
    ctx: HandlerContext,
    events: E[],
  ): Promise<E[]> {
    const about = events.flatMap((event) => {
      const customerId = customerOfEvent(event);
      return customerId ? [{ event, ref: { tenantId: event.tenantid, customerId } }] : [];
    });
    const erased = await this.erasure.erasedAmong(
      ctx.tx,
      about.map((a) => a.ref),
    );
    const dropped = new Set(about.filter((_, i) => erased[i]).map((a) => a.event));
    for (const event of dropped) {
      ctx.logger.info(
        { type: event.type, eventId: event.id },
        'event about an erased customer ignored',
      );
    }
    return dropped.size === 0 ? events : events.filter((event) => !dropped.has(event));
  }

  /** The handlers of the modules alone. */
  handlers(): Handlers {
    const own: Handlers = {
      'crm.customer.merged.v1': ({ tx }, e) =>
        this.aliases.merge(tx, e.tenantid, e.data.survivor_id, e.data.merged_ids),
      'crm.customer.erased.v1': ({ tx }, e) =>
        this.erasure.erase(tx, e.tenantid, e.data.customer_id),
    };
    return this.declaration.replica ? combineHandlers(this.replica.handlers(), own) : own;
  }
}

/**
 * Both maps' handlers; where both handle a type, `first`'s runs first in the same transaction.
 * When either of the two takes a set, so does their combination, and `first` handles the whole
 * set before `then`.
 */
export function combineHandlers(first: Handlers, then: Handlers): Handlers {
  const out: Record<string, Handler> = {};
  // Types whose two handlers are the same pair share one combination (one set for a batch).
  const pairs = new Map<Handler, Map<Handler, Handler>>();
  const types = new Set([...Object.keys(first), ...Object.keys(then)].filter(isEventType));
  for (const type of types) {
    const a = first[type] as Handler | undefined;
    const b = then[type] as Handler | undefined;
    if (!a || !b) {
      const one = a ?? b;
      if (one) out[type] = one;
      continue;
    }
    const withA = pairs.get(a) ?? new Map<Handler, Handler>();
    pairs.set(a, withA);
    const both = withA.get(b) ?? bothOf(a, b);
    withA.set(b, both);
    out[type] = both;
  }
  return out;
}

function bothOf(a: Handler, b: Handler): Handler {
  if (!isBatchHandler(a) && !isBatchHandler(b)) {
    return async (ctx, event) => {
      await a(ctx, event);
      await b(ctx, event);
    };
  }
  return {
    batch: async (ctx, events) => {
      await runHandler(a, ctx, events);
      await runHandler(b, ctx, events);
    },
  };
}

import {
  newId,
  type CreateTagBody,
  type ListTagsQuery,
  type Page,
  type Tag,
  type UpdateTagBody,
} from '@crm/contracts';
import {
  AppError,
  type Db,
  encodeCursor,
  matchesIfMatch,
  notFound,
  type Principal,
  readCursor,
  transaction,
} from '@crm/service-kit';
import { z } from 'zod';
import type { TagsRepository, TagWithCount } from '../../db/tags.repository.js';
import { routeContext } from '../customers/customer-events.js';
import type { CustomersDeps } from '../customers/customers-deps.js';
import { lockForCatalog, republishCustomers } from '../customers/republish-customers.js';

/** Where the next page starts: the last tag's lower-case name and id. */
const TagCursor = z.tuple([z.string(), z.uuid()]);

export function toTagDto({ row, customerCount }: TagWithCount): Tag {
  return {
    id: row.id,
    name: row.name,
    colour: row.colour,
    description: row.description,
    customer_count: customerCount,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function conflict(name: string): AppError {
  return new AppError('conflict', `A tag named "${name}" exists`, [
    { field: 'name', code: 'duplicate', message: 'Tag names are unique within the tenant' },
  ]);
}

/** The tenant's tag catalog; renaming or deleting a tag changes every customer carrying it. */
export class TagCatalog {
  constructor(
    private readonly db: Db,
    private readonly repo: TagsRepository,
    private readonly customers: CustomersDeps,
  ) {}

  async list(principal: Principal, query: ListTagsQuery): Promise<Page<Tag>> {
    let after: { name: string; id: string } | undefined;
    if (query.cursor) {
      const [name, id] = readCursor(TagCursor, query.cursor);
      after = { name, id };
    }
    const rows = await this.repo.list(this.db, principal.tenant, {
      prefix: query.q,
      ...(after ? { after } : {}),
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map(toTagDto),
      next_cursor:
        rows.length > query.limit && last
          ? encodeCursor([last.row.name.toLowerCase(), last.row.id])
          : null,
    };
  }

  async get(principal: Principal, id: string): Promise<Tag> {
    const found = await this.repo.find(this.db, principal.tenant, id);
    if (!found) throw notFound('Tag');
    return toTagDto(found);
  }

  async create(principal: Principal, body: CreateTagBody): Promise<Tag> {
    const row = await this.repo.insert(this.db, {
      tenantId: principal.tenant,
      id: newId(),
      name: body.name,
      colour: body.colour.toLowerCase(),
      description: body.description ?? null,
    });
    if (!row) throw conflict(body.name);
    return toTagDto({ row, customerCount: 0 });
  }

  async update(
    principal: Principal,
    id: string,
    body: UpdateTagBody,
    ifMatch: string | undefined,
  ): Promise<Tag> {
    const tenant = principal.tenant;
    return transaction(this.db, async ({ db: tx }) => {
      const current = await this.repo.findForUpdate(tx, tenant, id);
      if (!current) throw notFound('Tag');
      if (!matchesIfMatch(ifMatch, current.version)) {
        throw new AppError('precondition_failed', 'The tag changed since you read it');
      }
      const renamed = body.name !== undefined && body.name !== current.name;
      if (renamed && body.name && (await this.repo.nameTaken(tx, tenant, body.name, id))) {
        throw conflict(body.name);
      }
      const carriers = renamed
        ? await lockForCatalog(
            this.customers,
            tx,
            tenant,
            await this.repo.customersWith(tx, tenant, id),
          )
        : [];
      const changes: Parameters<TagsRepository['update']>[3] = {};
      if (body.name !== undefined) changes.name = body.name;
      if (body.colour !== undefined) changes.colour = body.colour.toLowerCase();
      if (body.description !== undefined) changes.description = body.description;
      const row = await this.repo.update(tx, tenant, id, changes);
      if (!row) throw notFound('Tag');
      await republishCustomers(
        this.customers,
        tx,
        tenant,
        carriers,
        routeContext(principal, 'updateTag'),
      );
      return toTagDto({
        row,
        customerCount: (await this.repo.customersWith(tx, tenant, id)).length,
      });
    });
  }

  async delete(principal: Principal, id: string, ifMatch: string | undefined): Promise<void> {
    const tenant = principal.tenant;
    await transaction(this.db, async ({ db: tx }) => {
      const current = await this.repo.findForUpdate(tx, tenant, id);
      if (!current) throw notFound('Tag');
      if (!matchesIfMatch(ifMatch, current.version)) {
        throw new AppError('precondition_failed', 'The tag changed since you read it');
      }
      const carriers = await lockForCatalog(
        this.customers,
        tx,
        tenant,
        await this.repo.customersWith(tx, tenant, id),
      );
      await this.repo.delete(tx, tenant, id);
      await republishCustomers(
        this.customers,
        tx,
        tenant,
        carriers,
        routeContext(principal, 'deleteTag'),
      );
    });
  }
}

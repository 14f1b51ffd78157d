import {
  makeEvent,
  newId,
  type CreateCustomFieldBody,
  type CustomFieldDefinition,
  type CustomFieldType,
  type ReorderCustomFieldsBody,
  type UpdateCustomFieldBody,
} from '@crm/contracts';
import {
  AppError,
  notFound,
  type Db,
  type Executor,
  type Outbox,
  type Principal,
  matchesIfMatch,
  transaction,
} from '@crm/service-kit';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomFieldRow } from '../../db/schema.js';
import { routeContext, SOURCE } from '../customers/customer-events.js';
import type { CustomersDeps } from '../customers/customers-deps.js';
import { lockForCatalog, republishCustomers } from '../customers/republish-customers.js';
import { ruleOf } from './custom-field-values.js';
import { definitionErrors } from './field-rules.js';

export function toDefinitionDto(row: CustomFieldRow): CustomFieldDefinition {
  return {
    id: row.id,
    field_name: row.fieldName,
    field_label: row.fieldLabel,
    field_type: row.fieldType as CustomFieldType,
    field_options: row.fieldOptions,
    is_required: row.isRequired,
    is_sensitive: row.isSensitive,
    validation: row.validation,
    display_order: row.displayOrder,
    is_active: row.isActive,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

type DefinitionEvent =
  'crm.custom_field.created.v1' | 'crm.custom_field.updated.v1' | 'crm.custom_field.deleted.v1';

/** The custom field builder; every change is published so segments can filter on it at once. */
export class CustomFieldDefinitions {
  constructor(
    private readonly db: Db,
    private readonly repo: CustomFieldsRepository,
    private readonly customers: CustomersDeps,
    private readonly outbox: Outbox,
    private readonly maxFields: number,
  ) {}

  async list(principal: Principal, includeInactive: boolean): Promise<CustomFieldDefinition[]> {
    const rows = await this.repo.list(this.db, principal.tenant, includeInactive);
    return rows.map(toDefinitionDto);
  }

  async get(principal: Principal, id: string): Promise<CustomFieldDefinition> {
    const row = await this.repo.find(this.db, principal.tenant, id);
    if (!row) throw notFound('Custom field');
    return toDefinitionDto(row);
  }

  async create(principal: Principal, body: CreateCustomFieldBody): Promise<CustomFieldDefinition> {
    const errors = definitionErrors({
      name: body.field_name,
      type: body.field_type,
      options: body.field_options,
      required: body.is_required,
      validation: body.validation,
    });
    if (errors.length > 0)
      throw new AppError('validation_failed', 'The definition is not valid', errors);
    return transaction(this.db, async ({ db: tx }) => {
      await this.repo.lockTenant(tx, principal.tenant);
      const { n, maxOrder } = await this.repo.count(tx, principal.tenant);
      if (n >= this.maxFields) {
        throw new AppError(
          'conflict',
          `The tenant has ${n} custom fields, the most allowed (max_custom_fields = ${this.maxFields})`,
        );
      }
      const row = await this.repo.insert(tx, {
        tenantId: principal.tenant,
        id: newId(),
        fieldName: body.field_name,
        fieldLabel: body.field_label,
        fieldType: body.field_type,
        fieldOptions: body.field_options,
        isRequired: body.is_required,
        isSensitive: body.is_sensitive,
        validation: body.validation,
        displayOrder: body.display_order ?? maxOrder + 1,
        isActive: body.is_active,
      });
      if (!row) {
        throw new AppError('conflict', `A custom field named ${body.field_name} exists`, [
          { field: 'field_name', code: 'duplicate', message: 'Field names are unique' },
        ]);
      }
      const dto = toDefinitionDto(row);
      await this.publish(tx, 'crm.custom_field.created.v1', dto, principal.tenant);
      return dto;
    });
  }

  async update(
    principal: Principal,
    id: string,
    body: UpdateCustomFieldBody,
    ifMatch: string | undefined,
  ): Promise<CustomFieldDefinition> {
    const tenant = principal.tenant;
    return transaction(this.db, async ({ db: tx }) => {
      await this.repo.lockTenant(tx, tenant);
      const current = await this.repo.findForUpdate(tx, tenant, id);
      if (!current) throw notFound('Custom field');
      if (!matchesIfMatch(ifMatch, current.version)) {
        throw new AppError('precondition_failed', 'The custom field changed since you read it');
      }
      const next = {
        ...ruleOf(current),
        ...(body.field_options !== undefined ? { options: body.field_options } : {}),
        ...(body.is_required !== undefined ? { required: body.is_required } : {}),
        ...(body.validation !== undefined ? { validation: body.validation } : {}),
      };
      const errors = definitionErrors(next);
      if (errors.length > 0) {
        throw new AppError('validation_failed', 'The definition is not valid', errors);
      }
      // Switching a field on or off shows or hides its values on every customer that has one.
      const toggled = body.is_active !== undefined && body.is_active !== current.isActive;
      const carriers = toggled
        ? await lockForCatalog(
            this.customers,
            tx,
            tenant,
            await this.repo.customersWithValue(tx, tenant, id),
          )
        : [];
      const changes: Partial<CustomFieldRow> = {};
      if (body.field_label !== undefined) changes.fieldLabel = body.field_label;
      if (body.field_options !== undefined) changes.fieldOptions = body.field_options;
      if (body.is_required !== undefined) changes.isRequired = body.is_required;
      if (body.validation !== undefined) changes.validation = body.validation;
      if (body.display_order !== undefined) changes.displayOrder = body.display_order;
      if (body.is_active !== undefined) changes.isActive = body.is_active;
      const dto = toDefinitionDto(await this.repo.update(tx, tenant, id, changes));
      await this.publish(tx, 'crm.custom_field.updated.v1', dto, tenant);
      await republishCustomers(
        this.customers,
        tx,
        tenant,
        carriers,
        routeContext(principal, 'updateCustomField'),
      );
      return dto;
    });
  }

  async delete(principal: Principal, id: string, ifMatch: string | undefined): Promise<void> {
    const tenant = principal.tenant;
    await transaction(this.db, async ({ db: tx }) => {
      await this.repo.lockTenant(tx, tenant);
      const current = await this.repo.findForUpdate(tx, tenant, id);
      if (!current) throw notFound('Custom field');
      if (!matchesIfMatch(ifMatch, current.version)) {
        throw new AppError('precondition_failed', 'The custom field changed since you read it');
      }
      const carriers = await lockForCatalog(
        this.customers,
        tx,
        tenant,
        await this.repo.customersWithValue(tx, tenant, id),
      );
      await this.repo.delete(tx, tenant, id);
      await this.publish(tx, 'crm.custom_field.deleted.v1', toDefinitionDto(current), tenant);
      await republishCustomers(
        this.customers,
        tx,
        tenant,
        current.isActive ? carriers : [],
        routeContext(principal, 'deleteCustomField'),
      );
    });
  }

  async reorder(
    principal: Principal,
    body: ReorderCustomFieldsBody,
  ): Promise<CustomFieldDefinition[]> {
    const tenant = principal.tenant;
    return transaction(this.db, async ({ db: tx }) => {
      await this.repo.lockTenant(tx, tenant);
      const rows = await this.repo.list(tx, tenant);
      const known = new Set(rows.map((r) => r.id));
      const named = new Set(body.field_ids);
      const missing = rows.filter((r) => !named.has(r.id)).map((r) => r.fieldName);
      const strangers = body.field_ids.filter((i) => !known.has(i));
      if (missing.length > 0 || strangers.length > 0 || named.size !== body.field_ids.length) {
        throw new AppError('validation_failed', 'Name every custom field exactly once', [
          {
            field: 'field_ids',
            code: 'not_a_permutation',
            message: [
              missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
              strangers.length > 0 ? `unknown: ${strangers.join(', ')}` : '',
              named.size !== body.field_ids.length ? 'an id is repeated' : '',
            ]
              .filter(Boolean)
              .join('; '),
          },
        ]);
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      const out: CustomFieldDefinition[] = [];
      for (const [order, fieldId] of body.field_ids.entries()) {
        const row = byId.get(fieldId);
        if (!row) continue;
        if (row.displayOrder === order) {
          out.push(toDefinitionDto(row));
          continue;
        }
        const dto = toDefinitionDto(
          await this.repo.update(tx, tenant, fieldId, { displayOrder: order }),
        );
        await this.publish(tx, 'crm.custom_field.updated.v1', dto, tenant);
        out.push(dto);
      }
      return out;
    });
  }

  private async publish(
    tx: Executor,
    type: DefinitionEvent,
    field: CustomFieldDefinition,
    tenantId: string,
  ): Promise<void> {
    await this.outbox.append(tx, {
      event: makeEvent({
        type,
        source: SOURCE,
        tenantId,
        subject: field.id,
        sequence: field.version,
        data: { field },
      }),
    });
  }
}

import { makeEvent, type CustomFieldDefinition, type CustomFieldType } from '@crm/contracts';
import { AppError, matchesIfMatch, notFound, type Executor } from '@crm/service-kit';
import type { CustomFieldRow } from '../../db/schema.js';
import { SOURCE } from '../customers/customer-events.js';
import type { CustomFieldsDeps } from './custom-fields-deps.js';

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

export async function publishDefinition(
  deps: CustomFieldsDeps,
  tx: Executor,
  type: DefinitionEvent,
  field: CustomFieldDefinition,
  tenantId: string,
): Promise<void> {
  await deps.outbox.append(tx, {
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

/**
 * The definition, locked with the tenant's other definitions for the rest of the
 * transaction, as long as it is the version the caller read.
 */
export async function lockDefinition(
  deps: CustomFieldsDeps,
  tx: Executor,
  tenantId: string,
  id: string,
  ifMatch: string | undefined,
): Promise<CustomFieldRow> {
  await deps.repo.lockTenant(tx, tenantId);
  const current = await deps.repo.findForUpdate(tx, tenantId, id);
  if (!current) throw notFound('Custom field');
  if (!matchesIfMatch(ifMatch, current.version)) {
    throw new AppError('precondition_failed', 'The custom field changed since you read it');
  }
  return current;
}

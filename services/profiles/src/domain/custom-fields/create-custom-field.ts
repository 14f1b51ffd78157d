import { newId, type CreateCustomFieldBody, type CustomFieldDefinition } from '@crm/contracts';
import { AppError, transaction, type Principal } from '@crm/service-kit';
import { publishDefinition, toDefinitionDto } from './custom-field-definition.js';
import type { CustomFieldsDeps } from './custom-fields-deps.js';
import { definitionErrors } from './field-rules.js';

/** A new field goes last unless given a place; a tenant has at most `maxFields`. */
export async function createCustomField(
  deps: CustomFieldsDeps,
  principal: Principal,
  body: CreateCustomFieldBody,
): Promise<CustomFieldDefinition> {
  const errors = definitionErrors({
    name: body.field_name,
    type: body.field_type,
    options: body.field_options,
    required: body.is_required,
    validation: body.validation,
  });
  if (errors.length > 0)
    throw new AppError('validation_failed', 'The definition is not valid', errors);
  return transaction(deps.db, async ({ db: tx }) => {
    await deps.repo.lockTenant(tx, principal.tenant);
    const { n, maxOrder } = await deps.repo.count(tx, principal.tenant);
    if (n >= deps.maxFields) {
      throw new AppError(
        'conflict',
        `The tenant has ${n} custom fields, the most allowed (max_custom_fields = ${deps.maxFields})`,
      );
    }
    const row = await deps.repo.insert(tx, {
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
    await publishDefinition(deps, tx, 'crm.custom_field.created.v1', dto, principal.tenant);
    return dto;
  });
}

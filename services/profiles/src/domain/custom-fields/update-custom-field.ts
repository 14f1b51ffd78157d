import type { CustomFieldDefinition, UpdateCustomFieldBody } from '@crm/contracts';
import { AppError, transaction, type Principal } from '@crm/service-kit';
import type { CustomFieldRow } from '../../db/schema.js';
import { routeContext } from '../customers/customer-events.js';
import { changeCatalog } from '../customers/republish-customers.js';
import { lockDefinition, publishDefinition, toDefinitionDto } from './custom-field-definition.js';
import type { CustomFieldsDeps } from './custom-fields-deps.js';
import { ruleOf } from './custom-field-values.js';
import { definitionErrors } from './field-rules.js';

export async function updateCustomField(
  deps: CustomFieldsDeps,
  principal: Principal,
  id: string,
  body: UpdateCustomFieldBody,
  ifMatch: string | undefined,
): Promise<CustomFieldDefinition> {
  const tenant = principal.tenant;
  return transaction(deps.db, async ({ db: tx }) => {
    const current = await lockDefinition(deps, tx, tenant, id, ifMatch);
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
    const changes: Partial<CustomFieldRow> = {};
    if (body.field_label !== undefined) changes.fieldLabel = body.field_label;
    if (body.field_options !== undefined) changes.fieldOptions = body.field_options;
    if (body.is_required !== undefined) changes.isRequired = body.is_required;
    if (body.validation !== undefined) changes.validation = body.validation;
    if (body.display_order !== undefined) changes.displayOrder = body.display_order;
    if (body.is_active !== undefined) changes.isActive = body.is_active;
    return changeCatalog(
      deps.customers,
      tx,
      tenant,
      toggled ? await deps.repo.customersWithValue(tx, tenant, id) : [],
      routeContext(principal, 'updateCustomField'),
      async () => {
        const dto = toDefinitionDto(await deps.repo.update(tx, tenant, id, changes));
        await publishDefinition(deps, tx, 'crm.custom_field.updated.v1', dto, tenant);
        return dto;
      },
    );
  });
}

import type { CustomFieldDefinition, ReorderCustomFieldsBody } from '@crm/contracts';
import { AppError, transaction, type Principal } from '@crm/service-kit';
import { publishDefinition, toDefinitionDto } from './custom-field-definition.js';
import type { CustomFieldsDeps } from './custom-fields-deps.js';

/** Every field of the tenant, named once each in its new order; only moved ones change. */
export async function reorderCustomFields(
  deps: CustomFieldsDeps,
  principal: Principal,
  body: ReorderCustomFieldsBody,
): Promise<CustomFieldDefinition[]> {
  const tenant = principal.tenant;
  return transaction(deps.db, async ({ db: tx }) => {
    await deps.repo.lockTenant(tx, tenant);
    const rows = await deps.repo.list(tx, tenant);
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
        await deps.repo.update(tx, tenant, fieldId, { displayOrder: order }),
      );
      await publishDefinition(deps, tx, 'crm.custom_field.updated.v1', dto, tenant);
      out.push(dto);
    }
    return out;
  });
}

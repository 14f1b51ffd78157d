import type { CustomFieldDefinition } from '@crm/contracts';
import { notFound, type Principal } from '@crm/service-kit';
import { toDefinitionDto } from './custom-field-definition.js';
import type { CustomFieldsDeps } from './custom-fields-deps.js';

export async function getCustomField(
  deps: CustomFieldsDeps,
  principal: Principal,
  id: string,
): Promise<CustomFieldDefinition> {
  const row = await deps.repo.find(deps.db, principal.tenant, id);
  if (!row) throw notFound('Custom field');
  return toDefinitionDto(row);
}

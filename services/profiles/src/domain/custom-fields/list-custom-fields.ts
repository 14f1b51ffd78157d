import type { CustomFieldDefinition } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import { toDefinitionDto } from './custom-field-definition.js';
import type { CustomFieldsDeps } from './custom-fields-deps.js';

export async function listCustomFields(
  deps: CustomFieldsDeps,
  principal: Principal,
  includeInactive: boolean,
): Promise<CustomFieldDefinition[]> {
  const rows = await deps.repo.list(deps.db, principal.tenant, includeInactive);
  return rows.map(toDefinitionDto);
}

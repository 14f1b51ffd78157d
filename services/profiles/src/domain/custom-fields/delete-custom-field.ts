import { transaction, type Principal } from '@crm/service-kit';
import { routeContext } from '../customers/customer-events.js';
import { changeCatalog } from '../customers/republish-customers.js';
import { lockDefinition, publishDefinition, toDefinitionDto } from './custom-field-definition.js';
import type { CustomFieldsDeps } from './custom-fields-deps.js';

/**
 * The field's values leave every customer that had one; while it was active, each of them gets
 * a new version and an update event.
 */
export async function deleteCustomField(
  deps: CustomFieldsDeps,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const tenant = principal.tenant;
  await transaction(deps.db, async ({ db: tx }) => {
    const current = await lockDefinition(deps, tx, tenant, id, ifMatch);
    // An inactive field's values show on no customer: deleting them changes none.
    await changeCatalog(
      deps.customers,
      tx,
      tenant,
      current.isActive ? await deps.repo.customersWithValue(tx, tenant, id) : [],
      routeContext(principal, 'deleteCustomField'),
      async () => {
        await deps.repo.delete(tx, tenant, id);
        await publishDefinition(
          deps,
          tx,
          'crm.custom_field.deleted.v1',
          toDefinitionDto(current),
          tenant,
        );
      },
    );
  });
}

import { transaction } from '@crm/service-kit';
import {
  bookingxCustomerId,
  newId,
  type CreateCustomerBody,
  type Customer,
  type CustomFieldValue,
} from '@crm/contracts';
import { AppError, type Executor, type Principal } from '@crm/service-kit';
import { recordOf, toCustomerDto } from './customer.js';
import { routeContext } from './customer-events.js';
import { primaryOf } from './phones.js';
import { toColumns, nextPhones, type Within, assertMayAssign } from './customer-changes.js';
import type { CustomersDeps } from './customers-deps.js';
import { assertKnownStage } from '../stages/lifecycle-stages.js';
import { assigneesOf } from './assignees.js';

export async function createCustomer(
  deps: CustomersDeps,
  principal: Principal,
  body: CreateCustomerBody,
  within?: Within,
): Promise<Customer> {
  assertMayAssign(principal, body);
  await deps.members.requireActive(deps.db, principal, assigneesOf(body));
  const columns = toColumns(body);
  const phones = nextPhones(body, deps.settings.phoneRegion, []) ?? [];
  columns.phone = primaryOf(phones);
  const bookingxId = within?.bookingxId;
  const run = async (tx: Executor): Promise<Customer> => {
    if (body.customer_stage !== undefined) {
      await assertKnownStage(deps.stages, tx, principal.tenant, body.customer_stage);
    }
    const values = await deps.fieldValues.check(tx, principal.tenant, body.custom_fields, 'create');
    if (
      bookingxId !== undefined &&
      (await deps.repo.isErased(
        tx,
        principal.tenant,
        bookingxCustomerId(principal.tenant, bookingxId),
      ))
    ) {
      throw new AppError(
        'conflict',
        `BookingX customer ${bookingxId} was erased and is not created again`,
      );
    }
    const row = await deps.repo.insert(tx, {
      ...columns,
      firstName: body.first_name,
      tenantId: principal.tenant,
      id: bookingxId === undefined ? newId() : bookingxCustomerId(principal.tenant, bookingxId),
      customerStage: body.customer_stage ?? deps.settings.defaultStage,
      // Whoever creates a customer without naming an owner looks after it.
      ownerId: body.owner_id === undefined ? principal.sub : body.owner_id,
      preferences: body.preferences ?? {},
      source: 'crm',
      // Millisecond times, as cursors carry them; the database default would keep microseconds.
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    // A new customer has no side rows yet: only inserts, and none for an empty list.
    const collaborators = [...new Set(body.collaborator_ids ?? [])];
    if (collaborators.length > 0) {
      await deps.repo.setCollaborators(tx, principal.tenant, row.id, collaborators);
    }
    await deps.repo.addPhones(tx, principal.tenant, row.id, phones);
    if (bookingxId !== undefined) {
      await deps.repo.linkExternalRef(tx, principal.tenant, row.id, bookingxId);
    }
    const refs =
      bookingxId === undefined ? [] : [{ system: 'bookingx' as const, externalId: bookingxId }];
    const sealed = await deps.fieldValues.seal(tx, principal.tenant, row.id, values);
    await deps.fieldsRepo.setValues(tx, principal.tenant, row.id, sealed);
    // What was just stored is what reading it back gives (check refuses inactive fields).
    const customFields: Record<string, CustomFieldValue> = {};
    sealed.forEach((v, i) => {
      const name = values[i]?.name;
      if (name !== undefined && v.value !== null) customFields[name] = v.value;
    });
    const customer = toCustomerDto(recordOf(row, { collaborators, phones, refs, customFields }));
    await deps.events.created(
      tx,
      customer,
      within?.ctx ?? routeContext(principal, 'createCustomer'),
    );
    return deps.fieldValues.reveal(tx, customer);
  };
  return within ? run(within.tx) : transaction(deps.db, ({ db }) => run(db));
}

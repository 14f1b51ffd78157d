import type { CustomerImport } from '@crm/contracts';
import type { Principal } from '@crm/service-kit';
import { findImport, toImportDto } from './customer-import.js';
import type { ImportsDeps } from './imports-deps.js';

export async function getCustomerImport(
  deps: ImportsDeps,
  principal: Principal,
  id: string,
): Promise<CustomerImport> {
  return toImportDto(await findImport(deps, principal, id), deps.clock());
}

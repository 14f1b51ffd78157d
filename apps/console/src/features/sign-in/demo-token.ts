import type { Role } from '../../auth/claims';
import { api, unwrap } from '../../api/client';

export class DemoTokensOff extends Error {
  constructor() {
    super('Demo tokens are off on this server');
    this.name = 'DemoTokensOff';
  }
}

/** A token from the gateway's development route; it answers 404 wherever it is off. */
export async function requestDemoToken(role: Exclude<Role, 'customer'>): Promise<string> {
  const call = api.POST('/crm/dev/token', { body: { role } });
  if ((await call).response.status === 404) throw new DemoTokensOff();
  const { token } = await unwrap(call);
  return token;
}

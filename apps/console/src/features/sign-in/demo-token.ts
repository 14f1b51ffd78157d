import type { Role } from '../../auth/claims';

export class DemoTokensOff extends Error {
  constructor() {
    super('Demo tokens are off on this server');
    this.name = 'DemoTokensOff';
  }
}

// POST /crm/dev/token is a development route of the gateway, outside the published contract.
export async function requestDemoToken(role: Exclude<Role, 'customer'>): Promise<string> {
  const response = await fetch('/crm/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ role }),
  });
  if (response.status === 404) throw new DemoTokensOff();
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail =
      typeof body === 'object' &&
      body !== null &&
      'detail' in body &&
      typeof body.detail === 'string'
        ? body.detail
        : `The server refused a demo token (${response.status}).`;
    throw new Error(detail);
  }
  if (
    typeof body === 'object' &&
    body !== null &&
    'token' in body &&
    typeof body.token === 'string'
  ) {
    return body.token;
  }
  throw new Error('The server answered without a token.');
}

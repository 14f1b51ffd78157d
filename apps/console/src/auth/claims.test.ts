import { describe, expect, it } from 'vitest';
import { decodeClaims, isExpired, roleMay } from './claims';

function tokenWith(payload: object): string {
  // As a JWT encodes it: UTF-8 bytes, base64url without padding.
  const part = (value: object) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`;
}

describe('the claims of a token', () => {
  it('reads tenant, role, subject, name and expiry, even with non-ASCII names', () => {
    const claims = decodeClaims(
      tokenWith({ sub: 'u-1', tenant: 't-1', role: 'manager', name: 'Zoë Åberg', exp: 2000 }),
    );
    expect(claims).toEqual({
      sub: 'u-1',
      tenant: 't-1',
      role: 'manager',
      name: 'Zoë Åberg',
      exp: 2000,
    });
    expect(claims && isExpired(claims, 1_999_000)).toBe(false);
    expect(claims && isExpired(claims, 2_000_000)).toBe(true);
  });

  it('refuses what is not a CRM token', () => {
    expect(decodeClaims('not a token')).toBeNull();
    expect(decodeClaims(tokenWith({ sub: 'u', tenant: 't', role: 'root' }))).toBeNull();
    expect(decodeClaims(tokenWith({ sub: 'u', role: 'admin' }))).toBeNull();
    expect(decodeClaims('a.%%%.c')).toBeNull();
  });

  it('lets a role do what the operation’s x-roles allow', () => {
    expect(roleMay('admin', 'exportCustomers')).toBe(true);
    expect(roleMay('manager', 'exportCustomers')).toBe(false);
    expect(roleMay('staff', 'updateCustomer')).toBe(false);
    expect(roleMay('sales_rep', 'updateCustomer')).toBe(true);
    expect(roleMay('staff', 'logInteraction')).toBe(true);
    expect(roleMay('customer', 'listCustomers')).toBe(false);
  });
});

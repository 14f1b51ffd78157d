import type { Claims } from '@crm/contracts';

/**
 * One budget per person: a caller with a valid token is counted by tenant and subject
 * (so users behind one office NAT do not share it); anyone else by address.
 */
export function rateLimitKey(
  principal: Pick<Claims, 'tenant' | 'sub'> | undefined,
  addressKey: string,
): string {
  return principal === undefined
    ? `ip:${addressKey}`
    : `sub:${principal.tenant}:${encodeURIComponent(principal.sub)}`;
}

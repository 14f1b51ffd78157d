import type { ProfilesConfig } from './config.js';
import { CustomerKeysRepository } from './db/customer-keys.repository.js';
import { CustomerKeys } from './domain/privacy/customer-keys.js';
import { FieldCrypto, parseKeyring } from './domain/privacy/field-crypto.js';

/**
 * The customers' data keys under the master keyring of FIELD_ENCRYPTION_KEYS and
 * FIELD_ENCRYPTION_ACTIVE_KEY: the service and its commands read the keyring the same way.
 */
export function customerKeysOf(
  config: Pick<ProfilesConfig, 'FIELD_ENCRYPTION_KEYS' | 'FIELD_ENCRYPTION_ACTIVE_KEY'>,
): CustomerKeys {
  return new CustomerKeys({
    crypto: new FieldCrypto(
      parseKeyring(config.FIELD_ENCRYPTION_KEYS, config.FIELD_ENCRYPTION_ACTIVE_KEY),
    ),
    repo: new CustomerKeysRepository(),
  });
}

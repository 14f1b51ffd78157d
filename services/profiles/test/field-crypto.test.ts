import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, loadConfig } from '@crm/service-kit';
import { describe, expect, it } from 'vitest';
import { ProfilesConfig } from '../src/config.js';
import {
  DEVELOPMENT_KEY_ID,
  FieldCrypto,
  isSealed,
  MasterKeyMissingError,
  parseKeyring,
  UndecryptableError,
} from '../src/domain/privacy/field-crypto.js';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('the master keyring', () => {
  it('reads ids and 32-byte base64 keys, the active one named or the last listed', () => {
    const ring = parseKeyring(`v1:${k1},v2:${k2}`, undefined);
    expect(ring.active).toBe('v2');
    expect([...ring.keys.keys()]).toEqual(['v1', 'v2']);
    expect(parseKeyring(`v1:${k1}, v2:${k2}`, 'v1').active).toBe('v1');
  });

  it('refuses short keys, bad ids, duplicates and an active id that is not listed', () => {
    expect(() => parseKeyring(`v1:${randomBytes(16).toString('base64')}`, undefined)).toThrow(
      /32 bytes/,
    );
    expect(() => parseKeyring(k1, undefined)).toThrow(/<id>:<base64 key>/);
    expect(() => parseKeyring(`v1:${k1},v1:${k2}`, undefined)).toThrow(/twice/);
    expect(() => parseKeyring(`v1:${k1}`, 'v9')).toThrow(/v9 is not in/);
    // A message names what is wrong, never the key material.
    const material = k1.slice(0, 20);
    const failure = (() => {
      try {
        parseKeyring(`v1:${material}`, undefined);
        return 'accepted';
      } catch (err) {
        return String(err);
      }
    })();
    expect(failure).toMatch(/key v1 must be 32 bytes/);
    expect(failure).not.toContain(material);
  });

  it('falls back to the development key only outside production', () => {
    expect(parseKeyring(undefined, undefined).active).toBe(DEVELOPMENT_KEY_ID);
    const base = { JWT_SECRET: 'x'.repeat(40) };
    expect(loadConfig(ProfilesConfig, { ...base, NODE_ENV: 'development' })).toMatchObject({
      NODE_ENV: 'development',
    });
    const prod = {
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://id.example.com/jwks.json',
      GATEWAY_URL: 'http://gateway:8080',
    };
    expect(() => loadConfig(ProfilesConfig, prod)).toThrow(ConfigError);
    expect(() => loadConfig(ProfilesConfig, prod)).toThrow(/FIELD_ENCRYPTION_KEYS: required/);
    expect(() =>
      loadConfig(ProfilesConfig, { ...prod, FIELD_ENCRYPTION_KEYS: `v1:${k1}` }),
    ).not.toThrow();
    expect(() =>
      loadConfig(ProfilesConfig, {
        ...prod,
        FIELD_ENCRYPTION_KEYS: `v1:${k1}`,
        FIELD_ENCRYPTION_ACTIVE_KEY: 'v2',
      }),
    ).toThrow(/FIELD_ENCRYPTION_KEYS: FIELD_ENCRYPTION_ACTIVE_KEY v2 is not in/);
  });
});

describe('sealed values', () => {
  const crypto = new FieldCrypto(parseKeyring(`v1:${k1}`, undefined));
  const tenantId = randomUUID();
  const customerId = randomUUID();
  const dataKey = { key: crypto.newDataKey(), version: 1 };
  const ctx = { tenantId, customerId, field: 'custom_fields.passport_no' };

  it('round-trips any JSON value and never shows the plaintext', () => {
    for (const value of [
      'X123-secret',
      42,
      true,
      ['a', 'b'],
      { amount_minor: 5, currency: 'EUR' },
    ]) {
      const sealed = crypto.seal(dataKey, ctx, value);
      expect(isSealed(sealed)).toBe(true);
      expect(sealed).not.toContain(JSON.stringify(value));
      expect(crypto.open(dataKey, ctx, sealed)).toEqual(value);
    }
    // A fresh IV each time: equal values do not give equal ciphertexts.
    expect(crypto.seal(dataKey, ctx, 'same')).not.toBe(crypto.seal(dataKey, ctx, 'same'));
  });

  it('does not open for another customer, field, tenant or key version, nor when altered', () => {
    const sealed = crypto.seal(dataKey, ctx, 'X123-secret');
    const elsewhere = [
      { ...ctx, customerId: randomUUID() },
      { ...ctx, field: 'custom_fields.tax_id' },
      { ...ctx, tenantId: randomUUID() },
    ];
    for (const other of elsewhere) {
      expect(() => crypto.open(dataKey, other, sealed)).toThrow(UndecryptableError);
      expect(() => crypto.open(dataKey, other, sealed)).toThrow(/does not decrypt/);
    }
    expect(() => crypto.open({ ...dataKey, version: 2 }, ctx, sealed)).toThrow(
      /data key version 1, the customer has version 2/,
    );
    const otherKey = { key: crypto.newDataKey(), version: 1 };
    expect(() => crypto.open(otherKey, ctx, sealed)).toThrow(UndecryptableError);
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[4] ?? '', 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[4] = ct.toString('base64url');
    expect(() => crypto.open(dataKey, ctx, parts.join('.'))).toThrow(UndecryptableError);
    expect(() => crypto.open(dataKey, ctx, 'X123-secret')).toThrow(/not a sealed value/);
  });
});

describe('wrapped data keys', () => {
  it('unwrap under a keyring that still holds their master key, and re-wrap under the active one', () => {
    const tenantId = randomUUID();
    const customerId = randomUUID();
    const v1 = new FieldCrypto(parseKeyring(`v1:${k1}`, undefined));
    const dataKey = { key: v1.newDataKey(), version: 1 };
    const stored = { ...v1.wrap(tenantId, customerId, dataKey), keyVersion: 1 };
    expect(stored.masterKeyId).toBe('v1');
    expect(stored.wrappedKey).not.toContain(dataKey.key.toString('base64url'));

    const both = new FieldCrypto(parseKeyring(`v1:${k1},v2:${k2}`, 'v2'));
    expect(both.unwrap(tenantId, customerId, stored).key.equals(dataKey.key)).toBe(true);
    const rewrapped = { ...both.wrap(tenantId, customerId, dataKey), keyVersion: 1 };
    expect(rewrapped.masterKeyId).toBe('v2');

    const v2only = new FieldCrypto(parseKeyring(`v2:${k2}`, undefined));
    expect(v2only.unwrap(tenantId, customerId, rewrapped).key.equals(dataKey.key)).toBe(true);
    expect(() => v2only.unwrap(tenantId, customerId, stored)).toThrow(MasterKeyMissingError);
    // A wrapped key copied to another customer does not unwrap there.
    expect(() => both.unwrap(tenantId, randomUUID(), stored)).toThrow(UndecryptableError);
  });
});

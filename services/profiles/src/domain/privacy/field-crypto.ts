import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of customer data: AES-256-GCM everywhere, a random data key per
 * customer, each data key wrapped by a master key of the keyring. Values are bound by their
 * AAD to tenant, customer, field and data key version, so a ciphertext moved anywhere else
 * does not decrypt.
 */

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Format marker of a sealed value: `enc1.<key version>.<iv>.<tag>.<ciphertext>`, base64url. */
const SEALED = /^enc1\.(\d{1,9})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]*)$/;
const WRAPPED = /^([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/;

/** A value or data key that does not decrypt: another customer's, another field's, or tampered. */
export class UndecryptableError extends Error {
  override readonly name = 'UndecryptableError';
}

/** A data key wrapped by a master key that is no longer in the keyring. */
export class MasterKeyMissingError extends Error {
  override readonly name = 'MasterKeyMissingError';
}

export interface MasterKeyring {
  /** Id of the key new data keys are wrapped with. */
  active: string;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Used only where NODE_ENV is not production and FIELD_ENCRYPTION_KEYS is unset; config refuses
 * to start production without a keyring.
 */
export const DEVELOPMENT_KEY_ID = 'dev';
const DEVELOPMENT_KEY = createHash('sha256')
  .update('enhanced-crm development field encryption key')
  .digest();

/**
 * `v1:<base64>,v2:<base64>` (each key 32 bytes) and the active id; without an active id the
 * last key listed is active. Throws with a message naming what is wrong, never the key.
 */
export function parseKeyring(spec: string | undefined, active: string | undefined): MasterKeyring {
  if (spec === undefined || spec.trim() === '') {
    if (active !== undefined && active !== DEVELOPMENT_KEY_ID) {
      throw new Error(
        `FIELD_ENCRYPTION_ACTIVE_KEY is ${active} but FIELD_ENCRYPTION_KEYS is empty`,
      );
    }
    return { active: DEVELOPMENT_KEY_ID, keys: new Map([[DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY]]) };
  }
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',')) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at).trim();
    const material = entry.slice(at + 1).trim();
    if (at <= 0 || !KEY_ID.test(id)) {
      throw new Error('each entry must be <id>:<base64 key>, the id of letters, digits, _ or -');
    }
    if (keys.has(id)) throw new Error(`key id ${id} is listed twice`);
    const key = Buffer.from(material, 'base64');
    if (!BASE64_KEY.test(material) || key.length !== KEY_BYTES) {
      throw new Error(`key ${id} must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
    }
    keys.set(id, key);
  }
  const chosen = active ?? [...keys.keys()].at(-1);
  if (chosen === undefined || !keys.has(chosen)) {
    throw new Error(`FIELD_ENCRYPTION_ACTIVE_KEY ${chosen ?? ''} is not in FIELD_ENCRYPTION_KEYS`);
  }
  return { active: chosen, keys };
}

export interface SealContext {
  tenantId: string;
  customerId: string;
  /** The custom field's name, or the audit entry's value slot. */
  field: string;
}

export interface DataKey {
  key: Buffer;
  version: number;
}

export interface WrappedKey {
  masterKeyId: string;
  wrappedKey: string;
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}

function valueAad(ctx: SealContext, keyVersion: number): Buffer {
  return Buffer.from(
    JSON.stringify(['crm.field', ctx.tenantId, ctx.customerId, ctx.field, keyVersion]),
  );
}

function keyAad(tenantId: string, customerId: string, version: number, masterId: string): Buffer {
  return Buffer.from(JSON.stringify(['crm.data_key', tenantId, customerId, version, masterId]));
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

function decrypt(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && SEALED.test(value);
}

/** The data key version a sealed value names. */
export function sealedKeyVersion(value: string): number | null {
  const m = SEALED.exec(value);
  return m ? Number(m[1]) : null;
}

export class FieldCrypto {
  constructor(private readonly keyring: MasterKeyring) {}

  get activeMasterKeyId(): string {
    return this.keyring.active;
  }

  newDataKey(): Buffer {
    return randomBytes(KEY_BYTES);
  }

  /** Wraps a data key with the active master key. */
  wrap(tenantId: string, customerId: string, dataKey: DataKey): WrappedKey {
    const masterKeyId = this.keyring.active;
    const master = this.keyring.keys.get(masterKeyId);
    if (!master) throw new MasterKeyMissingError(`master key ${masterKeyId} is not in the keyring`);
    const aad = keyAad(tenantId, customerId, dataKey.version, masterKeyId);
    const { iv, ciphertext, tag } = encrypt(master, dataKey.key, aad);
    return { masterKeyId, wrappedKey: `${b64(iv)}.${b64(tag)}.${b64(ciphertext)}` };
  }

  unwrap(
    tenantId: string,
    customerId: string,
    stored: WrappedKey & { keyVersion: number },
  ): DataKey {
    const master = this.keyring.keys.get(stored.masterKeyId);
    if (!master) {
      throw new MasterKeyMissingError(
        `the data key of customer ${customerId} is wrapped by master key ${stored.masterKeyId}, which is not in FIELD_ENCRYPTION_KEYS`,
      );
    }
    const m = WRAPPED.exec(stored.wrappedKey);
    if (!m) throw new UndecryptableError(`the data key of customer ${customerId} is malformed`);
    const [, iv, tag, ct] = m as unknown as [string, string, string, string];
    try {
      const key = decrypt(
        master,
        Buffer.from(iv, 'base64url'),
        Buffer.from(tag, 'base64url'),
        Buffer.from(ct, 'base64url'),
        keyAad(tenantId, customerId, stored.keyVersion, stored.masterKeyId),
      );
      return { key, version: stored.keyVersion };
    } catch {
      throw new UndecryptableError(
        `the data key of customer ${customerId} does not unwrap with master key ${stored.masterKeyId} (another customer's key, or tampered)`,
      );
    }
  }

  /** JSON of the value, sealed with the customer's data key and bound to `ctx`. */
  seal(dataKey: DataKey, ctx: SealContext, value: unknown): string {
    const plaintext = Buffer.from(JSON.stringify(value ?? null));
    const { iv, ciphertext, tag } = encrypt(dataKey.key, plaintext, valueAad(ctx, dataKey.version));
    return `enc1.${dataKey.version}.${b64(iv)}.${b64(tag)}.${b64(ciphertext)}`;
  }

  open(dataKey: DataKey, ctx: SealContext, sealed: string): unknown {
    const m = SEALED.exec(sealed);
    if (!m) throw new UndecryptableError(`${ctx.field} is not a sealed value`);
    const [, version, iv, tag, ct] = m as unknown as [string, string, string, string, string];
    if (Number(version) !== dataKey.version) {
      throw new UndecryptableError(
        `${ctx.field} was sealed with data key version ${version}, the customer has version ${dataKey.version}`,
      );
    }
    let plaintext: Buffer;
    try {
      plaintext = decrypt(
        dataKey.key,
        Buffer.from(iv, 'base64url'),
        Buffer.from(tag, 'base64url'),
        Buffer.from(ct, 'base64url'),
        valueAad(ctx, dataKey.version),
      );
    } catch {
      throw new UndecryptableError(
        `${ctx.field} of customer ${ctx.customerId} does not decrypt: it was sealed for another customer, field or key, or was altered`,
      );
    }
    return JSON.parse(plaintext.toString('utf8')) as unknown;
  }
}

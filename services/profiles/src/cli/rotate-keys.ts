import { CustomFieldsRepository } from '../db/custom-fields.repository.js';
import { SensitiveValuesRepository } from '../db/sensitive-values.repository.js';
import { SensitiveFields } from '../domain/privacy/sensitive-fields.js';
import { customerKeysOf } from '../keyring.js';
import { runCommand, withDatabase } from './command.js';

/**
 * `pnpm --filter @crm/profiles rotate-keys [-- --batch 500] [--tenant <uuid>]`: first seals the
 * values of sensitive fields still stored in clear (written before values were sealed), then
 * re-wraps every customer data key with FIELD_ENCRYPTION_ACTIVE_KEY; one short transaction per
 * batch, progress as JSON lines. Safe while the service runs and safe to stop: a re-run
 * continues with what is left. Exits 0 when no key is left under an older master key.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--batch');
  const batch = at === -1 ? 500 : Number(args[at + 1]);
  const tenantAt = args.indexOf('--tenant');
  const tenant = tenantAt === -1 ? undefined : args[tenantAt + 1];
  if (tenantAt !== -1 && !/^[0-9a-f-]{36}$/i.test(tenant ?? '')) {
    throw new Error('--tenant must be a tenant id (UUID)');
  }
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
    throw new Error('--batch must be a whole number from 1 to 10000');
  }
  await withDatabase(async ({ config, db }) => {
    const keys = customerKeysOf(config);
    const sensitive = new SensitiveFields({
      keys,
      fields: new CustomFieldsRepository(),
      clear: new SensitiveValuesRepository(),
    });
    let sealed = 0;
    for (;;) {
      const n = await sensitive.sealClear(db, batch, tenant);
      if (n === 0) break;
      sealed += n;
      process.stdout.write(`${JSON.stringify({ phase: 'seal', sealed })}\n`);
    }
    const start = await keys.progress(db, 0, tenant);
    process.stdout.write(`${JSON.stringify({ ...start, phase: 'start' })}\n`);
    let rewrapped = 0;
    for (;;) {
      const n = await keys.rotateBatch(db, batch, tenant);
      if (n === 0) break;
      rewrapped += n;
      const p = await keys.progress(db, rewrapped, tenant);
      process.stdout.write(`${JSON.stringify({ ...p, phase: 'batch' })}\n`);
    }
    const end = await keys.progress(db, rewrapped, tenant);
    process.stdout.write(`${JSON.stringify({ ...end, phase: 'done' })}\n`);
    process.exitCode = end.remaining === 0 ? 0 : 1;
  });
}

runCommand('key rotation', main);

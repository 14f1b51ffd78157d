import { createDatabase, loadConfig } from '@crm/service-kit';
import { ProfilesConfig } from '../config.js';
import { AuditRepository } from '../db/audit.repository.js';
import { CustomersRepository } from '../db/customers.repository.js';
import { AuditTrail } from '../domain/audit/audit-trail.js';
import { CustomerKeysRepository } from '../db/customer-keys.repository.js';
import { CustomerKeys } from '../domain/privacy/customer-keys.js';
import { FieldCrypto, parseKeyring } from '../domain/privacy/field-crypto.js';

/**
 * `pnpm --filter @crm/profiles audit:verify [-- --tenant <uuid>]`: walks each tenant's hash
 * chain and prints one JSON line per tenant; exits 1 when any chain is broken.
 */
async function main(): Promise<void> {
  const config = loadConfig(ProfilesConfig);
  const args = process.argv.slice(2);
  const at = args.indexOf('--tenant');
  const only = at === -1 ? undefined : args[at + 1];
  const database = createDatabase({ url: config.DATABASE_URL, role: config.DATABASE_ROLE, max: 2 });
  try {
    // Verifying reads hashes only; the keys are there because the trail seals what it writes.
    const keys = new CustomerKeys(
      new FieldCrypto(
        parseKeyring(config.FIELD_ENCRYPTION_KEYS, config.FIELD_ENCRYPTION_ACTIVE_KEY),
      ),
      new CustomerKeysRepository(),
    );
    const trail = new AuditTrail(
      database.db,
      new AuditRepository(),
      new CustomersRepository(),
      keys,
    );
    const tenants = only ? [only] : await trail.tenants();
    let broken = 0;
    for (const tenant of tenants) {
      const report = await trail.verify(tenant);
      if (!report.ok) broken += 1;
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }
    process.exitCode = broken > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `audit verification failed: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exitCode = 2;
});

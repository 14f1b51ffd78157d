import { createDatabase, loadConfig } from '@crm/service-kit';
import { ProfilesConfig } from '../config.js';
import { AuditRepository } from '../db/audit.repository.js';
import { verifyAuditChain } from '../domain/audit/verify-audit-chain.js';

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
    const audit = { db: database.db, repo: new AuditRepository() };
    const tenants = only ? [only] : await audit.repo.tenants(audit.db);
    let broken = 0;
    for (const tenant of tenants) {
      const report = await verifyAuditChain(audit, tenant);
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

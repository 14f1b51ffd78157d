import { AuditRepository } from '../db/audit.repository.js';
import { verifyAuditChain } from '../domain/audit/verify-audit-chain.js';
import { runCommand, withDatabase } from './command.js';

/**
 * `pnpm --filter @crm/profiles audit:verify [-- --tenant <uuid>]`: walks each tenant's hash
 * chain and prints one JSON line per tenant; exits 1 when any chain is broken.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--tenant');
  const only = at === -1 ? undefined : args[at + 1];
  await withDatabase(async ({ db }) => {
    const audit = { db, repo: new AuditRepository() };
    const tenants = only ? [only] : await audit.repo.tenants(db);
    let broken = 0;
    for (const tenant of tenants) {
      const report = await verifyAuditChain(audit, tenant);
      if (!report.ok) broken += 1;
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }
    process.exitCode = broken > 0 ? 1 : 0;
  });
}

runCommand('audit verification', main);

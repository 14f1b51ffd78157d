/** Applies every service's migrations (what the Kubernetes migration Job does, for all). */
import { fileURLToPath } from 'node:url';
import { runMigrations } from '@crm/service-kit';
import { SERVICES } from './services.js';

export async function migrateAll(databaseUrl: string, log: (m: string) => void): Promise<void> {
  for (const service of SERVICES) {
    if (!service.schema) continue;
    const folder = fileURLToPath(
      new URL(`../services/${service.name}/src/db/migrations`, import.meta.url),
    );
    await runMigrations({
      databaseUrl,
      schema: service.schema,
      migrationsFolder: folder,
      role: `crm_${service.schema}`,
      log,
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm';
  migrateAll(url, (m) => process.stdout.write(`${m}\n`)).catch((err: unknown) => {
    process.stderr.write(`migration failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

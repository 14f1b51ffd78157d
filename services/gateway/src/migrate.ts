import { runMigrationsCli } from '@crm/service-kit';
import { migrationsFolder } from './db/migrations-folder.js';

await runMigrationsCli('gateway', migrationsFolder);

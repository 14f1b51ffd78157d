import { PgBoss } from 'pg-boss';
import type { Logger } from './logger.js';
import { jobsSchemaOf } from './migrate.js';

/** pg-boss in a schema of the service's own (`<schema>_jobs`), for scheduled work. */
export async function startJobs(options: {
  databaseUrl: string;
  schema: string;
  logger: Logger;
}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: jobsSchemaOf(options.schema),
    application_name: `${options.schema}-jobs`,
    max: 4,
  });
  boss.on('error', (err: unknown) => {
    options.logger.error({ err }, 'job queue error');
  });
  await boss.start();
  return boss;
}

export type { PgBoss };

import { createDatabase, loadConfig, type Db } from '@crm/service-kit';
import { ProfilesConfig } from '../config.js';

export interface CommandKit {
  config: ProfilesConfig;
  db: Db;
}

/**
 * Runs `work` with the service's config and a small pool of the service's database, which is
 * closed after, however `work` ends.
 */
export async function withDatabase<T>(work: (kit: CommandKit) => Promise<T>): Promise<T> {
  const config = loadConfig(ProfilesConfig);
  const database = createDatabase({ url: config.DATABASE_URL, role: config.DATABASE_ROLE, max: 2 });
  try {
    return await work({ config, db: database.db });
  } finally {
    await database.close();
  }
}

/**
 * Runs a command's `main`. A failure is one line `<what> failed: <message>` on stderr, then
 * `more(err)` when given, and exit code `codeOf(err)`, 2 unless told.
 */
export function runCommand(
  what: string,
  main: () => Promise<void>,
  failure: { codeOf?: (err: unknown) => number; more?: (err: unknown) => string } = {},
): void {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${what} failed: ${message}\n${failure.more?.(err) ?? ''}`);
    process.exitCode = failure.codeOf?.(err) ?? 2;
  });
}

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runMigrations } from '@crm/service-kit';
import { describe, expect, inject, it } from 'vitest';
import { testEnv, waitFor } from '@crm/testing';
import { migrationsFolder } from '../services/profiles/src/db/migrations-folder.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

describe('a service process', () => {
  it('drains and exits 0 on SIGTERM', async () => {
    await runMigrations({
      databaseUrl: inject('databaseUrl'),
      schema: 'profiles',
      migrationsFolder,
    });
    const port = await freePort();
    const root = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'services/profiles/src/main.ts'],
      {
        cwd: root,
        env: { ...process.env, ...testEnv({ PORT: String(port), LOG_LEVEL: 'info' }) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok,
      { what: 'the service to be ready', timeoutMs: 30_000 },
    );
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, output).toBe(0);
    expect(output).toContain('shut down cleanly');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
const TENANT = '7d1c9f9e-1111-4111-8111-111111111111';

/** Runs the CLI the way the README shows it: `pnpm dev:token -- --tenant …`. */
function devToken(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('pnpm', ['--silent', 'dev:token', '--', ...args], {
    cwd: root,
    env: { ...process.env, JWT_SECRET: SECRET },
  });
}

describe('pnpm dev:token', () => {
  it('takes its options after the `--` pnpm passes through', async () => {
    const { stdout } = await devToken(['--tenant', TENANT, '--role', 'manager', '--teams', 'a,b']);
    const claims = decodeJwt(stdout.trim());
    expect(claims).toMatchObject({ tenant: TENANT, role: 'manager', teams: ['a', 'b'] });
  });

  it('prints its usage with --help', async () => {
    const { stdout } = await devToken(['--help']);
    expect(stdout).toContain('Usage: JWT_SECRET=... pnpm dev:token -- --tenant <uuid>');
    expect(stdout).toContain('--role');
  });

  it('refuses a customer token without a customer id as subject', async () => {
    await expect(devToken(['--tenant', TENANT, '--role', 'customer'])).rejects.toMatchObject({
      stderr: expect.stringContaining('--sub <uuid> is required') as unknown,
    });
  });
});

import { parseArgs } from 'node:util';
import { ROLES, Role } from '@crm/contracts';
import { signDevToken } from '../auth.js';

/** Prints a development token: `pnpm dev:token -- --tenant <uuid> --role admin`. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      sub: { type: 'string' },
      teams: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const secret = process.env.JWT_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error('Set JWT_SECRET (at least 32 characters), the secret the services verify with');
  }
  if (!values.tenant) throw new Error('--tenant <uuid> is required');
  const role = Role.safeParse(values.role);
  if (!role.success) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const input: Parameters<typeof signDevToken>[0] = {
    secret,
    tenant: values.tenant,
    role: role.data,
    expiresIn: values.expires,
  };
  if (values.sub) input.sub = values.sub;
  if (values.teams) input.teams = values.teams.split(',');
  if (values.name) input.name = values.name;
  process.stdout.write(`${await signDevToken(input)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

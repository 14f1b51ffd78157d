import { parseArgs } from 'node:util';
import { ROLES, Role } from '@crm/contracts';
import { z } from 'zod';
import { signDevToken } from '../auth.js';

const USAGE = `Prints a development token signed with JWT_SECRET.

Usage: JWT_SECRET=... pnpm dev:token -- --tenant <uuid> [--role <role>] [--sub <id>]
                                        [--teams a,b] [--name <name>] [--expires 12h]

  --tenant   the tenant's UUID (required)
  --role     one of ${ROLES.join(', ')} (default admin)
  --sub      the subject; a customer's must be the customer's UUID (default <role>-dev)
  --teams    comma-separated team ids
  --name     display name
  --expires  lifetime, e.g. 30m, 12h, 7d (default 12h)
  --help     prints this text
`;

/** Prints a development token: `pnpm dev:token -- --tenant <uuid> --role admin`. */
async function main(): Promise<void> {
  // pnpm passes the `--` that separates its own options from the script's through.
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({
    args,
    options: {
      tenant: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      sub: { type: 'string' },
      teams: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string', default: '12h' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const secret = process.env.JWT_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error('Set JWT_SECRET (at least 32 characters), the secret the services verify with');
  }
  if (!values.tenant) throw new Error(`--tenant <uuid> is required\n\n${USAGE}`);
  const role = Role.safeParse(values.role);
  if (!role.success) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role.data === 'customer' && !z.uuid().safeParse(values.sub).success) {
    throw new Error('--sub <uuid> is required for a customer token: the customer it speaks for');
  }
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

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICES } from '../../scripts/services.js';
import { CONFIG_KEYS, RESERVED_KEYS } from './config-keys.js';
import { imageTag, isObj, isPinnedTag, list, obj, str, type Obj } from './objects.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const composeFile = join(root, 'docker-compose.yml');
const compose = obj(parse(readFileSync(composeFile, 'utf8'), { merge: true }), 'compose file');
const services = obj(compose.services, 'services');

const service = (name: string): Obj => obj(services[name], `service ${name}`);
const environment = (name: string): Obj => obj(service(name).environment, `${name} environment`);
const dependsOn = (name: string): Obj => obj(service(name).depends_on, `${name} depends_on`);
const durationSeconds = (value: unknown): number => {
  const match = /^(\d+)s$/.exec(str(value, 'duration'));
  if (!match?.[1]) throw new Error(`unexpected duration ${String(value)}`);
  return Number(match[1]);
};

/** The services behind the gateway. */
const BACKENDS = SERVICES.filter((s) => s.name !== 'gateway');
/** Every service with a schema of its own, the gateway's staff directory included. */
const MIGRATED = SERVICES.filter((s) => s.schema !== undefined);
/** Web pages for operators, published on loopback only. */
const DEV_UIS = ['rabbitmq', 'mailpit'];

/** Values for the `${VAR:?}` keys, so the file can be rendered without a real `.env`. */
const REQUIRED_ENV = {
  POSTGRES_PASSWORD: 'compose-test-postgres',
  RABBITMQ_PASSWORD: 'compose-test-rabbitmq',
  MEILI_MASTER_KEY: 'compose-test-meili',
};

const hasDockerCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasDockerCompose) {
  console.warn(
    'SKIPPED: test/deploy/compose.test.ts runs `docker-compose config` only where docker-compose is installed (.ci/run installs it on Debian).',
  );
}
const scratch = mkdtempSync(join(tmpdir(), 'crm-compose-test-'));
// An empty env file, so a developer's own `.env` cannot change what the test renders.
const emptyEnvFile = join(scratch, 'empty.env');
writeFileSync(emptyEnvFile, '');
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function dockerComposeConfig(env: Record<string, string>) {
  return spawnSync(
    'docker-compose',
    ['--env-file', emptyEnvFile, '-f', composeFile, '--project-directory', root, 'config', '-q'],
    { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } },
  );
}

describe('docker-compose.yml', () => {
  it('passes dclint with every rule except the project name, which docker-compose v1 refuses', () => {
    const dclintPackage = createRequire(import.meta.url).resolve('dclint/package.json');
    const cli = join(dirname(dclintPackage), 'bin', 'dclint.cjs');
    const run = spawnSync(
      process.execPath,
      [
        cli,
        composeFile,
        '--formatter',
        'json',
        '--max-warnings',
        '0',
        '--disable-rule',
        'require-project-name-field',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    const results = list(JSON.parse(run.stdout), 'dclint results');
    const messages = results.flatMap((r) => list(obj(r, 'result').messages, 'messages'));
    expect(messages).toEqual([]);
    expect(run.status).toBe(0);
  });

  it.skipIf(!hasDockerCompose)(
    'docker-compose config -q accepts it (runs only where docker-compose is installed)',
    () => {
      const run = dockerComposeConfig(REQUIRED_ENV);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    },
  );

  it.skipIf(!hasDockerCompose)(
    'docker-compose refuses to render it without the passwords (runs only where docker-compose is installed)',
    () => {
      for (const missing of Object.keys(REQUIRED_ENV)) {
        const env = Object.fromEntries(
          Object.entries(REQUIRED_ENV).filter(([key]) => key !== missing),
        );
        const run = dockerComposeConfig(env);
        expect(run.status, missing).not.toBe(0);
        expect(run.stderr).toContain(`set ${missing} in .env`);
      }
    },
  );

  it('runs every CRM service with a /readyz healthcheck, a restart policy and a drain window', () => {
    for (const { name, port } of SERVICES) {
      const s = service(name);
      const build = obj(s.build, `${name} build`);
      expect(obj(build.args, `${name} build args`).SERVICE, name).toBe(name);
      expect(environment(name).PORT, name).toBe(String(port));
      const test = list(obj(s.healthcheck, `${name} healthcheck`).test, `${name} test`);
      expect(test.join(' '), name).toContain('/readyz');
      expect(s.restart, name).toBe('unless-stopped');
      expect(durationSeconds(s.stop_grace_period), name).toBeGreaterThan(15);
      expect(s.read_only, name).toBe(true);
      expect(s.cap_drop, name).toEqual(['ALL']);
    }
  });

  it('passes every key each service reads, and none it does not', () => {
    for (const { name } of SERVICES) {
      const keys = Object.keys(environment(name));
      // HOST stays at its default: in a container the service listens on every interface.
      const readable = (CONFIG_KEYS[name] ?? []).filter((key) => key !== 'HOST');
      expect(keys, name).toEqual(expect.arrayContaining(readable));
      const known = new Set([...(CONFIG_KEYS[name] ?? []), ...(RESERVED_KEYS[name] ?? [])]);
      expect(
        keys.filter((key) => !known.has(key)),
        name,
      ).toEqual([]);
    }
  });

  it('gives every supporting service a healthcheck', () => {
    const healthcheck = (name: string) =>
      list(obj(service(name).healthcheck, `${name} healthcheck`).test, name);
    for (const name of ['postgres', 'rabbitmq', 'meilisearch', 'mailpit']) {
      expect(healthcheck(name)[0], name).toBe('CMD');
    }
    expect(healthcheck('postgres')).toContain('pg_isready');
    expect(healthcheck('rabbitmq')).toEqual(
      expect.arrayContaining(['rabbitmq-diagnostics', 'ping']),
    );
  });

  it('migrates each schema in a one-shot service that its service waits for', () => {
    for (const { name, schema } of MIGRATED) {
      const migrate = service(`migrate-${name}`);
      expect(migrate.command, name).toEqual(['node', 'dist/migrate.js']);
      expect(migrate.restart, name).toBe('no');
      expect(migrate.image, name).toBe(service(name).image);
      expect(dependsOn(`migrate-${name}`).postgres).toEqual({ condition: 'service_healthy' });
      expect(dependsOn(name)[`migrate-${name}`], name).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(dependsOn(name).postgres, name).toEqual({ condition: 'service_healthy' });
      expect(dependsOn(name).rabbitmq, name).toEqual({ condition: 'service_healthy' });
      expect(environment(name).DATABASE_ROLE, name).toBe(`crm_${String(schema)}`);
    }
  });

  it('starts the gateway once every service behind it is healthy', () => {
    const deps = dependsOn('gateway');
    for (const { name } of BACKENDS) {
      expect(deps[name], name).toEqual({ condition: 'service_healthy' });
    }
  });

  it('waits only on conditions, never on mere start', () => {
    for (const [name, value] of Object.entries(services)) {
      const deps = obj(value, name).depends_on;
      if (deps === undefined) continue;
      for (const [dep, condition] of Object.entries(obj(deps, `${name} depends_on`))) {
        expect(
          ['service_healthy', 'service_completed_successfully'],
          `${name} -> ${dep}`,
        ).toContain(obj(condition, dep).condition);
      }
    }
  });

  it('publishes only the gateway, plus operator web pages on loopback', () => {
    const published = Object.entries(services).filter(
      ([, s]) => obj(s, 'service').ports !== undefined,
    );
    expect(published.map(([name]) => name).sort()).toEqual(['gateway', ...DEV_UIS].sort());
    for (const [name, s] of published) {
      for (const port of list(obj(s, name).ports, `${name} ports`)) {
        expect(str(port, `${name} port`), name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      }
    }
    expect(service('gateway').ports).toEqual(['127.0.0.1:8080:8080']);
  });

  it('pins every image to a release tag', () => {
    for (const [name, s] of Object.entries(services)) {
      const image = str(obj(s, name).image, `${name} image`);
      const tag = imageTag(image.replace(/\$\{CRM_VERSION:-([^}]+)\}/, '$1'));
      expect(isPinnedTag(tag), `${name}: ${image}`).toBe(true);
    }
    expect(service('postgres').image).toMatch(/^postgres:15\./);
    expect(service('rabbitmq').image).toMatch(/^rabbitmq:3\.13\.\d+-management$/);
    expect(service('meilisearch').image).toMatch(/^getmeili\/meilisearch:v1\.\d+\.\d+$/);
  });

  it('takes every password from the environment, never from the file', () => {
    const secretLike = /(PASSWORD|PASS|SECRET|MASTER_KEY|API_KEY)$/;
    for (const [name, s] of Object.entries(services)) {
      const env = obj(s, name).environment;
      if (!isObj(env)) continue;
      for (const [key, value] of Object.entries(env)) {
        if (!secretLike.test(key) || value === null) continue;
        expect(str(value, key), `${name} ${key}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
      }
      for (const url of ['DATABASE_URL', 'AMQP_URL']) {
        if (env[url] === undefined) continue;
        expect(str(env[url], url), `${name} ${url}`).toMatch(/:\$\{[A-Z_]+_PASSWORD:\?[^}]+\}@/);
      }
    }
  });

  it('keeps the simulator out of a plain `up`', () => {
    expect(service('simulator').profiles).toEqual(['demo']);
    expect(dependsOn('simulator').profiles).toEqual({ condition: 'service_healthy' });
    expect(dependsOn('simulator').interactions).toEqual({ condition: 'service_healthy' });
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_KEYS } from './config-keys.js';
import { isObj, renderOverlay } from './objects.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const operations = readFileSync(`${root}docs/operations.md`, 'utf8');
const section = (title: string): string => {
  const start = operations.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`docs/operations.md has no section ${title}`);
  const end = operations.indexOf('\n## ', start + 1);
  return operations.slice(start, end === -1 ? undefined : end);
};

/** Every `secretKeyRef` and CloudNativePG `passwordSecret` name anywhere in an object. */
function secretNames(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) secretNames(item, found);
  } else if (isObj(value)) {
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'secretKeyRef' || key === 'passwordSecret') && isObj(child)) {
        const name = child.name;
        if (typeof name === 'string') found.add(name);
      }
      if (key === 'tls' && Array.isArray(child)) {
        for (const t of child)
          if (isObj(t) && typeof t.secretName === 'string') found.add(t.secretName);
      }
      secretNames(child, found);
    }
  }
  return found;
}

describe('docs/operations.md', () => {
  it('describes every configuration key the services read', () => {
    const table = section('Configuration');
    const missing = [...ALL_KEYS].filter((key) => !table.includes(`\n| \`${key}\``));
    expect(missing).toEqual([]);
  });

  it('lists every Secret the manifests reference', () => {
    const secrets = section('Kubernetes');
    for (const overlay of ['dev', 'prod']) {
      for (const name of secretNames(renderOverlay(overlay))) {
        const documented = name.replace(
          /^crm-(gateway|profiles|interactions|notes-tasks|comms|segments|automation|analytics)-(?=credentials$|db-login$)/,
          'crm-<service>-',
        );
        expect(secrets, `${overlay}: ${name}`).toContain(`\`${documented}\``);
      }
    }
  });

  it('names every metric the service kit registers', () => {
    const kit = ['metrics.ts', 'consumer.ts', 'service.ts']
      .map((file) => readFileSync(`${root}libs/service-kit/src/${file}`, 'utf8'))
      .join('\n');
    const names = [...kit.matchAll(/name: '([a-z_]+)'/g)].map((m) => m[1] ?? '');
    expect(names.length).toBeGreaterThan(5);
    const metrics = section('Metrics');
    expect(names.filter((name) => !metrics.includes(`\`${name}`))).toEqual([]);
  });
});

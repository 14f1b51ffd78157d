import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

it('keeps the benchmarks and tools out of a service’s source: what they share lives in libs', async () => {
  const reaching: string[] = [];
  for (const dir of ['bench', 'tools']) {
    for (const file of await sources(join(root, dir))) {
      const text = await readFile(file, 'utf8');
      if (/from '(\.\.\/)+services\/[^/]+\/src\//.test(text)) reaching.push(relative(root, file));
    }
  }
  expect(reaching).toEqual([]);
});

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

function newestIn(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, entry)));
  return newest;
}

/** Builds the console unless dist/ is newer than everything it is built from. */
export function ensureConsoleBuilt(): void {
  const built = newestIn(join(CONSOLE_DIST, 'index.html'));
  const sources = Math.max(...INPUTS.map((p) => newestIn(join(CONSOLE_ROOT, p))));
  if (built > sources) return;
  const vite = join(CONSOLE_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: CONSOLE_ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`building the console failed (exit ${run.status})`);
}

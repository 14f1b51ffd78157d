/** Stops the services `pnpm start:all --detach` left running (SIGTERM: they drain first). */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../.run/pids', import.meta.url));
if (!existsSync(file)) {
  process.stdout.write('nothing to stop\n');
  process.exit(0);
}
for (const pid of readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number)) {
  try {
    process.kill(pid, 'SIGTERM');
    process.stdout.write(`stopped ${pid}\n`);
  } catch {
    // already gone
  }
}
rmSync(file);

// Writes libs/contracts/generated/{openapi.json,asyncapi.yaml} from the contract schemas, and
// the console's API types and operation roles from that openapi.json.
// `--check` writes nothing and fails when the committed files differ, for CI.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// By relative path, so plain `tsx` runs it without the `source` export condition.
import {
  ASYNCAPI_FILE,
  GENERATED_DIR,
  OPENAPI_FILE,
  renderContracts,
} from '../libs/contracts/src/generate.js';
import {
  CONSOLE_GENERATED_DIR,
  CONSOLE_ROLES_FILE,
  CONSOLE_SCHEMA_FILE,
  renderConsoleApi,
} from '../apps/console/scripts/generate-api.js';

function current(file: URL): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const check = process.argv.includes('--check');
const rendered = renderContracts();
const consoleApi = await renderConsoleApi(rendered.openapi);
const outputs: [URL, string][] = [
  [OPENAPI_FILE, rendered.openapi],
  [ASYNCAPI_FILE, rendered.asyncapi],
  [CONSOLE_SCHEMA_FILE, consoleApi.schema],
  [CONSOLE_ROLES_FILE, consoleApi.roles],
];

let stale = 0;
if (!check) {
  mkdirSync(GENERATED_DIR, { recursive: true });
  mkdirSync(CONSOLE_GENERATED_DIR, { recursive: true });
}
for (const [file, text] of outputs) {
  const path = fileURLToPath(file);
  if (current(file) === text) {
    console.log(`unchanged ${path}`);
    continue;
  }
  if (check) {
    stale++;
    console.error(`stale     ${path}`);
  } else {
    writeFileSync(file, text);
    console.log(`wrote     ${path}`);
  }
}
if (stale > 0) {
  console.error('The generated contracts are out of date: run pnpm gen and commit the result.');
  process.exitCode = 1;
}

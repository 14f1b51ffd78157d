import { stringify } from 'yaml';
import { buildAsyncApiDocument } from './asyncapi.js';
import { buildOpenApiDocument } from './openapi.js';

export const GENERATED_DIR = new URL('../generated/', import.meta.url);
export const OPENAPI_FILE = new URL('openapi.json', GENERATED_DIR);
export const ASYNCAPI_FILE = new URL('asyncapi.yaml', GENERATED_DIR);

/** The committed contract documents, rendered byte for byte as `pnpm gen` writes them. */
export function renderContracts(): { openapi: string; asyncapi: string } {
  return {
    openapi: `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`,
    // No anchors: a reader of the file should not have to resolve YAML aliases.
    asyncapi: stringify(buildAsyncApiDocument(), { aliasDuplicateObjects: false, lineWidth: 0 }),
  };
}

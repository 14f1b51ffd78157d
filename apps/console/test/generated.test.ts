import { readFileSync } from 'node:fs';
import { ROUTES, type RouteDefinition } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../../libs/contracts/src/generate.js';
import {
  CONSOLE_ROLES_FILE,
  CONSOLE_SCHEMA_FILE,
  operationRoles,
  renderConsoleApi,
} from '../scripts/generate-api.js';

const STALE = 'is stale: run pnpm gen and commit the result';
const openapi = readFileSync(OPENAPI_FILE, 'utf8');

describe("the console's generated API files", () => {
  it('are the current render of openapi.json', async () => {
    const rendered = await renderConsoleApi(openapi);
    expect(
      readFileSync(CONSOLE_SCHEMA_FILE, 'utf8') === rendered.schema,
      `schema.d.ts ${STALE}`,
    ).toBe(true);
    expect(
      readFileSync(CONSOLE_ROLES_FILE, 'utf8') === rendered.roles,
      `operation-roles.ts ${STALE}`,
    ).toBe(true);
  });

  it('give every operation the roles its route declares', () => {
    const roles = operationRoles(JSON.parse(openapi) as Parameters<typeof operationRoles>[0]);
    const routes = Object.values(ROUTES) as RouteDefinition[];
    expect(Object.keys(roles).sort()).toEqual(routes.map((r) => r.id).sort());
    for (const route of routes) expect(roles[route.id], route.id).toEqual([...route.roles]);
  });
});

import type { Role } from '../../roles.js';
import * as http from '../common.js';
import { DevToken, DevTokenBody } from './dev-token.js';

const NOBODY: readonly Role[] = [];

export const devTokenRoutes = {
  createDevToken: {
    id: 'createDevToken',
    method: 'post',
    path: '/crm/dev/token',
    service: 'gateway',
    summary: 'Sign a demonstration token (development only)',
    description:
      'Development only: exists when the gateway verifies tokens with `JWT_SECRET` (HS256) and runs with `DEV_TOKENS=true`; anywhere else it is answered 404 like any unknown path. Signs a staff token for the tenant `DEV_TENANT_ID`, valid for 12 hours, without asking who calls.',
    tags: ['Development'],
    roles: NOBODY,
    request: { body: DevTokenBody },
    responses: {
      200: http.json('The token.', DevToken),
      422: http.invalid,
    },
    auth: 'none',
    developmentOnly: true,
  },
} as const satisfies Record<string, http.RouteDefinition>;

import { z } from 'zod';
import { PageQuery } from '../../pagination.js';
import {
  ADMIN,
  BackendService,
  IdempotencyKeyHeader,
  SERVICE_FROM_PATH,
  guarded,
  guardedInput,
  json,
  problem,
  type RouteDefinition,
} from '../common.js';
import { DeadLetter, DeadLetterPage } from './admin.js';

export const DeadLetterListParams = z.object({
  service: BackendService.describe('The service that consumed the event'),
});

export const DeadLetterParams = DeadLetterListParams.extend({ id: z.uuid() });

export const deadLettersRoutes = {
  listDeadLetters: {
    id: 'listDeadLetters',
    method: 'get',
    path: '/crm/admin/services/{service}/dead-letters',
    service: SERVICE_FROM_PATH,
    summary: 'List dead-lettered events',
    description:
      'Events the service gave up on after its delivery limit, newest first, with the reason of the last failure.',
    tags: ['Admin'],
    roles: ADMIN,
    request: { params: DeadLetterListParams, query: PageQuery.strict() },
    responses: {
      200: json('One page of dead letters.', DeadLetterPage),
      ...guardedInput,
    },
    auth: 'jwt',
  },
  replayDeadLetter: {
    id: 'replayDeadLetter',
    method: 'post',
    path: '/crm/admin/services/{service}/dead-letters/{id}/replay',
    service: SERVICE_FROM_PATH,
    summary: 'Replay a dead-lettered event',
    description:
      "Puts the event back on the service's queue unchanged; its consumers are idempotent, so an event that had partly taken effect is safe to replay.",
    tags: ['Admin'],
    roles: ADMIN,
    request: { params: DeadLetterParams, headers: IdempotencyKeyHeader },
    responses: {
      202: json('The event is queued again; `replayed_at` is set.', DeadLetter),
      ...guarded,
      404: problem('No such dead letter in this service (code `not_found`).'),
      409: problem(
        'The dead letter was already replayed (code `conflict`), or the `Idempotency-Key` was used with another request (code `idempotency_conflict`).',
      ),
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, RouteDefinition>;

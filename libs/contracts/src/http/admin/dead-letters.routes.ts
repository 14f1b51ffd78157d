import { z } from 'zod';
import { PageQuery } from '../../pagination.js';
import * as http from '../common.js';
import { DeadLetter, DeadLetterPage } from './admin.js';

export const DeadLetterListParams = z.object({
  service: http.BackendService.describe('The service that consumed the event'),
});

export const DeadLetterParams = DeadLetterListParams.extend({ id: z.uuid() });

export const deadLettersRoutes = {
  listDeadLetters: {
    id: 'listDeadLetters',
    method: 'get',
    path: '/crm/admin/services/{service}/dead-letters',
    service: http.SERVICE_FROM_PATH,
    summary: 'List dead-lettered events',
    description:
      'Events the service gave up on after its delivery limit, newest first, with the reason of the last failure.',
    tags: ['Admin'],
    roles: http.ADMIN,
    request: { params: DeadLetterListParams, query: PageQuery.strict() },
    responses: {
      200: http.json('One page of dead letters.', DeadLetterPage),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
  replayDeadLetter: {
    id: 'replayDeadLetter',
    method: 'post',
    path: '/crm/admin/services/{service}/dead-letters/{id}/replay',
    service: http.SERVICE_FROM_PATH,
    summary: 'Replay a dead-lettered event',
    description:
      "Puts the event back on the service's queue unchanged; its consumers are idempotent, so an event that had partly taken effect is safe to replay.",
    tags: ['Admin'],
    roles: http.ADMIN,
    request: { params: DeadLetterParams, headers: http.IdempotencyKeyHeader },
    responses: {
      202: http.json('The event is queued again; `replayed_at` is set.', DeadLetter),
      ...http.guarded,
      404: http.problem('No such dead letter in this service (code `not_found`).'),
      409: http.problem(
        'The dead letter was already replayed (code `conflict`), or the `Idempotency-Key` was used with another request (code `idempotency_conflict`).',
      ),
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;

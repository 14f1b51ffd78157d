import { z } from 'zod';

/** The closed set of error codes every service answers with. */
export const ERROR_CODES = [
  'bad_request',
  'invalid_cursor',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'member_inactive',
  'not_found',
  'method_not_allowed',
  'conflict',
  'idempotency_conflict',
  'precondition_failed',
  'precondition_required',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'upstream_unavailable',
  'upstream_timeout',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One place maps a code to its HTTP status; the switch is exhaustive. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'invalid_cursor':
      return 400;
    case 'validation_failed':
      return 422;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
    case 'member_inactive':
      return 403;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'conflict':
    case 'idempotency_conflict':
      return 409;
    case 'precondition_failed':
      return 412;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'precondition_required':
      return 428;
    case 'rate_limited':
      return 429;
    case 'internal':
      return 500;
    case 'upstream_unavailable':
      return 503;
    case 'upstream_timeout':
      return 504;
  }
}

export function titleOf(code: ErrorCode): string {
  switch (code) {
    case 'bad_request':
      return 'Bad request';
    case 'invalid_cursor':
      return 'Invalid cursor';
    case 'validation_failed':
      return 'Validation failed';
    case 'unauthenticated':
      return 'Authentication required';
    case 'forbidden':
      return 'Forbidden';
    case 'member_inactive':
      return 'Member deactivated';
    case 'not_found':
      return 'Not found';
    case 'method_not_allowed':
      return 'Method not allowed';
    case 'conflict':
      return 'Conflict';
    case 'idempotency_conflict':
      return 'Idempotency key reused with a different request';
    case 'precondition_failed':
      return 'Precondition failed';
    case 'precondition_required':
      return 'Precondition required';
    case 'payload_too_large':
      return 'Payload too large';
    case 'unsupported_media_type':
      return 'Unsupported media type';
    case 'rate_limited':
      return 'Too many requests';
    case 'internal':
      return 'Internal error';
    case 'upstream_unavailable':
      return 'Upstream unavailable';
    case 'upstream_timeout':
      return 'Upstream timed out';
  }
}

export const FieldError = z.object({
  field: z
    .string()
    .describe('JSON pointer-like path of the offending field, e.g. "email" or "tags.2"'),
  code: z.string().describe('What rule the field broke, e.g. "invalid_format", "unrecognized_key"'),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

export const Problem = z
  .object({
    type: z.string().describe('URI reference naming the problem type'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: ErrorCode,
    request_id: z.string().optional(),
    errors: z.array(FieldError).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: ErrorCode): string {
  return `https://docs.bookingx.crm/problems/${code.replaceAll('_', '-')}`;
}

import {
  PROBLEM_CONTENT_TYPE,
  problemType,
  statusOf,
  titleOf,
  type ErrorCode,
  type FieldError,
  type Problem,
} from '@crm/contracts';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from './logger.js';

/** The one error type domain code throws; HTTP is decided from its code, in one place. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? titleOf(code));
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);

export function fieldErrorsOf(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      // One entry per key: joined into one path they would name a nested field that is not there.
      return issue.keys.map((key) => ({
        field: [...path, key].join('.'),
        code: 'unrecognized_key',
        message: `Unknown field: ${key}`,
      }));
    }
    return [{ field: path.join('.') || '(body)', code: issue.code, message: issue.message }];
  });
}

export function toProblem(err: AppError, requestId?: string, instance?: string): Problem {
  const problem: Problem = {
    type: problemType(err.code),
    title: titleOf(err.code),
    status: statusOf(err.code),
    detail: err.message,
    code: err.code,
  };
  if (instance) problem.instance = instance;
  if (requestId) problem.request_id = requestId;
  if (err.errors && err.errors.length > 0) problem.errors = err.errors;
  return problem;
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

function isBodyParserError(err: unknown): err is Error & BodyParserError {
  return err instanceof Error && typeof (err as BodyParserError).type === 'string';
}

/** Anything thrown becomes problem+json; unknown errors are logged and never leak a stack. */
export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) {
    return new AppError('validation_failed', 'The request is not valid', fieldErrorsOf(err));
  }
  if (isBodyParserError(err)) {
    switch (err.type) {
      case 'entity.too.large':
        return new AppError('payload_too_large', 'The request body is too large');
      case 'entity.parse.failed':
        return new AppError('bad_request', 'The request body is not valid JSON');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new AppError('unsupported_media_type', err.message);
      default:
        if (err.status && err.status >= 400 && err.status < 500) {
          return new AppError('bad_request', err.message);
        }
    }
  }
  return new AppError('internal', 'An unexpected error occurred');
}

export function sendProblem(
  res: Parameters<RequestHandler>[1],
  err: AppError,
  requestId?: string,
  instance?: string,
): void {
  const problem = toProblem(err, requestId, instance);
  if (err.headers) res.set(err.headers);
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const appError = asAppError(err);
    if (appError.code === 'internal') {
      logger.error({ err, req_id: req.id }, 'unhandled error');
    }
    const requestId =
      typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '';
    sendProblem(res, appError, requestId, req.originalUrl);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`));
};

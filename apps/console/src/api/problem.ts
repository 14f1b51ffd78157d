import type { FieldError, Problem } from './types';

/** A failed call: the problem+json the API answered, or one made up for a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem?.detail ?? problem?.title ?? fallback);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { title?: unknown }).title === 'string' &&
    typeof (value as { status?: unknown }).status === 'number'
  );
}

/** What a person reads for a failed call: the problem's detail, else its title. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function toApiError(status: number, body: unknown, statusText: string): ApiError {
  return new ApiError(
    status,
    isProblem(body) ? body : undefined,
    statusText || `The request failed (${status})`,
  );
}

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

/**
 * One field error in words. The API's message names the value and the rule; for a member who
 * is not (or no longer) in the staff directory it also says what to do.
 */
export function fieldErrorMessage(error: Pick<FieldError, 'code' | 'message'>): string {
  return error.code === 'unknown_member'
    ? `${error.message}: choose an active member of the staff directory.`
    : error.message;
}

function names(field: string, of: readonly string[]): boolean {
  return of.some((f) => field === f || field.startsWith(`${f}.`));
}

/** The words of a failed call's errors about these fields (or their items, `ids.2`), if any. */
export function fieldErrorText(error: unknown, ...fields: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const text = error.fieldErrors
    .filter((e) => names(e.field, fields))
    .map(fieldErrorMessage)
    .join(' ');
  return text === '' ? undefined : text;
}

/** The field errors of a failed call that no field of the form shows: listed with the alert. */
export function unplacedFieldErrors(error: unknown, placed: readonly string[]): FieldError[] {
  if (!(error instanceof ApiError)) return [];
  return error.fieldErrors.filter((e) => !names(e.field, placed));
}

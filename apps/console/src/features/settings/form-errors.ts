import { ApiError } from '../../api/problem';

/** The messages problem+json `errors[]` gives for these fields, joined; undefined for none. */
export function errorsFor(error: unknown): (...fields: string[]) => string | undefined {
  const list = error instanceof ApiError ? error.fieldErrors : [];
  return (...fields) =>
    list
      .filter((e) => fields.includes(e.field))
      .map((e) => e.message)
      .join(' ') || undefined;
}

/** Whether the API refused a write because the object changed since it was read. */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/schema';
import { toApiError } from './problem';

/** The API is served from the same origin as the console, under /crm. */
export const api = createClient<paths>({ baseUrl: '' });

let currentToken: string | null = null;
let onUnauthenticated: () => void = () => undefined;

/** The session sets the token every call sends, and what to do when the API says it is stale. */
export function configureAuth(token: string | null, unauthenticated: () => void): void {
  currentToken = token;
  onUnauthenticated = unauthenticated;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (currentToken !== null) request.headers.set('Authorization', `Bearer ${currentToken}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthenticated();
    return response;
  },
};
api.use(auth);

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful call, or an ApiError carrying the problem+json. */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw toApiError(response.status, error, response.statusText);
  }
  return data as T;
}

/** As unwrap, with the response's ETag for a later If-Match. */
export async function unwrapWithEtag<T>(
  call: Promise<Outcome<T>>,
): Promise<{ data: T; etag: string | null }> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw toApiError(response.status, error, response.statusText);
  }
  return { data: data as T, etag: response.headers.get('ETag') };
}

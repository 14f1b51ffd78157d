export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** JSON (including problem+json) parsed; any other answer as text; null when empty. */
  body: T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
}

export interface ApiClient {
  /** The same client, sending `Authorization: Bearer <token>` (none when undefined). */
  as(token: string | undefined): ApiClient;
  request<T = unknown>(
    method: string,
    path: string,
    options?: RequestOptions & { body?: unknown },
  ): Promise<ApiResponse<T>>;
  get<T = unknown>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  delete<T = unknown>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = unknown>(
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  put<T = unknown>(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  patch<T = unknown>(
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
}

/** A small JSON client for a service or the gateway: `api(url).as(token).post(path, body)`. */
export function api(baseUrl: string, token?: string): ApiClient {
  const request = async <T>(
    method: string,
    path: string,
    options: RequestOptions & { body?: unknown } = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // non-JSON answers (HTML docs, CSV) stay text
    }
    return { status: res.status, headers: res.headers, body: body as T };
  };
  return {
    as: (next) => api(baseUrl, next),
    request,
    get: (path, options) => request('GET', path, options),
    delete: (path, options) => request('DELETE', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    put: (path, body, options) => request('PUT', path, { ...options, body }),
    patch: (path, body, options) => request('PATCH', path, { ...options, body }),
  };
}

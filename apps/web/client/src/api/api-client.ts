/** The services behind the web server's /api/<service> proxy. */
export type Service = 'catalog' | 'booking' | 'worker';

export interface FieldProblem {
  field: string;
  messages: string[];
}

/** The services' one error shape, kept whole so the page can put it in words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get fieldProblems(): FieldProblem[] {
    return this.code === 'VALIDATION_FAILED' && Array.isArray(this.details) ? (this.details as FieldProblem[]) : [];
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

let onUnauthenticated: (() => void) | null = null;

/** Called when a signed-in request answers 401 (the token expired): the session ends. */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

export function apiUrl(service: Service, path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return `/api/${service}${path}${search ? `?${search}` : ''}`;
}

export async function api<T>(service: Service, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiUrl(service, path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  const text = await response.text();
  const body = text ? safeJson(text) : null;
  if (!response.ok) {
    if (response.status === 401 && options.token) onUnauthenticated?.();
    const error = (body ?? {}) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(response.status, error.code ?? `HTTP_${response.status}`, error.message ?? response.statusText, error.details);
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/*
 * The one HTTP client of the console. It uses the session cookie (never the token), sends the
 * CSRF token kept in sessionStorage on every write, turns problem+json answers into ApiError,
 * reads ETags for If-Match, and reports a 401 on anything but the login itself to the handler
 * that the router installs (session expired → login → back to the same page).
 */
import type { Problem } from './types';

const CSRF_KEY = 'egov.csrf';

export function setCsrfToken(token: string | null): void {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

export function csrfToken(): string | null {
  return sessionStorage.getItem(CSRF_KEY);
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /* Seconds from the Retry-After header of a 429, else null. */
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem, retryAfter: number | null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /* A network failure or an answer that was not JSON. */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface Answer<T> {
  data: T;
  etag: string | null;
}

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /* The entity's ETag ("ID-VERSION") for PATCH/DELETE: 412 when someone else changed it. */
  ifMatch?: string | null;
  /* Do not report a 401 to the session-expired handler (the initial "who am I"). */
  quiet401?: boolean;
}

let onUnauthorized: ((err: ApiError) => void) | null = null;

/* The router installs this: it sends the person to the login page and back afterwards. */
export function setUnauthorizedHandler(fn: (err: ApiError) => void): void {
  onUnauthorized = fn;
}

export function etagOf(id: number | undefined, version: number | undefined): string {
  return `"${id}-${version}"`;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = csrfToken();
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, { title: 'network', status: 0 }, null);
  }
  const etag = res.headers.get('ETag');
  if (res.status === 204) return { data: undefined as T, etag };
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const problem: Problem = json && typeof json === 'object' ? (json as Problem) : { status: res.status };
    const ra = res.headers.get('Retry-After');
    const err = new ApiError(res.status, problem, ra && /^\d+$/.test(ra) ? Number(ra) : null);
    const isLogin = path === '/session' && method === 'POST';
    if (res.status === 401 && !isLogin && !opts.quiet401 && onUnauthorized) onUnauthorized(err);
    throw err;
  }
  if (json === null) throw new ApiError(0, { title: 'network', status: res.status }, null);
  return { data: json as T, etag };
}

/*
 * A public document that is not JSON, or whose exact bytes matter (a catalogue edition as it was
 * signed, the PEM public key, a signature): the text and the headers, errors as ApiError.
 */
export async function requestText(path: string, query?: Record<string, QueryValue>): Promise<{ text: string; headers: Headers }> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), { credentials: 'same-origin', headers: { Accept: '*/*' } });
  } catch {
    throw new ApiError(0, { title: 'network', status: 0 }, null);
  }
  const text = await res.text();
  if (!res.ok) {
    let problem: Problem = { status: res.status };
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      /* not problem+json */
    }
    throw new ApiError(res.status, problem, null);
  }
  return { text, headers: res.headers };
}

/* The absolute URL of an API path, for links and for the commands shown to people. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  return `${window.location.origin}${buildUrl(path, query)}`;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>) => request<T>('GET', path, { query }),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown, ifMatch?: string | null) => request<T>('PATCH', path, { body, ifMatch }),
  del: (path: string, ifMatch?: string | null) => request<void>('DELETE', path, { ifMatch }),
};

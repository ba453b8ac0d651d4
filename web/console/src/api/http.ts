// One place where the console talks REST: JSON bodies, the CSRF header on
// every change, and the errors of docs/protocol.md turned into ApiError.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let csrfToken = '';
let onUnauthorized: (err: ApiError) => void = () => {};

/** Kept in memory only: a reload asks GET /api/session for it again. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The session's CSRF token, for a request made without request(). */
export const csrf = () => csrfToken;

/**
 * Called when a request that needed a session gets 401 (not logged in, or
 * session_expired): the app goes back to the login page.
 */
export function setUnauthorizedHandler(fn: (err: ApiError) => void): void {
  onUnauthorized = fn;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  /** Login and first-admin requests: a 401 is an answer, not a lost session. */
  noSessionRedirect?: boolean;
}

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }

  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (res.ok) return data as T;

  const err = toApiError(res.status, data);
  if (res.status === 401 && !opts.noSessionRedirect) onUnauthorized(err);
  throw err;
}

function toApiError(status: number, data: unknown): ApiError {
  if (data && typeof data === 'object') {
    const d = data as { error?: unknown; code?: unknown };
    if (typeof d.error === 'string') {
      return new ApiError(status, typeof d.code === 'string' ? d.code : 'error', d.error);
    }
  }
  return new ApiError(status, 'error', `The server answered ${status}.`);
}

/** The text to show for any failure of a call. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * The typed client of the officer API. Every error carries the server's stable code and its Vietnamese
 * message, which screens show as they are.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly userMessage: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** Field → Vietnamese message, for forms. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details as { field?: string; userMessage?: string }[]) {
        if (d.field && d.userMessage) {
          out[d.field] = d.userMessage;
        }
      }
    }
    return out;
  }
}

/** Called when the session has ended, so the app can send the officer to the login screen. */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'Network error',
      'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
      null,
    );
  }
  if (res.status === 204) {
    return undefined as T;
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const problem = (data ?? {}) as {
      error?: string;
      message?: string;
      userMessage?: string;
      details?: unknown;
    };
    if (res.status === 401 && path !== '/api/auth/login') {
      onUnauthenticated();
    }
    throw new ApiError(
      res.status,
      problem.error ?? 'http_error',
      problem.message ?? res.statusText,
      problem.userMessage ?? 'Có lỗi xảy ra. Vui lòng thử lại.',
      problem.details ?? null,
    );
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Builds a query string from the defined values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

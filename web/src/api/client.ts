import { type ErrorCode, isErrorCode, type TApiError } from '@contracts/errors.ts';

/** A code of the server's error catalogue, or one of the client's own when no answer could be read. */
export type ClientErrorCode = ErrorCode | 'network_error' | 'http_error';

/**
 * The typed client of the officer API. Response types are the contracts' (src/contracts, z.infer), named at
 * each call. Every error carries the server's stable code and its Vietnamese
 * message, which screens show as they are.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
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

/** The server's error answer as an ApiError (the body may be missing or not JSON). */
async function errorOf(res: Response, path: string): Promise<ApiError> {
  const problem = ((await res.json().catch(() => null)) ?? {}) as Partial<TApiError>;
  if (res.status === 401 && path !== '/api/auth/login') {
    onUnauthenticated();
  }
  return new ApiError(
    res.status,
    problem.error && isErrorCode(problem.error) ? problem.error : 'http_error',
    problem.message ?? res.statusText,
    problem.userMessage ?? 'Có lỗi xảy ra. Vui lòng thử lại.',
    problem.details ?? null,
  );
}

const NETWORK_ERROR = () =>
  new ApiError(
    0,
    'network_error',
    'Network error',
    'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
    null,
  );

/**
 * Downloads a file the server builds (the Excel export) and saves it under the server's file name. Fetched
 * rather than followed as a link, so that a refusal or a failure reaches the screen as a Vietnamese message
 * instead of a broken download the app knows nothing about.
 */
export async function downloadFile(path: string): Promise<string> {
  let res: Response;
  let blob: Blob;
  try {
    res = await fetch(path, { credentials: 'same-origin' });
    if (!res.ok) {
      throw await errorOf(res, path);
    }
    blob = await res.blob();
  } catch (err) {
    throw err instanceof ApiError ? err : NETWORK_ERROR();
  }
  const name =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ??
    path.split('/').pop()?.split('?')[0] ??
    'tai-xuong';
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
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
    throw NETWORK_ERROR();
  }
  if (res.status === 204) {
    return undefined as T;
  }
  if (!res.ok) {
    throw await errorOf(res, path);
  }
  const data = await res.json().catch(() => null);
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

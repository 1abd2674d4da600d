import type { Config } from '../config.ts';
import { exchange, type OutboundRequest } from '../http/outbound.ts';

/**
 * The Zalo HTTP client (zalo-platform.md): `access_token` header, JSON bodies for OA/ZBS calls, form-encoded
 * token requests with the `secret_key` header, and errors read from the body — Zalo answers most of them with
 * HTTP 200 and `error != 0`. Every outcome is data, never an exception that escapes a task.
 */
export type FailureKind =
  /** Token invalid or expired: refresh once, retry once. */
  | 'token'
  /** Zalo cannot reach this recipient (not a Zalo user, invalid phone, blocked): the fallback channels' job. */
  | 'unreachable'
  /** Account-level: template not approved, quota, balance, permissions. Wait and alert an administrator. */
  | 'wait'
  /** Our payload is wrong: retrying the same request cannot succeed. */
  | 'permanent'
  /** Network, timeout, HTTP 5xx, Zalo's own unknown error or rate limit: retry with backoff. */
  | 'transient';

export type ZaloOutcome<T = Record<string, unknown>> =
  | { ok: true; data: T }
  | { ok: false; kind: FailureKind; code: number | null; message: string };

const TOKEN = new Set([-124, -216, -220]);
const UNREACHABLE = new Set([-108, -114, -118, -119, -139, -141, -227]);
const WAIT = new Set([
  -101, -102, -103, -104, -105, -115, -117, -125, -126, -127, -131, -133, -135, -1351, -136, -137, -144, -146,
  -147, -209, -212, -223,
]);
const TRANSIENT = new Set([-100, -32]);

/** Which way to go after a Zalo error code (§3.2, §8). Unknown codes are treated as permanent: a person must look. */
export function classifyZaloError(code: number): FailureKind {
  if (TOKEN.has(code)) {
    return 'token';
  }
  if (UNREACHABLE.has(code)) {
    return 'unreachable';
  }
  if (WAIT.has(code)) {
    return 'wait';
  }
  if (TRANSIENT.has(code)) {
    return 'transient';
  }
  return 'permanent';
}

/** No call to Zalo lasts longer: a hung connection must not hold a worker slot. */
export const ZALO_CALL_TIMEOUT_MS = 10_000;

async function call<T>(url: string, init: OutboundRequest): Promise<ZaloOutcome<T>> {
  let res: { status: number; text: string };
  try {
    res = await exchange(url, init, ZALO_CALL_TIMEOUT_MS);
  } catch (err) {
    return { ok: false, kind: 'transient', code: null, message: `Network error: ${(err as Error).message}` };
  }
  const text = res.text;
  if (res.status >= 500 || res.status === 429) {
    return { ok: false, kind: 'transient', code: null, message: `HTTP ${res.status}` };
  }
  let body: { error?: number; message?: string; data?: T };
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, kind: 'transient', code: null, message: `HTTP ${res.status}: not JSON` };
  }
  if (typeof body.error === 'number' && body.error !== 0) {
    return {
      ok: false,
      kind: classifyZaloError(body.error),
      code: body.error,
      message: body.message ?? 'Zalo error',
    };
  }
  if (res.status < 200 || res.status >= 300) {
    return { ok: false, kind: 'permanent', code: null, message: `HTTP ${res.status}` };
  }
  return { ok: true, data: (body.data ?? {}) as T };
}

const jsonPost = (url: string, accessToken: string, body: unknown) =>
  call<Record<string, unknown>>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', access_token: accessToken },
    body: JSON.stringify(body),
  });

export interface ZbsSent {
  msg_id: string;
  sent_time: string;
  quota?: { dailyQuota?: string; remainingQuota?: string };
}

/** ZBS template message by phone (§3.1): `tracking_id` correlates the delivery receipt. */
export function sendTemplateByPhone(
  zalo: Config['zalo'],
  accessToken: string,
  m: { phone: string; templateId: string; templateData: Record<string, string>; trackingId: string },
) {
  return jsonPost(`${zalo.businessApiUrl}/message/template`, accessToken, {
    phone: m.phone,
    template_id: m.templateId,
    template_data: m.templateData,
    tracking_id: m.trackingId,
  }) as Promise<ZaloOutcome<ZbsSent>>;
}

/** ZBS template to a follower's OA user id (§2.3). */
export function sendTemplateByUid(
  zalo: Config['zalo'],
  accessToken: string,
  m: { userId: string; templateId: string; templateData: Record<string, string> },
) {
  return jsonPost(`${zalo.openApiUrl}/v3.0/oa/message/template`, accessToken, {
    user_id: m.userId,
    template_id: m.templateId,
    template_data: m.templateData,
  }) as Promise<ZaloOutcome<{ message_id: string; user_id: string }>>;
}

export interface CsButton {
  title: string;
  type: 'oa.open.url' | 'oa.query.show' | 'oa.query.hide';
  payload: unknown;
}

/** Consultation message, only within 7 days of the user's last interaction (§2.2). */
export function sendConsultation(
  zalo: Config['zalo'],
  accessToken: string,
  m: { userId: string; text: string; buttons?: CsButton[] },
) {
  return jsonPost(`${zalo.openApiUrl}/v3.0/oa/message/cs`, accessToken, {
    recipient: { user_id: m.userId },
    message: m.buttons?.length
      ? { text: m.text, attachment: { type: 'template', payload: { buttons: m.buttons } } }
      : { text: m.text },
  }) as Promise<ZaloOutcome<{ message_id: string; user_id: string }>>;
}

/** A follower's profile (§2.5.1); `shared_info` exists only when the user shared it with the OA. */
export interface ZaloUserDetail {
  user_id: string;
  display_name?: string;
  user_is_follower?: boolean;
  shared_info?: { phone?: string | number; name?: string };
}

export function getUserDetail(zalo: Config['zalo'], accessToken: string, userId: string) {
  const data = encodeURIComponent(JSON.stringify({ user_id: userId }));
  return call<ZaloUserDetail>(`${zalo.openApiUrl}/v3.0/oa/user/detail?data=${data}`, {
    method: 'GET',
    headers: { access_token: accessToken },
  });
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

/**
 * The token endpoint (§1.3–1.5): form-encoded, `secret_key` header, `expires_in` as a string. Success is the
 * presence of `access_token`, whatever the HTTP status says.
 */
async function tokenRequest(
  zalo: Config['zalo'],
  fields: Record<string, string>,
): Promise<ZaloOutcome<TokenPair>> {
  let res: Response;
  try {
    res = await fetch(`${zalo.oauthUrl}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: zalo.appSecret ?? '' },
      body: new URLSearchParams({ app_id: zalo.appId ?? '', ...fields }).toString(),
      signal: AbortSignal.timeout(ZALO_CALL_TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, kind: 'transient', code: null, message: `Network error: ${(err as Error).message}` };
  }
  if (res.status >= 500) {
    return { ok: false, kind: 'transient', code: null, message: `HTTP ${res.status}` };
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (typeof body.access_token === 'string' && typeof body.refresh_token === 'string') {
    return {
      ok: true,
      data: {
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        expiresInSeconds: Number(body.expires_in ?? 90_000),
      },
    };
  }
  const code = typeof body.error === 'number' ? body.error : null;
  const reason = [body.error_name, body.error_description].filter(Boolean).join(': ') || `HTTP ${res.status}`;
  return { ok: false, kind: 'permanent', code, message: reason };
}

export function exchangeCode(zalo: Config['zalo'], code: string, codeVerifier: string) {
  return tokenRequest(zalo, { code, grant_type: 'authorization_code', code_verifier: codeVerifier });
}

export function refreshAccessToken(zalo: Config['zalo'], refreshToken: string) {
  return tokenRequest(zalo, { refresh_token: refreshToken, grant_type: 'refresh_token' });
}

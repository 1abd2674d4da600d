import type { Config } from '../config.ts';
import type { SmsMessage, SmsProvider, SmsResult } from './provider.ts';

const TIMEOUT_MS = 15_000;

/**
 * A generic brandname SMS gateway over HTTP: a JSON POST to SMS_GATEWAY_URL with HTTP Basic
 * (SMS_GATEWAY_USER / SMS_GATEWAY_PASSWORD) or a Bearer token (SMS_GATEWAY_TOKEN).
 *
 *   → { "from": brandname, "to": "84912345678", "text": "…", "unicode": false, "reference": "123" }
 *   ← 2xx { "messageId": "…" } (or "id" / "message_id")                      accepted
 *   ← 429, 5xx, timeout, connection error                                    transient: retried
 *   ← other 4xx, or 2xx with "status": "error" / "success": false            permanent: failed
 *
 * Vietnamese gateways (Viettel, VNPT, FPT, eSMS…) differ in field names; a thin proxy or a second adapter
 * maps them onto this shape.
 */
export function httpGateway(config: Config['sms']): SmsProvider {
  const url = config.gatewayUrl;
  if (!url) {
    throw new Error('httpGateway needs SMS_GATEWAY_URL');
  }
  const authorization = config.token
    ? `Bearer ${config.token}`
    : `Basic ${Buffer.from(`${config.user ?? ''}:${config.password ?? ''}`).toString('base64')}`;
  return {
    name: 'http',
    async send(message: SmsMessage): Promise<SmsResult> {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({
            from: config.brandname,
            to: message.to,
            text: message.text,
            unicode: message.encoding === 'ucs2',
            reference: message.reference,
          }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        return {
          ok: false,
          kind: 'transient',
          code: null,
          message: `SMS gateway unreachable: ${errorText(err)}`,
        };
      }
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      const detail = String(body.message ?? body.error ?? body.description ?? res.statusText ?? '').slice(
        0,
        300,
      );
      if (res.status === 429 || res.status >= 500) {
        return {
          ok: false,
          kind: 'transient',
          code: String(res.status),
          message: `SMS gateway HTTP ${res.status}: ${detail}`,
        };
      }
      const refused = body.status === 'error' || body.success === false;
      if (!res.ok || refused) {
        const code = body.code ?? body.errorCode ?? res.status;
        return {
          ok: false,
          kind: 'permanent',
          code: String(code),
          message: `SMS gateway refused the message (HTTP ${res.status}, code ${String(code)}): ${detail}`,
        };
      }
      const id = body.messageId ?? body.message_id ?? body.id;
      return {
        ok: true,
        providerMessageId: id === undefined ? `http-${message.reference}` : String(id),
        delivered: false,
      };
    },
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return cause ? `${err.message} (${cause})` : err.message;
  }
  return String(err);
}

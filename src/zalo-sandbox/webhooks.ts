import { createHash } from 'node:crypto';
import { exchange } from '../http/outbound.ts';
import type { SandboxState } from './state.ts';

/** Zalo's retry schedule after a non-200 answer (zalo-platform.md §4.6), in ms before time scaling. */
export const RETRY_SCHEDULE_MS = [30_000, 300_000, 900_000, 1_800_000, 3_600_000];

/** mac = sha256(appId + data + timeStamp + OA secret key), hex — a plain SHA-256, not an HMAC (§4.3). */
export function webhookMac(appId: string, rawBody: string, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256')
    .update(appId + rawBody + timestamp + oaSecretKey)
    .digest('hex');
}

/**
 * Sends a signed event to the product as Zalo does: raw JSON body, `X-ZEvent-Signature: mac=…`,
 * `X-ZEvent-Server` (ZNS for phone-send receipts, OA OpenAPI otherwise), retried on anything but HTTP 200.
 */
export function dispatchEvent(
  state: SandboxState,
  event: Record<string, unknown> & { event_name: string },
  server: 'ZNS' | 'OA OpenAPI' = 'OA OpenAPI',
): void {
  const url = state.options.webhookUrl;
  if (!url) {
    return;
  }
  const timestamp = String(Date.now());
  const body = JSON.stringify({ app_id: state.options.appId, ...event, timestamp });
  const mac = webhookMac(state.options.appId, body, timestamp, state.options.oaSecretKey);
  const delivery = {
    id: state.webhooks.length + 1,
    event: event.event_name,
    attempts: 0,
    status: 'pending' as 'pending' | 'delivered' | 'failed',
    lastStatus: null as number | null,
    lastError: null as string | null,
  };
  state.webhooks.push(delivery);
  if (state.webhooks.length > 5000) {
    state.webhooks.splice(0, state.webhooks.length - 5000);
  }
  const attempt = async (retry: number) => {
    delivery.attempts++;
    try {
      const res = await exchange(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-zevent-signature': `mac=${mac}`,
            'x-zevent-server': server,
            'user-agent': 'ZaloWebhook',
            ...(retry > 0 ? { num_retry: String(retry) } : {}),
          },
          body,
        },
        5000,
      );
      delivery.lastStatus = res.status;
      if (res.status === 200) {
        delivery.status = 'delivered';
        return;
      }
      delivery.lastError = `HTTP ${res.status}`;
    } catch (err) {
      delivery.lastError = (err as Error).message;
    }
    const wait = RETRY_SCHEDULE_MS[retry];
    if (wait === undefined) {
      delivery.status = 'failed';
      return;
    }
    setTimeout(() => void attempt(retry + 1), Math.max(1, wait * state.options.timeScale)).unref();
  };
  void attempt(0);
}

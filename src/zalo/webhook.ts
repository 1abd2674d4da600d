import { createHash } from 'node:crypto';
import { sameSecret } from '../http/same-secret.ts';

/**
 * Zalo's webhook signature (zalo-platform.md §4.3): `X-ZEvent-Signature: mac=<hex>` with
 * mac = sha256(appId + rawBody + timestamp + OA secret key). Sources disagree on whether the first term is
 * the app id or the OA id (§4.5), so both are accepted; the caller logs which one matched.
 */
export function verifyZaloSignature(
  header: string | undefined,
  rawBody: string,
  timestamp: string,
  ids: { appId?: string; oaId?: string },
  oaSecretKey: string,
): 'appId' | 'oaId' | undefined {
  const given = /^mac=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')?.[1]?.toLowerCase();
  if (!given) {
    return undefined;
  }
  for (const which of ['appId', 'oaId'] as const) {
    const id = ids[which];
    if (!id) {
      continue;
    }
    const expected = createHash('sha256')
      .update(id + rawBody + timestamp + oaSecretKey)
      .digest('hex');
    if (sameSecret(given, expected)) {
      return which;
    }
  }
  return undefined;
}

/**
 * The key that makes a replayed or retried event a duplicate: the message id when there is one, otherwise
 * the event's own identity (name, user, timestamp), otherwise a digest of the body.
 */
export function eventDedupeKey(event: Record<string, unknown>, rawBody: string): string {
  const name = String(event.event_name ?? 'unknown');
  const message = event.message as { msg_id?: unknown; submit_time?: unknown } | undefined;
  if (message && typeof message.msg_id === 'string' && message.msg_id) {
    // A rating of one message may be changed: each submission (user_feedback's submit_time) is an event.
    const submitted =
      name === 'user_feedback' ? `:${String(message.submit_time ?? event.timestamp ?? '')}` : '';
    return `${name}:${message.msg_id}${submitted}`;
  }
  const user =
    (event.follower as { id?: unknown } | undefined)?.id ??
    (event.sender as { id?: unknown } | undefined)?.id;
  if (user && event.timestamp) {
    return `${name}:${String(user)}:${String(event.timestamp)}`;
  }
  return `${name}:sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

import { createHmac } from 'node:crypto';
import { sameSecret } from '../http/same-secret.ts';

/** The header every callback carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-motcua-signature';

export function signCallback(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * What a receiver does (docs/integration-api.md shows the same in a few lines): recompute the HMAC over the
 * timestamp and the raw body, compare in constant time, and refuse old timestamps (replays).
 */
export function verifyCallback(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) {
    return false;
  }
  const t = Number(m[1]);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) {
    return false;
  }
  return sameSecret(signCallback(secret, t, body), `t=${t},v1=${m[2]}`);
}

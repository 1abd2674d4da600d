import { createHmac } from 'node:crypto';
import { sameSecret } from './same-secret.ts';

/**
 * Officer sessions are signed cookies, so any app node can verify them without shared memory:
 * `<userId>.<sessionVersion>.<expiresEpochSeconds>.<hmac>`. Bumping the user's session_version (password
 * change, disabling) invalidates every cookie issued before.
 */
export const SESSION_COOKIE = 'motcua_session';

export interface SessionClaims {
  userId: number;
  sessionVersion: number;
  expiresAt: number;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function signSession(secret: string, claims: SessionClaims): string {
  const payload = `${claims.userId}.${claims.sessionVersion}.${claims.expiresAt}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The claims of a valid, unexpired cookie; undefined otherwise. */
export function verifySession(
  secret: string,
  value: string | undefined,
  nowSeconds: number,
): SessionClaims | undefined {
  if (!value) {
    return undefined;
  }
  const parts = value.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  const [userId, version, expires, signature] = parts as [string, string, string, string];
  if (!sameSecret(signature, mac(secret, `${userId}.${version}.${expires}`))) {
    return undefined;
  }
  const claims = { userId: Number(userId), sessionVersion: Number(version), expiresAt: Number(expires) };
  if (
    !Number.isSafeInteger(claims.userId) ||
    !Number.isSafeInteger(claims.sessionVersion) ||
    claims.expiresAt <= nowSeconds
  ) {
    return undefined;
  }
  return claims;
}

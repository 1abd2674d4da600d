import { createHmac } from 'node:crypto';
import { sameSecret } from '../http/same-secret.ts';

/**
 * Officer sessions are signed cookies naming a session row:
 * `<userId>.<sessionVersion>.<expiresEpochSeconds>.<sessionId>.<hmac>`. The signature is checked without the
 * database; the request's one user query then also requires the session row (logout deletes it) and the
 * user's current session_version (bumped by a password change, disabling or "sign out everywhere").
 */
export const SESSION_COOKIE = 'motcua_session';

export interface SessionClaims {
  userId: number;
  sessionVersion: number;
  expiresAt: number;
  /** The app_session row (random, base64url). */
  sessionId: string;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function signSession(secret: string, claims: SessionClaims): string {
  const payload = `${claims.userId}.${claims.sessionVersion}.${claims.expiresAt}.${claims.sessionId}`;
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
  if (parts.length !== 5) {
    return undefined;
  }
  const [userId, version, expires, sessionId, signature] = parts as [string, string, string, string, string];
  if (!sameSecret(signature, mac(secret, `${userId}.${version}.${expires}.${sessionId}`))) {
    return undefined;
  }
  const claims = {
    userId: Number(userId),
    sessionVersion: Number(version),
    expiresAt: Number(expires),
    sessionId,
  };
  if (
    !Number.isSafeInteger(claims.userId) ||
    claims.userId > 2_147_483_647 ||
    !/^[A-Za-z0-9_-]{16,64}$/.test(sessionId) ||
    !Number.isSafeInteger(claims.sessionVersion) ||
    claims.expiresAt <= nowSeconds
  ) {
    return undefined;
  }
  return claims;
}

import { createHash, randomBytes } from 'node:crypto';
import { type Actor, requireRole, userIdOf } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { SANDBOX_PREFIX } from '../config.ts';
import { AppError, invalid } from '../errors.ts';
import { recordAudit } from '../record-audit.ts';
import { exchangeCode, refreshAccessToken } from './client.ts';
import { storeTokenPair } from './token-store.ts';

/**
 * Connecting the OA (page "Kết nối Zalo OA"): the OAuth v4 flow with PKCE, or a refresh token pasted from
 * Zalo's API Explorer, or ZALO_REFRESH_TOKEN at first start.
 */
export function callbackUrl(app: AppContext): string {
  return `${app.config.http.publicBaseUrl}/api/zalo/oauth/callback`;
}

/** The consent URL, with a fresh PKCE pair kept in the database for the callback (any node may receive it). */
export async function startOAuth(app: AppContext, actor: Actor): Promise<string> {
  requireRole(actor, ['admin'], 'connect the Zalo OA');
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  await app.db
    .insertInto('zalo_oauth_request')
    .values({ state, code_verifier: verifier, created_by: userIdOf(actor) })
    .execute();
  // The administrator's browser opens the consent page: the built-in sandbox's is reached at the public origin,
  // where the browser holds the session cookie the page requires (the product itself calls it over loopback).
  const consentBase = app.config.zalo.sandbox
    ? `${app.config.http.publicBaseUrl}${SANDBOX_PREFIX}/oauth`
    : app.config.zalo.oauthUrl;
  const url = new URL(`${consentBase}/v4/oa/permission`);
  url.searchParams.set('app_id', app.config.zalo.appId ?? '');
  url.searchParams.set('redirect_uri', callbackUrl(app));
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('state', state);
  return url.toString();
}

export async function finishOAuth(
  app: AppContext,
  q: { code?: string; state?: string; error?: string },
): Promise<void> {
  if (q.error || !q.code || !q.state) {
    throw new AppError(
      'oauth_denied',
      `Zalo consent was not given (${q.error ?? 'no code'})`,
      'Quản trị viên OA chưa cho phép ứng dụng.',
    );
  }
  const request = await app.db
    .deleteFrom('zalo_oauth_request')
    .where('state', '=', q.state)
    .returningAll()
    .executeTakeFirst();
  if (!request || app.clock().getTime() - new Date(request.created_at).getTime() > 15 * 60_000) {
    throw new AppError(
      'oauth_state_invalid',
      'Unknown or expired OAuth state',
      'Phiên kết nối đã hết hạn. Vui lòng thử lại.',
    );
  }
  const result = await exchangeCode(app.config.zalo, q.code, request.code_verifier);
  if (!result.ok) {
    throw new AppError(
      'oauth_exchange_failed',
      `Zalo refused the code: ${result.message}`,
      `Zalo từ chối mã cấp quyền: ${result.message}`,
    );
  }
  await storeTokenPair(app, result.data);
  await recordAudit(
    app.db,
    { kind: 'system', name: 'Zalo OAuth' },
    'zalo.connect',
    { type: 'zalo_connection', id: app.config.zalo.oaId ?? '' },
    { via: 'oauth' },
  );
}

/** Uses a refresh token from the API Explorer: exchanged at once (it is single-use) and the new pair stored. */
export async function connectWithRefreshToken(
  app: AppContext,
  actor: Actor | { kind: 'system'; name: string },
  refreshToken: string,
): Promise<void> {
  if (actor.kind !== 'system') {
    requireRole(actor, ['admin'], 'connect the Zalo OA');
  }
  const token = refreshToken.trim();
  if (token.length < 10 || token.length > 2000) {
    throw invalid('refreshToken', 'refreshToken looks wrong', 'Mã làm mới (refresh token) không hợp lệ.');
  }
  const result = await refreshAccessToken(app.config.zalo, token);
  if (!result.ok) {
    throw new AppError(
      'refresh_token_rejected',
      `Zalo rejected the refresh token: ${result.message}`,
      `Zalo từ chối mã làm mới: ${result.message}`,
    );
  }
  await storeTokenPair(app, result.data);
  await recordAudit(
    app.db,
    actor,
    'zalo.connect',
    { type: 'zalo_connection', id: app.config.zalo.oaId ?? '' },
    { via: 'refresh_token' },
  );
}

import type { AppContext } from '../app-context.ts';
import { notifyDue, wakeNotificationSenders } from '../jobs/index.ts';
import { AlertKeys, metricsOf, raiseAlert, resolveAlerts } from '../operations/index.ts';
import { refreshAccessToken, type TokenPair, type ZaloOutcome } from './client.ts';
import { open, seal } from './secret-box.ts';

/** Refresh this long before the access token expires (Zalo's tokens live 25 h). */
export const REFRESH_AHEAD_MS = 15 * 60_000;
/**
 * A refresh token is valid 3 months from when it was issued, and single-use (zalo-platform.md §1.6): the one we
 * hold was issued by our last renewal (or connection). Counted as 90 days.
 */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

/** When the refresh token we hold stops working, if it is not used before. */
export function refreshTokenExpiresAt(lastRefreshAt: Date | string | null): Date | null {
  return lastRefreshAt ? new Date(new Date(lastRefreshAt).getTime() + REFRESH_TOKEN_LIFETIME_MS) : null;
}

export class TokenUnavailable extends Error {
  constructor(
    readonly reason: 'not_connected' | 'refresh_failed',
    message: string,
  ) {
    super(message);
  }
}

export interface UsableToken {
  token: string;
  /** When the access token expires (ms since epoch). */
  expiresAt: number;
  /** The row version the token came from: a send that sees it rejected asks for a refresh past this version. */
  version: number;
}

function oaId(app: AppContext): string {
  return app.config.zalo.oaId ?? 'default';
}

/**
 * Per app (src/app-caches.ts): the last token read from the database, kept a few seconds of the app clock
 * (every send needs it, and it changes once a day; a token Zalo rejects is refreshed through the database
 * anyway: refreshToken compares versions), and the read in progress per database handle, so that concurrent
 * sends share it.
 */
function tokenCache(): {
  held?: { oaId: string; token: UsableToken; until: number };
  reading: WeakMap<object, { oaId: string; promise: Promise<UsableToken> }>;
} {
  return { reading: new WeakMap() };
}
const CACHE_MS = 5000;

/** Drops this app's copy (after the stored pair was changed behind its back, e.g. in tests). */
export function forgetCachedToken(app: Pick<AppContext, 'caches'>): void {
  const cache = app.caches.of(tokenCache);
  cache.held = undefined;
  cache.reading = new WeakMap();
}

/**
 * Calls Zalo with a valid token; when Zalo rejects the token, refreshes it once (a single refresher across
 * nodes) and calls again. Throws TokenUnavailable when the OA is not connected.
 */
export async function callWithToken<T>(
  app: AppContext,
  call: (accessToken: string) => Promise<ZaloOutcome<T>>,
): Promise<ZaloOutcome<T>> {
  const token = await getAccessToken(app);
  const outcome = await call(token.token);
  if (outcome.ok || outcome.kind !== 'token') {
    return outcome;
  }
  try {
    const fresh = await refreshToken(app, { staleVersion: token.version });
    return await call(fresh.token);
  } catch (err) {
    if (err instanceof TokenUnavailable) {
      return outcome;
    }
    throw err;
  }
}

/** A valid access token, refreshed first when it is about to expire. */
export async function getAccessToken(app: AppContext): Promise<UsableToken> {
  const cache = app.caches.of(tokenCache);
  const now = app.clock().getTime();
  const held = cache.held;
  if (held && held.oaId === oaId(app) && held.until > now) {
    return held.token;
  }
  // One read for all the sends that find the cache expired at the same moment (a batch of dozens at once).
  const reading = cache.reading;
  let shared = reading.get(app.db);
  if (!shared || shared.oaId !== oaId(app)) {
    const read = readOrRefresh(app).finally(() => {
      if (reading.get(app.db)?.promise === read) {
        reading.delete(app.db);
      }
    });
    shared = { oaId: oaId(app), promise: read };
    reading.set(app.db, shared);
  }
  const token = await shared.promise;
  cache.held = {
    oaId: oaId(app),
    token,
    until: Math.min(now + CACHE_MS, token.expiresAt - REFRESH_AHEAD_MS),
  };
  return token;
}

async function readOrRefresh(app: AppContext): Promise<UsableToken> {
  const row = await app.db
    .selectFrom('zalo_connection')
    .selectAll()
    .where('oa_id', '=', oaId(app))
    .executeTakeFirst();
  if (!row?.refresh_token_enc) {
    throw new TokenUnavailable('not_connected', 'The Zalo OA is not connected');
  }
  const fresh =
    row.access_token_enc &&
    row.access_expires_at &&
    new Date(row.access_expires_at).getTime() - REFRESH_AHEAD_MS > app.clock().getTime();
  if (fresh && row.status === 'connected') {
    return {
      token: open(app.config.secrets.encryptionKey, row.access_token_enc!),
      version: row.version,
      expiresAt: new Date(row.access_expires_at!).getTime(),
    };
  }
  return refreshToken(app, { staleVersion: row.version });
}

/**
 * Refreshes the pair, once across every node: the row is locked, re-read (another node may have refreshed
 * while we waited: then its token is used), and the new pair is written in the same transaction that used
 * the single-use refresh token.
 *
 * When Zalo refuses the refresh token, that transaction commits the broken state and the alert before the
 * failure is thrown (a throw inside it would roll them back): administrators see the connection broken,
 * messages wait, and the refused token is never sent again — a broken connection is repaired only by
 * connecting again (storeTokenPair). When Zalo does not answer (network, HTTP 5xx) the pair is kept and the
 * next send tries again.
 */
export async function refreshToken(app: AppContext, opts: { staleVersion: number }): Promise<UsableToken> {
  app.caches.of(tokenCache).held = undefined;
  const key = app.config.secrets.encryptionKey;
  const outcome = await app.db.transaction().execute(async (tx): Promise<UsableToken | TokenUnavailable> => {
    const row = await tx
      .selectFrom('zalo_connection')
      .selectAll()
      .where('oa_id', '=', oaId(app))
      .forUpdate()
      .executeTakeFirst();
    if (!row?.refresh_token_enc) {
      return new TokenUnavailable('not_connected', 'The Zalo OA is not connected');
    }
    if (row.version !== opts.staleVersion && row.access_token_enc && row.status === 'connected') {
      return {
        token: open(key, row.access_token_enc),
        version: row.version,
        expiresAt: row.access_expires_at ? new Date(row.access_expires_at).getTime() : 0,
      };
    }
    if (row.status === 'broken') {
      return new TokenUnavailable('refresh_failed', `The Zalo connection is broken: ${row.last_error ?? ''}`);
    }
    const result = await refreshAccessToken(app.config.zalo, open(key, row.refresh_token_enc));
    const now = app.clock();
    if (!result.ok) {
      const refused = result.kind !== 'transient';
      metricsOf(app).tokenRefreshes.inc({ outcome: refused ? 'refused' : 'transient' });
      const message = `Refreshing the Zalo token failed: ${result.message}`;
      await tx
        .updateTable('zalo_connection')
        .set({
          ...(refused ? { status: 'broken' as const } : {}),
          last_error: message,
          last_error_at: now,
          updated_at: now,
        })
        .where('oa_id', '=', row.oa_id)
        .execute();
      if (refused) {
        await raiseAlert(
          app,
          AlertKeys.connection,
          'error',
          `Mất kết nối Zalo OA: Zalo từ chối mã làm mới (${result.message}). Quản trị viên cần kết nối lại tại trang "Kết nối Zalo OA". Tin nhắn đang chờ, không bị mất.`,
          { db: tx },
        );
        app.logger.error(
          { err: result.message },
          'Zalo refused the refresh token: the OA connection is broken',
        );
      } else {
        app.logger.warn({ err: result.message }, 'refreshing the Zalo token failed; will try again');
      }
      return new TokenUnavailable('refresh_failed', message);
    }
    metricsOf(app).tokenRefreshes.inc({ outcome: 'ok' });
    const updated = await tx
      .updateTable('zalo_connection')
      .set((eb) => ({
        ...sealed(key, result.data, now),
        status: 'connected',
        version: eb('version', '+', 1),
        last_refresh_at: now,
        last_error: null,
        updated_at: now,
      }))
      .where('oa_id', '=', row.oa_id)
      .returning('version')
      .executeTakeFirstOrThrow();
    await resolveAlerts(app, { keys: [AlertKeys.connection, AlertKeys.refreshToken] }, tx);
    return {
      token: result.data.accessToken,
      version: updated.version,
      expiresAt: now.getTime() + result.data.expiresInSeconds * 1000,
    };
  });
  if (outcome instanceof TokenUnavailable) {
    throw outcome;
  }
  return outcome;
}

function sealed(key: string, pair: TokenPair, now: Date) {
  return {
    access_token_enc: seal(key, pair.accessToken),
    refresh_token_enc: seal(key, pair.refreshToken),
    access_expires_at: new Date(now.getTime() + pair.expiresInSeconds * 1000),
  };
}

/**
 * Stores a pair obtained by the OAuth flow or from a pasted refresh token, and sends at once what waited for
 * the connection (instead of at each message's next try, up to 5 minutes later). Returns how many messages
 * were released.
 */
export async function storeTokenPair(app: AppContext, pair: TokenPair): Promise<number> {
  app.caches.of(tokenCache).held = undefined;
  const now = app.clock();
  const key = app.config.secrets.encryptionKey;
  const released = await app.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('zalo_connection')
      .values({
        oa_id: oaId(app),
        ...sealed(key, pair, now),
        status: 'connected',
        version: 1,
        last_refresh_at: now,
      })
      .onConflict((oc) =>
        oc.column('oa_id').doUpdateSet((eb) => ({
          ...sealed(key, pair, now),
          status: 'connected',
          version: eb('zalo_connection.version', '+', 1),
          last_refresh_at: now,
          last_error: null,
          updated_at: now,
        })),
      )
      .execute();
    await resolveAlerts(app, { keys: [AlertKeys.connection, AlertKeys.refreshToken] }, tx);
    const waiting = await tx
      .updateTable('notification')
      .set({ next_attempt_at: now, updated_at: now })
      .where('state', '=', 'waiting')
      .where((eb) =>
        eb.or([
          eb('wait_cause', '=', 'connection'),
          // Messages that started waiting before wait causes were recorded.
          eb.and([eb('wait_cause', 'is', null), eb('error_vi', '=', 'Đang chờ kết nối Zalo OA')]),
        ]),
      )
      .returning('id')
      .execute();
    if (waiting.length > 0) {
      await notifyDue(tx);
    }
    return waiting.length;
  });
  if (released > 0) {
    wakeNotificationSenders(app);
    app.logger.info({ released }, 'Zalo OA connected: messages that waited for it are sent now');
  }
  return released;
}

/** Records that Zalo accepted a call (for the connection health shown to administrators). */
export async function recordZaloSuccess(
  app: AppContext,
  quota?: { daily: number; remaining: number },
): Promise<void> {
  await app.db
    .updateTable('zalo_connection')
    .set({
      last_success_at: app.clock(),
      ...(quota ? { quota_daily: quota.daily, quota_remaining: quota.remaining } : {}),
    })
    .where('oa_id', '=', oaId(app))
    .execute();
}

export async function connectionHealth(app: AppContext) {
  const row = await app.db
    .selectFrom('zalo_connection')
    .selectAll()
    .where('oa_id', '=', oaId(app))
    .executeTakeFirst();
  return {
    oaId: oaId(app),
    sandbox: app.config.zalo.sandbox,
    status: row?.status ?? 'disconnected',
    accessExpiresAt: row?.access_expires_at ? new Date(row.access_expires_at).toISOString() : null,
    lastRefreshAt: row?.last_refresh_at ? new Date(row.last_refresh_at).toISOString() : null,
    refreshTokenExpiresAt:
      row?.refresh_token_enc && row.status !== 'broken'
        ? (refreshTokenExpiresAt(row.last_refresh_at)?.toISOString() ?? null)
        : null,
    lastSuccessAt: row?.last_success_at ? new Date(row.last_success_at).toISOString() : null,
    lastError: row?.last_error ?? null,
    lastErrorAt: row?.last_error_at ? new Date(row.last_error_at).toISOString() : null,
    quotaDaily: row?.quota_daily ?? null,
    quotaRemaining: row?.quota_remaining ?? null,
  };
}

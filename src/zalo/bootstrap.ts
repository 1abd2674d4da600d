import type { AppContext } from '../app-context.ts';
import { connectWithRefreshToken } from './connection.ts';
import { storeTokenPair } from './token-store.ts';

/**
 * What bootstrapping needs of the in-process sandbox (src/zalo-sandbox), said here so that product code does
 * not import the sandbox: it hands out a token pair as Zalo's OAuth would.
 */
export interface SandboxTokens {
  readonly state: {
    issueTokens(now: number): { access_token: string; refresh_token: string; expires_in: string | number };
  };
}

/**
 * At start: with the built-in sandbox, connect to the sandbox's OA (as
 * an administrator would through the API Explorer; the in-process sandbox forgets its tokens when the process
 * stops); with a real OA, use ZALO_REFRESH_TOKEN once — ignored
 * when the database already holds a pair, since refresh tokens are single-use and the stored one is newer.
 * The sandbox's demo template bindings are loaded by the caller (src/app-zalo.ts), as they belong to
 * notification planning.
 */
export async function bootstrapZalo(app: AppContext, sandbox: SandboxTokens | undefined): Promise<void> {
  const connected = await app.db
    .selectFrom('zalo_connection')
    .select('oa_id')
    .where('oa_id', '=', app.config.zalo.oaId ?? 'default')
    .where('refresh_token_enc', 'is not', null)
    .executeTakeFirst();
  if (sandbox) {
    // The in-process sandbox starts empty with the process: connect to it afresh every time.
    const pair = sandbox.state.issueTokens(Date.now());
    await storeTokenPair(app, {
      accessToken: pair.access_token,
      refreshToken: pair.refresh_token,
      expiresInSeconds: Number(pair.expires_in),
    });
    return;
  }
  if (!connected && app.config.zalo.bootstrapRefreshToken) {
    await connectWithRefreshToken(
      app,
      { kind: 'system', name: 'ZALO_REFRESH_TOKEN' },
      app.config.zalo.bootstrapRefreshToken,
    );
  }
}

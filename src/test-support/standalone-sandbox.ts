import type { AppContext } from '../app-context.ts';
import { storeTokenPair } from '../zalo/token-store.ts';

/**
 * Connects the OA of `app` to a sandbox running in another process (src/zalo-sandbox/spawn-standalone.ts): asks
 * the sandbox for a token pair and stores it, as the OA's authorisation callback would.
 */
export async function connectStandaloneSandbox(app: AppContext, sandboxUrl: string): Promise<void> {
  const pair = (await (await fetch(`${sandboxUrl}/sandbox/api/tokens`, { method: 'POST' })).json()) as {
    access_token: string;
    refresh_token: string;
    expires_in: string;
  };
  await storeTokenPair(app, {
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresInSeconds: Number(pair.expires_in),
  });
}

import { createHash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyPluginAsync, preHandlerHookHandler } from 'fastify';
import { SandboxHttpError, sandboxApiRoutes } from './admin.ts';
import { businessRoutes } from './business.ts';
import { oauthRoutes } from './oauth.ts';
import { openApiRoutes } from './openapi.ts';
import { sandboxPages } from './pages.ts';
import { type SandboxOptions, SandboxState } from './state.ts';

/**
 * The built-in Zalo sandbox: a faithful emulator of the Zalo APIs the product uses, mounted under one prefix
 * with the three real hosts below it, plus the phone simulator and its admin. Imports nothing from the
 * product: the mounting code passes guards for the simulator and admin pages.
 */
export interface SandboxMount {
  /** e.g. '/sandbox/zalo': the hosts become <prefix>/oauth, <prefix>/openapi and <prefix>/business. */
  prefix: string;
  options?: Partial<SandboxOptions>;
  /** The callback URL registered for the app; the consent page refuses any other (Zalo's -14003). */
  redirectUri?: () => string | null;
  /** phone: the simulator; admin: the emulator's administration; oauth: the OA administrator's consent page. */
  guards?: { phone?: preHandlerHookHandler; admin?: preHandlerHookHandler; oauth?: preHandlerHookHandler };
}

export interface SandboxHandle {
  /** The current state (replaced by POST /sandbox/api/reset). */
  readonly state: SandboxState;
  urls(origin: string): { oauthUrl: string; openApiUrl: string; businessApiUrl: string };
}

export async function mountZaloSandbox(
  fastify: FastifyInstance,
  mount: SandboxMount,
): Promise<SandboxHandle> {
  const holder = { state: new SandboxState(mount.options), initial: mount.options ?? {} };
  const redirectUri = mount.redirectUri ?? (() => null);
  const routes: FastifyPluginAsync = async (scope) => {
    // Sandbox errors answer in their own words (the Vietnamese message is for the simulator page).
    // Anything else (the mounting app's guards, say) goes to the app's own error handler.
    scope.setErrorHandler((err: FastifyError, _request, reply) => {
      if (!(err instanceof SandboxHttpError)) {
        throw err;
      }
      return reply
        .status(err.status)
        .send({ error: 'sandbox_error', message: err.message, userMessage: err.message, details: null });
    });
    scope.addHook('onSend', async (_request, reply, payload) => {
      if (
        typeof payload === 'string' &&
        String(reply.getHeader('content-type') ?? '').startsWith('text/html')
      ) {
        reply.header('content-security-policy', pageCsp(payload, redirectUri()));
      }
      return payload;
    });
    // Each route reads `holder.state` at call time, so a reset takes effect everywhere.
    const live = new Proxy({} as SandboxState, { get: (_t, key) => Reflect.get(holder.state, key) });
    await scope.register(oauthRoutes(live, `${mount.prefix}/oauth`, redirectUri, mount.guards?.oauth));
    await scope.register(openApiRoutes(live, `${mount.prefix}/openapi`));
    await scope.register(businessRoutes(live, `${mount.prefix}/business`));
    await scope.register(sandboxApiRoutes(holder, mount.guards ?? {}));
    await scope.register(sandboxPages(mount.guards ?? {}));
  };
  await fastify.register(routes);
  return {
    get state() {
      return holder.state;
    },
    urls: (origin) => ({
      oauthUrl: `${origin}${mount.prefix}/oauth`,
      openApiUrl: `${origin}${mount.prefix}/openapi`,
      businessApiUrl: `${origin}${mount.prefix}/business`,
    }),
  };
}

/**
 * The sandbox pages' Content-Security-Policy: their own inline scripts (by hash) and nothing else; frames and
 * forms only towards this origin and the product's (the callback of the consent page, the look-up page a
 * scanned QR opens).
 */
function pageCsp(html: string, redirectUri: string | null): string {
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
  const product = redirectUri ? ` ${new URL(redirectUri).origin}` : '';
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    `frame-src 'self'${product}`,
    "frame-ancestors 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${product}`,
  ].join('; ');
}

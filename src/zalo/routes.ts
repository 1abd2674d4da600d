import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZNoContent } from '../contracts/errors.ts';
import { ZOAuthStart, ZZaloConnection } from '../contracts/zalo.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { callbackUrl, connectWithRefreshToken, finishOAuth, startOAuth } from './connection.ts';
import { connectionHealth } from './token-store.ts';

/**
 * "Kết nối Zalo OA" for administrators; the OAuth callback for Zalo (the template registry's routes are in
 * src/notifications/template-routes.ts, beside the bindings they edit).
 */
export function zaloAdminRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: Zalo'];
    const admin = { preHandler: officerAuth(app, ['admin']) };

    r.get(
      '/api/zalo/connection',
      { ...admin, schema: { tags, response: { 200: ZZaloConnection } } },
      async () => ({
        ...(await connectionHealth(app)),
        appId: app.config.zalo.appId ?? null,
        callbackUrl: callbackUrl(app),
      }),
    );
    r.post(
      '/api/zalo/connection/refresh-token',
      {
        ...admin,
        schema: {
          tags,
          body: z.object({ refreshToken: z.string().max(4000) }),
          response: { 204: ZNoContent },
        },
      },
      async (req, reply) => {
        await connectWithRefreshToken(app, actorOfRequest(req), req.body.refreshToken);
        return reply.status(204).send(null);
      },
    );
    r.post(
      '/api/zalo/oauth/start',
      { ...admin, schema: { tags, response: { 200: ZOAuthStart } } },
      async (req) => ({
        url: await startOAuth(app, actorOfRequest(req)),
      }),
    );
    // Zalo redirects the administrator's browser here; the single-use state authenticates it (the session
    // cookie is SameSite=Strict and does not travel on a cross-site redirect).
    r.get(
      '/api/zalo/oauth/callback',
      {
        schema: {
          hide: true,
          querystring: z.object({
            code: z.string().optional(),
            state: z.string().optional(),
            error: z.string().optional(),
            oa_id: z.string().optional(),
          }),
          response: { 302: ZNoContent.describe('Back to the officer app’s Zalo page, with the outcome') },
        },
      },
      async (req, reply) => {
        try {
          await finishOAuth(app, req.query);
          return reply.redirect('/zalo?ket-noi=thanh-cong', 302);
        } catch (err) {
          req.log.warn({ err }, 'zalo oauth callback failed');
          return reply.redirect('/zalo?ket-noi=that-bai', 302);
        }
      },
    );
  };
}

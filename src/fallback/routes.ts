import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { ZFallbackPolicy, ZFallbackPolicyView } from '../contracts/fallback.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { getFallbackPolicy, saveFallbackPolicy } from './policy.ts';

/** The province's fallback policy (administrators). */
export function fallbackRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: notifications'];
    const admin = { preHandler: officerAuth(app, ['admin']) };
    r.get(
      '/api/admin/fallback-policy',
      { ...admin, schema: { tags, response: { 200: ZFallbackPolicyView } } },
      async (req) => getFallbackPolicy(app, actorOfRequest(req)),
    );
    r.put(
      '/api/admin/fallback-policy',
      { ...admin, schema: { tags, body: ZFallbackPolicy, response: { 200: ZFallbackPolicyView } } },
      async (req) => saveFallbackPolicy(app, actorOfRequest(req), req.body),
    );
  };
}

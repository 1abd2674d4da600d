import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { ZDashboard } from '../contracts/dashboard.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { dashboardStats } from './stats.ts';

export function dashboardRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    fastify.withTypeProvider<ZodTypeProvider>().get(
      '/api/dashboard',
      {
        preHandler: officerAuth(app),
        schema: { tags: ['Officer app: dashboard'], response: { 200: ZDashboard } },
      },
      async (req) => dashboardStats(app, actorOfRequest(req)),
    );
  };
}

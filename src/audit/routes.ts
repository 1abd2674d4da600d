import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { ZAuditPage, ZAuditQuery } from '../contracts/audit.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { listAuditEvents } from './list-audit.ts';

/** `GET /api/audit-events`: the audit journal, for administrators. */
export function auditRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    fastify.withTypeProvider<ZodTypeProvider>().get(
      '/api/audit-events',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: {
          tags: ['Officer app: administration'],
          summary: 'Who did what: the audit journal, newest first',
          querystring: ZAuditQuery,
          response: { 200: ZAuditPage },
        },
      },
      async (req) => listAuditEvents(app, actorOfRequest(req), req.query),
    );
  };
}

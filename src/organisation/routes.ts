import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZIdParams } from '../contracts/ids.ts';
import { ZProcedureUpdate, ZProcedureView } from '../contracts/procedures.ts';
import { actorOfRequest, apiKeyAuth, officerAuth } from '../http/auth.ts';
import { listAgencies, listProcedures, updateProcedure } from './procedures.ts';

const ZAgency = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  parentName: z.string(),
  communeCode: z.string().nullable(),
  address: z.string(),
  hotline: z.string(),
});

export function organisationRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: organisation'];
    r.get(
      '/api/procedures',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          querystring: z.object({ all: z.enum(['true', 'false']).optional() }),
          response: { 200: z.array(ZProcedureView) },
        },
      },
      async (req) => listProcedures(app, actorOfRequest(req), { all: req.query.all === 'true' }),
    );
    r.patch(
      '/api/procedures/:id',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: {
          tags,
          params: ZIdParams,
          body: ZProcedureUpdate,
          response: { 200: ZProcedureView },
        },
      },
      async (req) => updateProcedure(app, actorOfRequest(req), req.params.id, req.body),
    );
    r.get(
      '/api/agencies',
      { preHandler: officerAuth(app), schema: { tags, response: { 200: z.array(ZAgency) } } },
      async () => listAgencies(app),
    );
    r.get(
      '/api/v1/procedures',
      {
        preHandler: apiKeyAuth(app),
        schema: {
          tags: ['Integration API: procedures'],
          security: [{ apiKey: [] }],
          summary: 'Procedures received by the key’s agency',
          response: { 200: z.array(ZProcedureView) },
        },
      },
      async (req) => listProcedures(app, actorOfRequest(req)),
    );
  };
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { calendarYear, removeException, setException } from './service.ts';

const ZDay = z.object({
  date: z.string(),
  working: z.boolean(),
  reason: z.string(),
  source: z.enum(['weekday', 'weekend', 'statutory', 'exception', 'official']),
  lunar: z.string(),
});

/** Lịch làm việc: the computed year and the administrator's exceptions. */
export function calendarRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: working-day calendar'];
    r.get(
      '/api/calendar/:year',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
          response: { 200: z.array(ZDay) },
        },
      },
      async (req) => calendarYear(app, req.params.year),
    );
    r.put(
      '/api/calendar/exceptions/:date',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: {
          tags,
          params: z.object({ date: z.iso.date() }),
          body: z.object({ kind: z.enum(['day_off', 'working_day']), reason: z.string().max(1000) }),
          response: { 200: ZDay },
        },
      },
      async (req) => setException(app, actorOfRequest(req), { day: req.params.date, ...req.body }),
    );
    r.delete(
      '/api/calendar/exceptions/:date',
      { preHandler: officerAuth(app, ['admin']), schema: { tags, params: z.object({ date: z.iso.date() }) } },
      async (req, reply) => {
        await removeException(app, actorOfRequest(req), req.params.date);
        return reply.status(204).send();
      },
    );
  };
}

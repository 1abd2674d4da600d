import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import {
  ZCalendarDayChanged,
  ZChangedAppointments,
  ZCalendarDay as ZDay,
  ZYearConfirmed,
  ZYearStatus,
} from '../contracts/calendar.ts';
import { ZNoContent } from '../contracts/errors.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { calendarYear, removeException, setException } from './service.ts';
import { changedAppointments, confirmYear, yearStatus } from './years.ts';

const ZYear = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

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
          params: ZYear,
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
          response: { 200: ZCalendarDayChanged },
        },
      },
      async (req) => setException(app, actorOfRequest(req), { day: req.params.date, ...req.body }),
    );
    r.get(
      '/api/calendar/years/:year',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          summary: 'Whether a year’s schedule is confirmed or proposed',
          params: ZYear,
          response: { 200: ZYearStatus },
        },
      },
      async (req) => yearStatus(app, req.params.year),
    );
    r.post(
      '/api/calendar/years/:year/confirm',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: {
          tags,
          summary: 'Confirm a year’s schedule from the government decision (audited)',
          params: ZYear,
          body: z.object({ decision: z.string().max(1000) }),
          response: { 200: ZYearConfirmed },
        },
      },
      async (req) => confirmYear(app, actorOfRequest(req), req.params.year, req.body),
    );
    r.get(
      '/api/calendar/changed-appointments',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          summary: 'Open dossiers whose printed appointment the current calendar would give differently',
          querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
          response: { 200: ZChangedAppointments },
        },
      },
      async (req) => changedAppointments(app, actorOfRequest(req), req.query.year),
    );
    r.delete(
      '/api/calendar/exceptions/:date',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: { tags, params: z.object({ date: z.iso.date() }), response: { 204: ZNoContent } },
      },
      async (req, reply) => {
        await removeException(app, actorOfRequest(req), req.params.date);
        return reply.status(204).send(null);
      },
    );
  };
}

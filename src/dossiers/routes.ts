import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { vnDateOf } from '../calendar/index.ts';
import { ZDossierListQuery, ZDossierPage } from '../contracts/dossier-list.ts';
import { ZAppointmentPreview, ZDossierView, ZJournalEntry } from '../contracts/dossier-view.ts';
import { fileResponse, XLSX } from '../contracts/files.ts';
import { ZIntakeRequest } from '../contracts/intake-schema.ts';
import { ZTransitionRequest } from '../contracts/transitions.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { exportDossiers } from './export-dossiers.ts';
import { getDossier, getJournal, type ListFilters, listDossiers, viewOf } from './find-dossiers.ts';
import { previewAppointment, receiveDossier } from './receive-dossier.ts';
import { transitionDossier } from './transition-dossier.ts';

const ZCode = z.object({ code: z.string().min(1).max(100) });

/** The screen's query string as list filters. */
function listFilters(q: z.output<typeof ZDossierListQuery>): ListFilters {
  return {
    statuses: q.status?.split(',').map(Number),
    procedureCode: q.procedureCode,
    receivedFrom: q.receivedFrom,
    receivedTo: q.receivedTo,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    dueWithinDays: q.dueWithinDays,
    notifyByZalo: q.zalo === undefined ? undefined : q.zalo === 'true',
    q: q.q,
  };
}

/** Officer app API (session cookie): intake, list, detail, journal, transitions (the printed forms: forms/routes.ts). */
export function dossierRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: dossiers'];
    r.addHook('onRequest', officerAuth(app));

    r.get(
      '/api/dossiers',
      {
        schema: {
          tags,
          querystring: ZDossierListQuery,
          response: { 200: ZDossierPage },
        },
      },
      async (req) =>
        listDossiers(
          app,
          actorOfRequest(req),
          listFilters(req.query),
          { page: req.query.page, pageSize: req.query.pageSize },
          '/api',
        ),
    );

    r.get(
      '/api/dossiers/export.xlsx',
      {
        schema: {
          tags,
          summary: 'The filtered list as an Excel workbook',
          querystring: ZDossierListQuery,
          response: { 200: fileResponse(XLSX, 'The workbook (built completely before it is sent)') },
        },
      },
      async (req, reply) => {
        // Built completely before the headers go out: a failure is an error answer, never a cut download.
        const workbook = await exportDossiers(app, actorOfRequest(req), listFilters(req.query));
        return reply
          .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('Content-Length', String(workbook.size))
          .header(
            'Content-Disposition',
            `attachment; filename="danh-sach-ho-so-${vnDateOf(app.clock())}.xlsx"`,
          )
          .send(workbook.stream);
      },
    );

    r.post(
      '/api/dossiers',
      { schema: { tags, body: ZIntakeRequest, response: { 201: ZDossierView } } },
      async (req, reply) => {
        const actor = actorOfRequest(req);
        const { dossier } = await receiveDossier(app, actor, req.body);
        const view = await viewOf(app, actor, dossier, '/api');
        return reply.status(201).send(view);
      },
    );

    r.get(
      '/api/dossiers/appointment-preview',
      {
        schema: {
          tags,
          summary: 'The appointment date an intake made now would get',
          querystring: z.object({
            procedureCode: z.string().min(1).max(100),
            channel: z.enum(['direct', 'post', 'online']).optional(),
          }),
          response: { 200: ZAppointmentPreview },
        },
      },
      async (req) => previewAppointment(app, actorOfRequest(req), req.query.procedureCode, req.query.channel),
    );

    r.get(
      '/api/dossiers/:code',
      { schema: { tags, params: ZCode, response: { 200: ZDossierView } } },
      async (req) => getDossier(app, actorOfRequest(req), req.params.code, '/api'),
    );

    r.get(
      '/api/dossiers/:code/journal',
      { schema: { tags, params: ZCode, response: { 200: z.array(ZJournalEntry) } } },
      async (req) => getJournal(app, actorOfRequest(req), req.params.code),
    );

    r.post(
      '/api/dossiers/:code/transitions',
      { schema: { tags, params: ZCode, body: ZTransitionRequest, response: { 200: ZDossierView } } },
      async (req) => {
        const actor = actorOfRequest(req);
        const dossier = await transitionDossier(app, actor, req.params.code, req.body);
        return viewOf(app, actor, dossier, '/api');
      },
    );
  };
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZDossierCursorPage } from '../contracts/dossier-list.ts';
import { ZDossierCreated, ZDossierView, ZJournalEntry } from '../contracts/dossier-view.ts';
import { ZIntakeRequest } from '../contracts/intake-schema.ts';
import { ZTransitionRequest } from '../contracts/transitions.ts';
import { actorOfRequest, apiKeyAuth } from '../http/auth.ts';
import { getDossier, getJournal, listDossiersByCursor, viewOf } from './find-dossiers.ts';
import { presentCreated } from './presenter.ts';
import { receiveDossier } from './receive-dossier.ts';
import { transitionDossier } from './transition-dossier.ts';

const ZCode = z.object({ code: z.string().min(1).max(100) });

/** Integration API for existing one-stop software: `Authorization: Bearer <api key>`, scoped to its agency. */
export function integrationDossierRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Integration API: dossiers'];
    const security = [{ apiKey: [] }];
    r.addHook('onRequest', apiKeyAuth(app));

    r.post(
      '/api/v1/dossiers',
      {
        schema: {
          tags,
          security,
          summary: 'Receive a dossier (tiếp nhận hồ sơ)',
          description: 'Honours an Idempotency-Key header: the same key and body return the same dossier.',
          headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
          body: ZIntakeRequest,
          response: { 201: ZDossierCreated },
        },
      },
      async (req, reply) => {
        const actor = actorOfRequest(req);
        const { dossier, replayed } = await receiveDossier(app, actor, req.body, {
          idempotencyKey: req.headers['idempotency-key'],
        });
        const view = await viewOf(app, actor, dossier, '/api/v1');
        if (replayed) {
          void reply.header('Idempotent-Replayed', 'true');
        }
        return reply.status(201).send(presentCreated(view));
      },
    );

    r.get(
      '/api/v1/dossiers',
      {
        schema: {
          tags,
          security,
          summary: 'List dossiers, newest first (keyset pagination)',
          querystring: z.object({
            status: z
              .string()
              .regex(/^\d{1,2}(,\d{1,2})*$/)
              .optional(),
            procedureCode: z.string().max(100).optional(),
            overdue: z.enum(['true', 'false']).optional(),
            q: z.string().max(200).optional(),
            cursor: z.string().max(40).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: ZDossierCursorPage },
        },
      },
      async (req) => {
        const q = req.query;
        return listDossiersByCursor(
          app,
          actorOfRequest(req),
          {
            statuses: q.status?.split(',').map(Number),
            procedureCode: q.procedureCode,
            overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
            q: q.q,
          },
          q.cursor,
          q.limit,
        );
      },
    );

    r.get(
      '/api/v1/dossiers/:code',
      { schema: { tags, security, params: ZCode, response: { 200: ZDossierView } } },
      async (req) => getDossier(app, actorOfRequest(req), req.params.code, '/api/v1'),
    );

    r.get(
      '/api/v1/dossiers/:code/journal',
      { schema: { tags, security, params: ZCode, response: { 200: z.array(ZJournalEntry) } } },
      async (req) => getJournal(app, actorOfRequest(req), req.params.code),
    );

    r.post(
      '/api/v1/dossiers/:code/transitions',
      {
        schema: {
          tags,
          security,
          summary: 'Change the status; 409 when the lifecycle does not allow it',
          params: ZCode,
          body: ZTransitionRequest,
          response: { 200: ZDossierView },
        },
      },
      async (req) => {
        const actor = actorOfRequest(req);
        const dossier = await transitionDossier(app, actor, req.params.code, req.body);
        return viewOf(app, actor, dossier, '/api/v1');
      },
    );
  };
}

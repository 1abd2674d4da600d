import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { fileResponse, PDF } from '../contracts/files.ts';
import { actorOfRequest, apiKeyAuth, officerAuth } from '../http/auth.ts';
import { FORM_KINDS, sendForm } from './send-form.ts';

const ZForm = z.object({ code: z.string().min(1).max(100), form: z.enum(FORM_KINDS) });

/**
 * A dossier's printed forms (PDF) for the officer app (session cookie). They sit beside the dossier routes in
 * the API (same tag) but here, since forms read dossiers and not the other way round.
 */
export function formRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    r.addHook('onRequest', officerAuth(app));

    r.get(
      '/api/dossiers/:code/:form.pdf',
      {
        schema: {
          tags: ['Officer app: dossiers'],
          params: ZForm,
          response: { 200: fileResponse(PDF, 'The printed form') },
        },
      },
      async (req, reply) => sendForm(app, actorOfRequest(req), req.params.code, req.params.form, reply),
    );
  };
}

/** The same forms for the integration API: `Authorization: Bearer <api key>`, scoped to its agency. */
export function integrationFormRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    r.addHook('onRequest', apiKeyAuth(app));

    r.get(
      '/api/v1/dossiers/:code/:form.pdf',
      {
        schema: {
          tags: ['Integration API: dossiers'],
          security: [{ apiKey: [] }],
          summary: 'A printed form (PDF): receipt, supplement, refusal, apology or stop notice',
          description:
            'receipt: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01). The others exist once the dossier has ' +
            'had the action that issues them (see `forms` in the dossier); otherwise 404 form_not_available.',
          params: ZForm,
          response: { 200: fileResponse(PDF, 'The printed form') },
        },
      },
      async (req, reply) => sendForm(app, actorOfRequest(req), req.params.code, req.params.form, reply),
    );
  };
}

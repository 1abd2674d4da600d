import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZNoContent } from '../contracts/errors.ts';
import { fileResponse } from '../contracts/files.ts';
import { actorOfRequest, apiKeyAuth, officerAuth } from '../http/auth.ts';
import { wakeStatusChangePlanners } from '../jobs/index.ts';
import { currentCorrelationId } from '../operations/index.ts';
import { DESK_MODE_LABELS, deskModeOf, setDeskMode } from '../organisation/index.ts';
import {
  CALLBACK_EVENTS,
  ZCallbackDelivery,
  ZConnectorOverview,
  ZDeskMode,
  ZDeskModeAnswer,
  ZDeskModeChange,
  ZExternalDossier,
  ZIntegrationEvent,
  ZPutDossierAnswer,
  ZResendAnswer,
  ZStatusAnswer,
  ZStatusEvent,
  ZSubscription,
  ZSubscriptionRequest,
  ZSyncRequest,
  ZSyncResult,
} from './contracts.ts';
import { eventsAfter } from './events-feed.ts';
import { externalCode, putExternalDossier, requireConnectedAgency } from './external-dossier.ts';
import { lookupLinkOf, lookupQrPng, lookupQrSvg } from './lookup-qr.ts';
import { recordExternalStatus } from './status-events.ts';
import {
  createSubscription,
  deleteSubscription,
  listDeliveries,
  listSubscriptions,
  resendDelivery,
} from './subscriptions.ts';
import { syncBatch } from './sync.ts';

const ZCode = z.object({ code: z.string().min(1).max(100) });

/** The connector API for the one-stop software a province already runs (docs/integration-api.md). */
export function connectorRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Integration API: connected one-stop software'];
    const security = [{ apiKey: [] }];
    r.addHook('onRequest', apiKeyAuth(app));

    r.put(
      '/api/v1/dossiers/:code',
      {
        schema: {
          tags,
          security,
          summary: 'Create or update a dossier with the external system’s code (idempotent by code)',
          params: ZCode,
          body: ZExternalDossier,
          response: { 200: ZPutDossierAnswer, 201: ZPutDossierAnswer },
        },
      },
      async (req, reply) => {
        const answer = await putExternalDossier(app, actorOfRequest(req), req.params.code, req.body);
        if (answer.outcome === 'created') {
          wakeStatusChangePlanners(app);
        }
        return reply.status(answer.outcome === 'created' ? 201 : 200).send(answer);
      },
    );

    r.post(
      '/api/v1/dossiers/:code/status',
      {
        schema: {
          tags,
          security,
          summary: 'Record a status the external system recorded (ordered by `at`; repeated eventId: no-op)',
          params: ZCode,
          body: ZStatusEvent,
          response: { 200: ZStatusAnswer },
        },
      },
      async (req) => {
        const actor = actorOfRequest(req);
        await requireConnectedAgency(app.db, actor);
        const code = externalCode(req.params.code);
        const r = await recordExternalStatus(app, actor, code, req.body, currentCorrelationId());
        if (r.outcome === 'applied') {
          wakeStatusChangePlanners(app);
        }
        return { code, eventId: req.body.eventId, ...r };
      },
    );

    r.post(
      '/api/v1/sync',
      {
        schema: {
          tags,
          security,
          summary: 'Catch up: up to 1000 dossiers (type "dossier") and status events (type "status")',
          description:
            'Each item is answered separately, in the order sent; a bad item does not stop the others. ' +
            'Items are the bodies of PUT /dossiers/{code} and POST /dossiers/{code}/status with `type` and `code`.',
          body: ZSyncRequest,
          response: { 200: z.object({ results: z.array(ZSyncResult) }) },
        },
        bodyLimit: 8 * 1024 * 1024,
      },
      async (req) => ({ results: await syncBatch(app, actorOfRequest(req), req.body.items) }),
    );

    r.get(
      '/api/v1/dossiers/:code/lookup-link',
      {
        schema: {
          tags,
          security,
          summary: 'The signed look-up link of a dossier, and the line to print beside its QR',
          params: ZCode,
          response: { 200: z.object({ code: z.string(), url: z.string(), text: z.string() }) },
        },
      },
      async (req) => lookupLinkOf(app, actorOfRequest(req), req.params.code),
    );

    for (const format of ['png', 'svg'] as const) {
      r.get(
        `/api/v1/dossiers/:code/lookup-qr.${format}`,
        {
          schema: {
            tags,
            security,
            summary: `The signed look-up QR (${format.toUpperCase()}) to print on the external receipt`,
            description:
              'The line to print beside it is in the `X-Lookup-Text` header (percent-encoded UTF-8) and in ' +
              'GET …/lookup-link.',
            params: ZCode,
            response: {
              200: fileResponse(
                format === 'png' ? 'image/png' : 'image/svg+xml',
                'The QR code of the signed look-up link',
              ),
            },
          },
        },
        async (req, reply) => {
          const link = await lookupLinkOf(app, actorOfRequest(req), req.params.code);
          void reply
            .header('x-lookup-text', encodeURIComponent(link.text))
            .header('x-lookup-url', link.url)
            .header('cache-control', 'private, max-age=3600');
          return format === 'png'
            ? reply.type('image/png').send(lookupQrPng(link.url))
            : reply.type('image/svg+xml').send(await lookupQrSvg(link.url));
        },
      );
    }

    r.get(
      '/api/v1/events',
      {
        schema: {
          tags,
          security,
          summary: 'Pull the callback events (for systems that cannot receive calls)',
          querystring: z.object({
            after: z.string().max(50).optional().describe('nextCursor of the previous answer'),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
          response: {
            200: z.object({
              items: z.array(ZIntegrationEvent.extend({ cursor: z.string() })),
              nextCursor: z.string(),
            }),
          },
        },
      },
      async (req) => eventsAfter(app, actorOfRequest(req), req.query.after, req.query.limit),
    );

    r.get(
      '/api/v1/callbacks',
      {
        schema: {
          tags,
          security,
          summary: 'This API key’s callback subscriptions',
          response: { 200: z.array(ZSubscription) },
        },
      },
      async (req) => listSubscriptions(app, actorOfRequest(req)),
    );

    r.post(
      '/api/v1/callbacks',
      {
        schema: {
          tags,
          security,
          summary: 'Subscribe a URL to events; the signing secret is in the answer, once',
          description: `Events: ${CALLBACK_EVENTS.join(', ')}.`,
          body: ZSubscriptionRequest,
          response: { 201: ZSubscription.extend({ secret: z.string() }) },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await createSubscription(app, actorOfRequest(req), req.body, req.ip)),
    );

    r.delete(
      '/api/v1/callbacks/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Stop a subscription',
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 204: ZNoContent },
        },
      },
      async (req, reply) => {
        await deleteSubscription(app, actorOfRequest(req), req.params.id, req.ip);
        return reply.status(204).send(null);
      },
    );
  };
}

/** Every officer's app reads the mode: a connected agency's officers get no receive or move actions. */
export function connectorOfficerRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    r.addHook('onRequest', officerAuth(app));
    r.get('/api/connector/desk-mode', { schema: { response: { 200: ZDeskModeAnswer } } }, async (req) => {
      const mode = await deskModeOf(app.db, actorOfRequest(req).agencyId);
      return { mode, label: DESK_MODE_LABELS[mode] };
    });
  };
}

/** The administrator's side: the agency's desk mode, subscriptions, delivery log and "resend". */
export function connectorAdminRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    r.addHook('onRequest', officerAuth(app, ['admin']));
    r.get('/api/admin/connector', { schema: { response: { 200: ZConnectorOverview } } }, async (req) => {
      const actor = actorOfRequest(req);
      const mode = await deskModeOf(app.db, actor.agencyId);
      return {
        mode,
        modeLabel: DESK_MODE_LABELS[mode],
        subscriptions: await listSubscriptions(app, actor),
      };
    });

    r.put(
      '/api/admin/connector/mode',
      { schema: { body: z.object({ mode: ZDeskMode }), response: { 200: ZDeskModeChange } } },
      async (req) => setDeskMode(app, actorOfRequest(req), req.body.mode, req.ip),
    );

    r.get(
      '/api/admin/connector/deliveries',
      {
        schema: {
          querystring: z.object({
            subscriptionId: z.coerce.number().int().positive().optional(),
            state: z.enum(['pending', 'delivered', 'given_up']).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ items: z.array(ZCallbackDelivery) }) },
        },
      },
      async (req) => ({ items: await listDeliveries(app, actorOfRequest(req), req.query) }),
    );

    r.post(
      '/api/admin/connector/deliveries/:id/resend',
      {
        schema: {
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: ZResendAnswer },
        },
      },
      async (req) => resendDelivery(app, actorOfRequest(req), req.params.id, req.ip),
    );
  };
}

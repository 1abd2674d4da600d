import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RouteOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { auditRoutes } from '../audit/routes.ts';
import { adminRoutes } from '../auth/admin-routes.ts';
import { authRoutes } from '../auth/routes.ts';
import { calendarRoutes } from '../calendar/routes.ts';
import { SANDBOX_CREDENTIALS, SANDBOX_PREFIX } from '../config.ts';
import { connectorAdminRoutes, connectorOfficerRoutes, connectorRoutes } from '../connector/routes.ts';
import { dashboardRoutes } from '../dashboard/routes.ts';
import { integrationDossierRoutes } from '../dossiers/integration-routes.ts';
import { dossierRoutes } from '../dossiers/routes.ts';
import { mailboxRoutes } from '../email/mailbox-routes.ts';
import { fallbackRoutes } from '../fallback/routes.ts';
import { oaNameOf } from '../forms/form-data.ts';
import { lookupRoutes } from '../lookup/routes.ts';
import { notificationRoutes } from '../notifications/routes.ts';
import { acceptedCorrelationId, newCorrelationId, withCorrelation } from '../operations/correlation.ts';
import { metrics } from '../operations/metrics.ts';
import { metricsRoutes } from '../operations/metrics-exposure.ts';
import { operationsRoutes } from '../operations/routes.ts';
import { organisationRoutes } from '../organisation/routes.ts';
import { publicStatsRoutes } from '../public-stats/routes.ts';
import { ratingRoutes } from '../ratings/routes.ts';
import { smsDeliveryReportRoutes } from '../sms/delivery-reports.ts';
import { smsSandboxRoutes } from '../sms/sandbox-routes.ts';
import { zaloAdminRoutes } from '../zalo/routes.ts';
import { zaloWebhookRoutes } from '../zalo/webhook-routes.ts';
import { mountZaloSandbox, type SandboxHandle } from '../zalo-sandbox/plugin.ts';
import { authenticateFirst, officerAuth } from './auth.ts';
import { declareErrorResponses, frameworkErrors, registerErrorHandler } from './errors.ts';
import { limitPendingBodies, registerPerNodeRateLimits, serverTimeouts } from './request-limits.ts';
import { sandboxPhoneAccess } from './sandbox-access.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { refuseUnstorableText } from './storable-text.ts';
import { fastifyTrustProxy } from './trust-proxy.ts';
import { registerWebApp } from './web-app.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The in-process Zalo sandbox, when the product runs on it. */
    zaloSandbox?: SandboxHandle;
  }
}

/** Builds the web role: every HTTP route of the product on one Fastify instance. */
export async function buildServer(
  app: AppContext,
  /** Sees every route as it is added (the contract test walks them all). */
  options: { onRoute?: (route: RouteOptions) => void } = {},
): Promise<FastifyInstance> {
  const fastify = Fastify({
    loggerInstance: app.logger.child({ role: 'web' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: fastifyTrustProxy(app.config.http.trustProxy),
    ...serverTimeouts(app.config),
    // Long enough for a dossier code typed with spaces or text around it after /tra-cuu/.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    frameworkErrors,
    // The request id is the correlation id of what the request causes (src/operations/correlation.ts).
    genReqId: (req) => acceptedCorrelationId(req.headers['x-request-id']) ?? newCorrelationId(),
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    withCorrelation(request.id, done);
  });
  // Latency by route pattern (never the raw URL: one series per route, no codes or phones in labels).
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(fastify);
  fastify.addHook('onRoute', authenticateFirst);
  fastify.addHook('onRoute', declareErrorResponses);
  if (options.onRoute) {
    fastify.addHook('onRoute', options.onRoute);
  }
  limitPendingBodies(fastify, app.config);
  refuseUnstorableText(fastify);
  await fastify.register(fastifyCookie);
  await fastify.register(fastifyCompress, { threshold: 1024, encodings: ['gzip'] });

  await registerSecurityHeaders(fastify, app.config);
  await registerPerNodeRateLimits(fastify);

  await fastify.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Một cửa + Zalo API',
        version: '1.0.0',
        description:
          'Integration API (/api/v1, Bearer API key scoped to one agency) and the officer app API (/api, session cookie). ' +
          'Errors: {error, message, userMessage, details}.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'mck_… API key' } },
      },
    },
    // The sandboxes (/sandbox/…: Zalo's API and the phone simulator, never mounted in production) are test
    // doubles, not our API: left out, so the document is the same whatever the configuration
    // (docs/openapi.json is this document, committed).
    transform: (document) =>
      document.url.startsWith('/sandbox/')
        ? { schema: { hide: true }, url: document.url }
        : jsonSchemaTransform(document),
    // Named schemas (ApiError) become components the operations refer to.
    transformObject: jsonSchemaTransformObject,
  });
  if (app.config.http.apiDocs) {
    // The UI's own CSP (hashes of its inline script and style) replaces the app's on its pages.
    await fastify.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  }

  // Liveness (the process answers) and readiness (it can reach PostgreSQL), for a load balancer or systemd.
  fastify.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  fastify.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const database = await databaseAnswers(app);
    return reply
      .status(database ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ ok: database, database: database ? 'up' : 'down' });
  });
  await fastify.register(authRoutes(app));
  await fastify.register(organisationRoutes(app));
  await fastify.register(calendarRoutes(app));
  await fastify.register(dossierRoutes(app));
  await fastify.register(integrationDossierRoutes(app));
  await fastify.register(connectorRoutes(app));
  await fastify.register(connectorAdminRoutes(app));
  await fastify.register(connectorOfficerRoutes(app));
  await fastify.register(adminRoutes(app));
  await fastify.register(auditRoutes(app));
  await fastify.register(dashboardRoutes(app));
  await fastify.register(notificationRoutes(app));
  await fastify.register(zaloAdminRoutes(app));
  await fastify.register(zaloWebhookRoutes(app));
  await fastify.register(lookupRoutes(app));
  await fastify.register(fallbackRoutes(app));
  await fastify.register(operationsRoutes(app));
  // Issue 22: ratings (/danh-gia, /api/ratings…) and the public scoreboard (/cong-khai, /api/public/stats).
  await fastify.register(ratingRoutes(app));
  await fastify.register(publicStatsRoutes(app));
  await fastify.register(metricsRoutes(app));
  // Reserved test numbers use the SMS sandbox even with a gateway, so its messages are viewable outside
  // production; nothing under /sandbox/ is mounted in production.
  if (!app.config.isProduction) {
    await fastify.register(smsSandboxRoutes(app));
  }
  await fastify.register(smsDeliveryReportRoutes(app));
  if (app.config.mail.transport === 'catcher') {
    await fastify.register(mailboxRoutes(app));
  }
  if (app.config.zalo.sandbox) {
    const sandbox = await mountZaloSandbox(fastify, {
      prefix: SANDBOX_PREFIX,
      options: {
        ...SANDBOX_CREDENTIALS,
        oaName: await oaName(app),
        webhookUrl: `http://127.0.0.1:${app.config.http.port}/webhooks/zalo`,
      },
      redirectUri: () => `${app.config.http.publicBaseUrl}/api/zalo/oauth/callback`,
      guards: {
        phone: sandboxPhoneAccess(app),
        admin: officerAuth(app, ['admin']),
        oauth: officerAuth(app, ['admin']),
      },
    });
    fastify.decorate('zaloSandbox', sandbox);
  }
  await registerWebApp(fastify);
  return fastify;
}

/** The OA name citizens know ("Dịch vụ công tỉnh …"), from the province in the database. */
async function oaName(app: AppContext): Promise<string> {
  const province = await app.db.selectFrom('province').select('name').orderBy('code').executeTakeFirst();
  return oaNameOf(province?.name ?? 'Tỉnh Quảng Trị');
}

/** Whether PostgreSQL answers a trivial statement within two seconds. */
async function databaseAnswers(app: AppContext): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  const answer = sql`select 1`.execute(app.db).then(
    () => true,
    () => false,
  );
  return Promise.race([answer, timeout]);
}

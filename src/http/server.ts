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
import { registerFeatureRoutes } from '../app-routes.ts';
import { acceptedCorrelationId, metricsOf, newCorrelationId, withCorrelation } from '../operations/index.ts';
import type { SandboxHandle } from '../zalo-sandbox/index.ts';
import { authenticateFirst } from './auth.ts';
import { declareErrorResponses, frameworkErrors, registerErrorHandler } from './errors.ts';
import { limitPendingBodies, registerPerNodeRateLimits, serverTimeouts } from './request-limits.ts';
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
  const { httpDuration } = metricsOf(app);
  fastify.addHook('onResponse', (request, reply, done) => {
    httpDuration.observe(
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
  await registerFeatureRoutes(fastify, app);
  await registerWebApp(fastify);
  return fastify;
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

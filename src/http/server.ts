import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { adminRoutes } from '../auth/admin-routes.ts';
import { authRoutes } from '../auth/routes.ts';
import { calendarRoutes } from '../calendar/routes.ts';
import { dashboardRoutes } from '../dashboard/routes.ts';
import { integrationDossierRoutes } from '../dossiers/integration-routes.ts';
import { dossierRoutes } from '../dossiers/routes.ts';
import { organisationRoutes } from '../organisation/routes.ts';
import { registerErrorHandler } from './errors.ts';
import { registerWebApp } from './web-app.ts';

/** Builds the web role: every HTTP route of the product on one Fastify instance. */
export async function buildServer(app: AppContext): Promise<FastifyInstance> {
  const fastify = Fastify({
    loggerInstance: app.logger.child({ role: 'web' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: app.config.http.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  });
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(fastify);
  await fastify.register(fastifyCookie);
  await fastify.register(fastifyCompress, { threshold: 1024, encodings: ['gzip'] });

  fastify.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    if (!reply.hasHeader('X-Frame-Options')) {
      reply.header('X-Frame-Options', 'DENY');
    }
    return payload;
  });

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
    transform: jsonSchemaTransform,
  });
  await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' });

  fastify.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  await fastify.register(authRoutes(app));
  await fastify.register(organisationRoutes(app));
  await fastify.register(calendarRoutes(app));
  await fastify.register(dossierRoutes(app));
  await fastify.register(integrationDossierRoutes(app));
  await fastify.register(adminRoutes(app));
  await fastify.register(dashboardRoutes(app));
  await registerWebApp(fastify);
  return fastify;
}

import type { FastifyInstance } from 'fastify';
import type { AppContext } from './app-context.ts';
import { auditRoutes } from './audit/index.ts';
import { adminRoutes, authRoutes } from './auth/index.ts';
import { calendarRoutes } from './calendar/index.ts';
import { SANDBOX_CREDENTIALS, SANDBOX_PREFIX } from './config.ts';
import { connectorAdminRoutes, connectorOfficerRoutes, connectorRoutes } from './connector/index.ts';
import { dashboardRoutes } from './dashboard/index.ts';
import { dossierRoutes, integrationDossierRoutes } from './dossiers/index.ts';
import { mailboxRoutes } from './email/index.ts';
import { fallbackRoutes } from './fallback/index.ts';
import { formRoutes, integrationFormRoutes } from './forms/index.ts';
import { officerAuth } from './http/auth.ts';
import { sandboxPhoneAccess } from './http/sandbox-access.ts';
import { lookupRoutes } from './lookup/index.ts';
import { notificationRoutes, templateBindingRoutes } from './notifications/index.ts';
import { metricsRoutes, operationsRoutes } from './operations/index.ts';
import { organisationRoutes } from './organisation/index.ts';
import { publicStatsRoutes } from './public-stats/index.ts';
import { ratingRoutes } from './ratings/index.ts';
import { smsDeliveryReportRoutes, smsSandboxRoutes } from './sms/index.ts';
import { connectionHealth, zaloAdminRoutes, zaloWebhookRoutes } from './zalo/index.ts';
import { oaNameOf, zaloOaRoutes } from './zalo-oa/index.ts';
import { mountZaloSandbox } from './zalo-sandbox/index.ts';

/**
 * The one place that wires the features' routes into the server (src/http/server.ts sets up the framework
 * around them: cookies, compression, security headers, OpenAPI, errors, health). Each feature exposes its routes
 * as a plugin; the sandboxes (Zalo, SMS, the mail catcher) are mounted here only when the configuration says so.
 */
export async function registerFeatureRoutes(fastify: FastifyInstance, app: AppContext): Promise<void> {
  await fastify.register(authRoutes(app));
  await fastify.register(organisationRoutes(app));
  await fastify.register(calendarRoutes(app));
  await fastify.register(dossierRoutes(app));
  await fastify.register(integrationDossierRoutes(app));
  await fastify.register(formRoutes(app));
  await fastify.register(integrationFormRoutes(app));
  await fastify.register(connectorRoutes(app));
  await fastify.register(connectorAdminRoutes(app));
  await fastify.register(connectorOfficerRoutes(app));
  await fastify.register(adminRoutes(app));
  await fastify.register(auditRoutes(app));
  await fastify.register(dashboardRoutes(app));
  await fastify.register(notificationRoutes(app));
  await fastify.register(zaloAdminRoutes(app));
  await fastify.register(templateBindingRoutes(app));
  await fastify.register(zaloWebhookRoutes(app));
  await fastify.register(lookupRoutes(app));
  await fastify.register(zaloOaRoutes(app));
  await fastify.register(fallbackRoutes(app));
  await fastify.register(operationsRoutes(app, { connection: connectionHealth }));
  // Ratings (/danh-gia, /api/ratings…) and the public scoreboard (/cong-khai, /api/public/stats).
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
}

/** The OA name citizens know ("Dịch vụ công tỉnh …"), from the province in the database. */
async function oaName(app: AppContext): Promise<string> {
  const province = await app.db.selectFrom('province').select('name').orderBy('code').executeTakeFirst();
  return oaNameOf(province?.name ?? 'Tỉnh Quảng Trị');
}

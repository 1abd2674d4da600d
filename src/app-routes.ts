import type { FastifyInstance } from 'fastify';
import type { AppContext } from './app-context.ts';
import { auditRoutes } from './audit/routes.ts';
import { adminRoutes } from './auth/admin-routes.ts';
import { authRoutes } from './auth/routes.ts';
import { calendarRoutes } from './calendar/routes.ts';
import { SANDBOX_CREDENTIALS, SANDBOX_PREFIX } from './config.ts';
import { connectorAdminRoutes, connectorOfficerRoutes, connectorRoutes } from './connector/routes.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { integrationDossierRoutes } from './dossiers/integration-routes.ts';
import { dossierRoutes } from './dossiers/routes.ts';
import { mailboxRoutes } from './email/mailbox-routes.ts';
import { fallbackRoutes } from './fallback/routes.ts';
import { formRoutes, integrationFormRoutes } from './forms/routes.ts';
import { officerAuth } from './http/auth.ts';
import { sandboxPhoneAccess } from './http/sandbox-access.ts';
import { lookupRoutes } from './lookup/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { metricsRoutes } from './operations/metrics-exposure.ts';
import { operationsRoutes } from './operations/routes.ts';
import { organisationRoutes } from './organisation/routes.ts';
import { publicStatsRoutes } from './public-stats/routes.ts';
import { ratingRoutes } from './ratings/routes.ts';
import { smsDeliveryReportRoutes } from './sms/delivery-reports.ts';
import { smsSandboxRoutes } from './sms/sandbox-routes.ts';
import { zaloAdminRoutes } from './zalo/routes.ts';
import { connectionHealth } from './zalo/token-store.ts';
import { zaloWebhookRoutes } from './zalo/webhook-routes.ts';
import { oaNameOf } from './zalo-oa/oa-qr.ts';
import { zaloOaRoutes } from './zalo-oa/routes.ts';
import { mountZaloSandbox } from './zalo-sandbox/plugin.ts';

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

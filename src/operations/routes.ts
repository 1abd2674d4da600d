import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZAlertRecipients, ZAlertResolved, ZSystemStatus, ZTestMailSent } from '../contracts/operations.ts';
import { sendEmail } from '../email/index.ts';
import { AppError } from '../errors.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { recordAudit } from '../record-audit.ts';
import { alertRecipients, RECIPIENTS_KEY } from './alert-mail.ts';
import { resolveAlerts } from './alerts.ts';
import { type StatusParts, systemStatus } from './system-status.ts';

/**
 * Page "Tình trạng hệ thống" and what administrators do there (docs/operations.md); the features' parts of
 * the page come from the app module.
 */
export function operationsRoutes(app: AppContext, parts: StatusParts) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: system status'];
    const admin = { preHandler: officerAuth(app, ['admin']) };

    r.get(
      '/api/admin/system-status',
      {
        ...admin,
        schema: {
          tags,
          summary: 'OA connection, queues, sends and failures per hour, workers, gateways, alerts',
          response: { 200: ZSystemStatus },
        },
      },
      async (_req, reply) => reply.header('cache-control', 'no-store').send(await systemStatus(app, parts)),
    );

    r.put(
      '/api/admin/alert-recipients',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Who is e-mailed about alerts (besides ALERT_EMAILS); audited',
          body: z.object({ emails: z.array(z.email().max(200)).max(20) }),
          response: { 200: ZAlertRecipients },
        },
      },
      async (req) => {
        const emails = [...new Set(req.body.emails.map((e) => e.trim().toLowerCase()))];
        await app.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('app_meta')
            .values({ key: RECIPIENTS_KEY, value: JSON.stringify(emails) })
            .onConflict((oc) =>
              oc.column('key').doUpdateSet({ value: JSON.stringify(emails), updated_at: app.clock() }),
            )
            .execute();
          await recordAudit(
            tx,
            actorOfRequest(req),
            'alert.recipients.set',
            { type: 'app_meta', id: RECIPIENTS_KEY },
            { emails },
            req.ip,
          );
        });
        return { emails };
      },
    );

    r.post(
      '/api/admin/alerts/resolve',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Marks an alert handled; it comes back if its cause is still there; audited',
          body: z.object({ key: z.string().min(1).max(200) }),
          response: { 200: ZAlertResolved },
        },
      },
      async (req) => {
        const resolved = await app.db.transaction().execute(async (tx) => {
          const keys = await resolveAlerts(app, { keys: [req.body.key] }, tx);
          if (keys.length > 0) {
            await recordAudit(
              tx,
              actorOfRequest(req),
              'alert.resolve',
              { type: 'app_alert', id: req.body.key },
              {},
              req.ip,
            );
          }
          return keys.length > 0;
        });
        return { resolved };
      },
    );

    r.post(
      '/api/admin/alerts/test-mail',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Sends a test e-mail to the alert recipients',
          response: { 200: ZTestMailSent },
        },
      },
      async () => {
        const to = await alertRecipients(app);
        if (to.length === 0) {
          throw new AppError(
            'no_alert_recipients',
            'Nobody is set to receive alert e-mails',
            'Chưa có địa chỉ email nhận cảnh báo.',
          );
        }
        const result = await sendEmail(app, {
          to: to.join(', '),
          subject: '[Một cửa] Thư thử: cảnh báo hệ thống',
          text: `Thư thử từ trang "Tình trạng hệ thống": địa chỉ này sẽ nhận cảnh báo khi kênh Zalo, SMS hoặc email gặp sự cố.\n${app.config.http.publicBaseUrl}/tinh-trang`,
          html: `<p>Thư thử từ trang "Tình trạng hệ thống": địa chỉ này sẽ nhận cảnh báo khi kênh Zalo, SMS hoặc email gặp sự cố.</p>`,
          reference: 'alert:test',
        });
        if (!result?.ok) {
          throw new AppError(
            'alert_mail_failed',
            `The test e-mail was not accepted: ${result && !result.ok ? result.message : 'e-mail is off'}`,
            'Máy chủ email không nhận thư thử. Kiểm tra cấu hình SMTP_URL.',
          );
        }
        return { sentTo: to };
      },
    );
  };
}

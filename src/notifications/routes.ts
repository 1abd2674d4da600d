import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZNoContent } from '../contracts/errors.ts';
import { ZIdParams, ZRowId } from '../contracts/ids.ts';
import {
  ZFailedStatusChange,
  ZNotificationChannel,
  ZNotificationStats,
  ZNotificationView,
  ZStatusChangesRetried,
} from '../contracts/notifications.ts';
import { type TAlertLevel, ZAlertBanner } from '../contracts/operations.ts';
import { STATUSES, type StatusCode } from '../contracts/statuses.ts';
import { actorOfRequest, apiKeyAuth, officerAuth } from '../http/auth.ts';
import { openAlerts } from '../operations/index.ts';
import { cancelNotification, dossierNotifications, notificationStats, retryNotification } from './queries.ts';
import { failedStatusChanges, retryFailedStatusChanges } from './status-change-lane.ts';

/** Alerts that mean citizens' messages are held up (shown to every officer as one line). */
const CHANNEL_ALERT = /^(zalo\.(connection|template|account)|queue\.stale:(planning|zalo)|worker\.silent)/;

const ZCode = z.object({ code: z.string().min(1).max(100) });
const ZId = ZIdParams;

export function notificationRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/dossiers/:code/notifications',
      {
        preHandler: officerAuth(app),
        schema: {
          tags: ['Officer app: dossiers'],
          params: ZCode,
          response: { 200: z.array(ZNotificationView) },
        },
      },
      async (req) => dossierNotifications(app, actorOfRequest(req), req.params.code),
    );
    r.get(
      '/api/v1/dossiers/:code/notifications',
      {
        preHandler: apiKeyAuth(app),
        schema: {
          tags: ['Integration API: dossiers'],
          security: [{ apiKey: [] }],
          summary: 'Messages sent to the citizen about this dossier, with every attempt',
          params: ZCode,
          response: { 200: z.array(ZNotificationView) },
        },
      },
      async (req) => dossierNotifications(app, actorOfRequest(req), req.params.code),
    );
    const tags = ['Officer app: notifications'];
    r.get(
      '/api/admin/notifications/stats',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: {
          tags,
          querystring: z.object({ channel: ZNotificationChannel.optional() }),
          response: { 200: ZNotificationStats },
        },
      },
      async (req) => notificationStats(app, actorOfRequest(req), req.query.channel),
    );
    r.post(
      '/api/admin/notifications/:id/retry',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: { tags, params: ZId, response: { 204: ZNoContent } },
      },
      async (req, reply) => {
        await retryNotification(app, actorOfRequest(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
    r.post(
      '/api/admin/notifications/:id/cancel',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: { tags, params: ZId, response: { 204: ZNoContent } },
      },
      async (req, reply) => {
        await cancelNotification(app, actorOfRequest(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
    r.get(
      '/api/admin/status-changes/failed',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: {
          tags,
          summary: 'Status changes whose messages could not be planned (alert status_change.failed)',
          response: { 200: z.array(ZFailedStatusChange) },
        },
      },
      async () =>
        (await failedStatusChanges(app)).map((c) => ({
          journalId: c.journal_id,
          dossierCode: c.code,
          toStatus: STATUSES[c.to_status as StatusCode]?.label ?? String(c.to_status),
          attempts: c.attempts,
          lastError: c.last_error,
          failedAt: new Date(c.failed_at!).toISOString(),
        })),
    );
    r.post(
      '/api/admin/status-changes/retry',
      {
        preHandler: officerAuth(app, ['admin']),
        schema: {
          tags,
          summary: 'Plan them again once the cause is fixed: one (journalId) or all; audited',
          body: z.object({ journalId: ZRowId.optional() }),
          response: { 200: ZStatusChangesRetried },
        },
      },
      async (req) => ({
        retried: await retryFailedStatusChanges(app, actorOfRequest(req), req.body.journalId),
      }),
    );
    r.get(
      '/api/alerts',
      { preHandler: officerAuth(app), schema: { tags, response: { 200: ZAlertBanner } } },
      async (req) => {
        const open = await openAlerts(app.db);
        if (req.user?.role === 'admin') {
          return open.map((a) => ({
            key: a.key,
            level: a.level as TAlertLevel,
            message: a.message,
            count: a.count,
            lastAt: new Date(a.last_at).toISOString(),
          }));
        }
        // Officers promise citizens a Zalo message: they are told, in one line, when messages are held up.
        const held = open.filter((a) => CHANNEL_ALERT.test(a.key));
        return held.length === 0
          ? []
          : [
              {
                key: 'channel',
                level: 'warning' as const,
                message:
                  'Tin nhắn Zalo tới người dân đang bị chậm hoặc tạm dừng; quản trị viên đã được báo. Hồ sơ vẫn tiếp nhận và xử lý bình thường, tin nhắn sẽ được gửi khi sự cố được khắc phục.',
                count: held.length,
                lastAt: new Date(held[0]!.last_at).toISOString(),
              },
            ];
      },
    );
  };
}

import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { alertKind } from '../contracts/alerts.ts';
import type { TAlertLevel, TZaloConnectionHealth } from '../contracts/operations.ts';
import { alertRecipients, RECIPIENTS_KEY } from './alert-mail.ts';
import { alertHistory, openAlerts } from './alerts.ts';
import { gatewayHealth } from './gateway-health.ts';
import { queueStats } from './queues.ts';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * What features contribute to the page: the OA connection and its tokens (src/zalo/token-store.ts), passed in
 * by the app module (src/app-routes.ts) so that this layer imports no feature.
 */
export interface StatusParts {
  connection(app: AppContext): Promise<TZaloConnectionHealth>;
}

/**
 * Page "Tình trạng hệ thống" (administrators): the OA connection and its tokens, each queue's depth and oldest
 * item, sends and failures per hour by cause over 24 hours, webhook lag, the worker nodes seen, the gateways'
 * health, the alerts (active and past) and who is e-mailed about them. A handful of small statements; the
 * 24-hour figures read the notifications of the last 24 hours through their creation-time index.
 */
export async function systemStatus(app: AppContext, parts: StatusParts) {
  const [connection, queues, perHour, webhooks, workers, gateways, active, history, recipients] =
    await Promise.all([
      parts.connection(app),
      queueStats(app.db),
      hourly(app),
      webhookLag(app),
      workerNodes(app),
      gatewayHealth(app.db),
      openAlerts(app.db),
      alertHistory(app.db, 50),
      recipientsView(app),
    ]);
  const alertView = (a: { key: string; level: string; message: string }) => {
    const k = alertKind(a.key);
    return {
      key: a.key,
      level: a.level as TAlertLevel,
      message: a.message,
      title: k.title,
      todo: k.todo,
      page: k.page,
    };
  };
  return {
    generatedAt: new Date().toISOString(),
    connection,
    queues,
    ...perHour,
    webhooks,
    workers,
    gateways: (['sms', 'email'] as const).map((channel) => {
      const g = gateways.find((r) => r.channel === channel);
      return {
        channel,
        provider: channel === 'sms' ? app.config.sms.provider : app.config.mail.transport,
        lastSuccessAt: iso(g?.last_success_at),
        lastFailureAt: iso(g?.last_failure_at),
        failuresInRow: g?.failures_in_row ?? 0,
        lastError: g?.last_error ?? null,
      };
    }),
    alerts: {
      active: active.map((a) => ({
        ...alertView(a),
        firstAt: iso(a.first_at)!,
        lastAt: iso(a.last_at)!,
        count: a.count,
        mailedAt: iso(a.mailed_at),
        mailError: a.mail_error,
      })),
      history: history.map((a) => ({
        ...alertView(a),
        firstAt: iso(a.first_at)!,
        resolvedAt: iso(a.resolved_at)!,
        count: a.count,
        mailed: a.mailed,
      })),
    },
    recipients,
    thresholds: {
      queueMinutes: app.config.alerts.queueMinutes,
      workerMinutes: app.config.alerts.workerMinutes,
      gatewayFailures: app.config.alerts.gatewayFailures,
      reminderHours: app.config.alerts.reminderHours,
      refreshWarnDays: app.config.alerts.refreshWarnDays,
    },
  };
}

export type SystemStatus = Awaited<ReturnType<typeof systemStatus>>;

/**
 * The last 24 hours by the hour (Vietnam time labels are the page's job): messages accepted and failed per
 * channel, and the failures and holds by cause (the reason the officer reads, or Zalo's code).
 */
async function hourly(app: AppContext) {
  const sends = await sql<{ hour: Date; channel: string; sent: number; failed: number }>`
    select date_trunc('hour', coalesce(sent_at, failed_at, created_at)) as hour, channel,
      count(*) filter (where state in ('sent', 'delivered'))::int as sent,
      count(*) filter (where state = 'failed')::int as failed
    from notification
    where created_at > now() - interval '25 hours' and coalesce(sent_at, failed_at, created_at) > now() - interval '24 hours'
    group by 1, 2 order by 1, 2`.execute(app.db);
  const causes = await sql<{ hour: Date; cause: string; n: number }>`
    select date_trunc('hour', coalesce(failed_at, updated_at)) as hour,
      coalesce(error_vi, case when error_code is null then 'Không rõ' else 'Mã lỗi ' || error_code end)
        || case when state = 'waiting' then ' (đang chờ)' else '' end as cause,
      count(*)::int as n
    from notification
    where created_at > now() - interval '25 hours' and state in ('failed', 'waiting')
      and coalesce(failed_at, updated_at) > now() - interval '24 hours'
    group by 1, 2 order by 1, 3 desc`.execute(app.db);
  return {
    sendsByHour: sends.rows.map((r) => ({
      hour: iso(r.hour)!,
      channel: r.channel,
      sent: r.sent,
      failed: r.failed,
    })),
    failuresByHour: causes.rows.map((r) => ({ hour: iso(r.hour)!, cause: r.cause, n: r.n })),
  };
}

/** Webhook events: the last one received, and how long the last 200 waited to be processed. */
async function webhookLag(app: AppContext) {
  const r = await sql<{ last_received_at: Date | null; avg_ms: number | null; max_ms: number | null }>`
    with recent as (select received_at, processed_at from zalo_event order by id desc limit 200)
    select max(received_at) as last_received_at,
      (avg(extract(epoch from processed_at - received_at)) * 1000)::float8 as avg_ms,
      (max(extract(epoch from processed_at - received_at)) * 1000)::float8 as max_ms
    from recent`.execute(app.db);
  const row = r.rows[0];
  return {
    lastReceivedAt: iso(row?.last_received_at),
    processingAvgMs: row?.avg_ms === null || row?.avg_ms === undefined ? null : Math.round(row.avg_ms),
    processingMaxMs: row?.max_ms === null || row?.max_ms === undefined ? null : Math.round(row.max_ms),
  };
}

async function workerNodes(app: AppContext) {
  const nodes = await app.db
    .selectFrom('worker_node')
    .select(['hostname', 'pid', 'started_at', 'last_seen_at'])
    .orderBy('started_at')
    .execute();
  const kept = await app.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', 'worker_last_seen_at')
    .executeTakeFirst();
  const lastSeen = nodes.map((n) => new Date(n.last_seen_at).getTime());
  return {
    nodes: nodes.map((n) => ({
      hostname: n.hostname,
      pid: n.pid,
      startedAt: iso(n.started_at)!,
      lastSeenAt: iso(n.last_seen_at)!,
    })),
    lastSeenAt:
      lastSeen.length > 0 ? iso(new Date(Math.max(...lastSeen))) : iso(kept?.value as string | null),
  };
}

async function recipientsView(app: AppContext) {
  const stored = await app.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', RECIPIENTS_KEY)
    .executeTakeFirst();
  return {
    fromConfig: app.config.alerts.emails,
    set: (stored?.value as string[] | undefined) ?? [],
    effective: await alertRecipients(app),
  };
}

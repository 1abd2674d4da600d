import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { AlertKeys, raiseAlert, resolveAlerts } from './alerts.ts';
import { queueStats, STALE_LANES } from './queues.ts';

/** A cause-keyed alert raised this recently is left alone: its waiting message may not be written yet. */
const SETTLE_SECONDS = 60;
/**
 * Keys of versions before alerts were keyed by cause: one alert for every account or template problem. Their
 * causes, if still there, are raised again under their own keys at the next try of their messages.
 */
const LEGACY_KEYS = ['zalo.account', 'zalo.payload'];

/**
 * A feature's own periodic check (the Zalo OA connection, src/zalo/health-check.ts): raises its alerts while
 * its condition holds and resolves them when it no longer does. The features' checks are listed in
 * src/app-background.ts (HEALTH_CHECKS), so that this layer imports no feature.
 */
export type HealthCheck = (app: AppContext) => Promise<void>;

/**
 * The periodic checks behind the alerts that no send raises by itself (run by
 * src/operations/health-checks-runner.ts on every node, every HEALTH_CHECK_SECONDS): a queue waiting too long,
 * no worker seen, a gateway failing again and again, then the features' own `checks` (the OA connection
 * broken or its refresh token near expiry) — each raised while its condition holds and resolved when it no
 * longer does; and the cause-keyed alerts raised by the send path (a refused template, an account problem)
 * resolved once no message waits for their cause any more. Idempotent: several nodes may run it at once.
 */
export async function evaluateHealth(app: AppContext, checks: readonly HealthCheck[]): Promise<void> {
  await checkQueues(app);
  await checkWorkers(app);
  await checkGateways(app);
  for (const check of checks) {
    await check(app);
  }
  await resolveGoneCauses(app);
}

async function checkQueues(app: AppContext): Promise<void> {
  const limit = app.config.alerts.queueMinutes * 60;
  const fine: string[] = [];
  for (const q of await queueStats(app.db)) {
    if (!STALE_LANES.includes(q.lane)) {
      continue;
    }
    if (q.oldestSeconds !== null && q.oldestSeconds > limit) {
      await raiseAlert(
        app,
        AlertKeys.queue(q.lane),
        'error',
        `Hàng đợi "${q.label}" có ${q.depth} mục, mục cũ nhất đã chờ ${Math.round(q.oldestSeconds / 60)} phút (ngưỡng ${app.config.alerts.queueMinutes} phút).`,
        { counted: false },
      );
    } else {
      fine.push(AlertKeys.queue(q.lane));
    }
  }
  await resolveAlerts(app, { keys: fine });
}

/**
 * Worker pools beat every few seconds (worker_node); a dead one's row is swept away, so the last time any was
 * seen is kept in app_meta. Before any was ever seen, the count starts at the first check.
 */
async function checkWorkers(app: AppContext): Promise<void> {
  const r = await sql<{ age: number; seen: boolean; nodes: number }>`
    with live as (select max(last_seen_at) as at, count(*)::int as nodes from worker_node),
    kept as (
      insert into app_meta (key, value)
      select 'worker_last_seen_at', to_jsonb(coalesce((select at from live), now()))
      on conflict (key) do update set value = excluded.value, updated_at = now()
        where (select at from live) is not null
      returning value
    )
    select extract(epoch from now() - coalesce((select at from live),
             (select (value #>> '{}')::timestamptz from app_meta where key = 'worker_last_seen_at'), now()))::float8 as age,
           (select at from live) is not null as seen, (select nodes from live) as nodes`.execute(app.db);
  const { age = 0 } = r.rows[0] ?? {};
  const limit = app.config.alerts.workerMinutes * 60;
  if (age > limit) {
    await raiseAlert(
      app,
      AlertKeys.worker,
      'error',
      `Không thấy tiến trình xử lý nền (worker) nào trong ${Math.round(age / 60)} phút: tin nhắn không được gửi.`,
      { counted: false },
    );
  } else {
    await resolveAlerts(app, { keys: [AlertKeys.worker] });
  }
}

async function checkGateways(app: AppContext): Promise<void> {
  const rows = await app.db.selectFrom('gateway_health').selectAll().execute();
  for (const channel of ['sms', 'email'] as const) {
    const g = rows.find((r) => r.channel === channel);
    if (g && g.failures_in_row >= app.config.alerts.gatewayFailures) {
      await raiseAlert(
        app,
        AlertKeys.gateway(channel),
        'error',
        `${channel === 'sms' ? 'Cổng SMS' : 'Máy chủ email'} lỗi ${g.failures_in_row} lần liên tiếp: ${g.last_error ?? ''}`.trim(),
        { counted: false },
      );
    } else {
      await resolveAlerts(app, { keys: [AlertKeys.gateway(channel)] });
    }
  }
}

/**
 * Alerts raised by the send path for a cause — a refused template, an account problem, a template not
 * bound, a payload refused for a template no longer bound, status changes given up — end when nothing waits
 * for that cause any more (the messages were sent, cancelled or superseded).
 */
async function resolveGoneCauses(app: AppContext): Promise<void> {
  const open = await sql<{ key: string }>`
    select key from app_alert
    where resolved_at is null and last_at < now() - make_interval(secs => ${SETTLE_SECONDS})
      and (key like 'zalo.template:%' or key like 'zalo.account:%' or key like 'zalo.payload:%'
           or key in (${AlertKeys.templateMissing}, ${AlertKeys.statusChangeFailed}, ${LEGACY_KEYS[0]}, ${LEGACY_KEYS[1]}))`.execute(
    app.db,
  );
  if (open.rows.length === 0) {
    return;
  }
  const causes = new Set(
    (
      await sql<{ wait_cause: string }>`
        select distinct wait_cause from notification where state = 'waiting' and wait_cause is not null`.execute(
        app.db,
      )
    ).rows.map((r) => `zalo.${r.wait_cause === 'template_missing' ? 'template.missing' : r.wait_cause}`),
  );
  const bound = new Set(
    (await app.db.selectFrom('zalo_template_binding').select('template_id').execute()).map((b) =>
      AlertKeys.payload(b.template_id),
    ),
  );
  const givenUp = await app.db
    .selectFrom('status_change')
    .select('journal_id')
    .where('failed_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  const gone = open.rows
    .map((a) => a.key)
    .filter((key) =>
      LEGACY_KEYS.includes(key)
        ? true
        : key.startsWith('zalo.payload:')
          ? !bound.has(key)
          : key === AlertKeys.statusChangeFailed
            ? !givenUp
            : !causes.has(key),
    );
  await resolveAlerts(app, { keys: gone });
}

import { sql } from 'kysely';
import { type Actor, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { displayStoredPhone } from '../contracts/phone.ts';
import type { NotificationChannel } from '../db/schema.ts';
import { findDossierByCode } from '../dossiers/index.ts';
import { Conflict, NotFound } from '../errors.ts';
import { enqueueFallbackSend } from '../fallback/index.ts';
import { notifyDue } from '../jobs/index.ts';
import { recordAudit } from '../record-audit.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The messages sent (or tried) for a dossier, with every attempt: the timeline's notification entries. */
export async function dossierNotifications(app: AppContext, actor: Actor, code: string) {
  const dossier = await findDossierByCode(app.db, actor.agencyId, code);
  if (!dossier) {
    throw NotFound('dossier', code, 'Không tìm thấy hồ sơ.');
  }
  const rows = await app.db
    .selectFrom('notification')
    .selectAll()
    .where('dossier_id', '=', dossier.id)
    .orderBy('id')
    .execute();
  const attempts = rows.length
    ? await app.db
        .selectFrom('notification_attempt')
        .selectAll()
        .where(
          'notification_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('at')
        .execute()
    : [];
  return rows.map((n) => ({
    id: n.id,
    journalSeq: n.journal_seq,
    channel: n.channel,
    recipient:
      n.channel === 'zalo_phone' || n.channel === 'sms' ? displayStoredPhone(n.recipient) : n.recipient,
    templateId: n.template_id,
    content: n.rendered,
    state: n.state,
    createdAt: iso(n.created_at)!,
    sentAt: iso(n.sent_at),
    deliveredAt: iso(n.delivered_at),
    failedAt: iso(n.failed_at),
    errorCode: n.error_code,
    errorMessage: n.error_message,
    reason: n.error_vi,
    unreachable: n.unreachable,
    nextAttemptAt: iso(n.next_attempt_at),
    replacesId: n.replaces_notification_id,
    fallbackReason: n.fallback_reason,
    smsEncoding: n.sms_encoding,
    smsSegments: n.sms_segments,
    attempts: attempts
      .filter((a) => a.notification_id === n.id)
      .map((a) => ({
        at: iso(a.at)!,
        outcome: a.outcome,
        errorCode: a.error_code,
        errorMessage: a.error_message,
        durationMs: a.duration_ms,
      })),
  }));
}

/**
 * Page "Thông báo" for administrators: what waits, what went out per day, how fast (status change → accepted
 * by Zalo), why messages failed, and the messages stuck longer than ten minutes.
 */
export async function notificationStats(app: AppContext, actor: Actor, channel?: NotificationChannel) {
  requireRole(actor, ['admin'], 'see notification statistics');
  const only = channel ? sql`and channel = ${channel}` : sql``;
  const [queue, perDay, latency, failures, stuck] = await Promise.all([
    app.db
      .selectFrom('notification')
      .select(['state', sql<number>`count(*)::int`.as('n')])
      .where('state', 'in', ['queued', 'waiting'])
      .$if(channel !== undefined, (q) => q.where('channel', '=', channel!))
      .groupBy('state')
      .execute(),
    sql<{ day: string; sent: number; delivered: number; failed: number }>`
      select to_char(created_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as day,
             count(*) filter (where sent_at is not null)::int as sent,
             count(*) filter (where state = 'delivered')::int as delivered,
             count(*) filter (where state = 'failed')::int as failed
      from notification where created_at > now() - interval '14 days' ${only}
      group by 1 order by 1`.execute(app.db),
    sql<{ p50: number | null; p95: number | null; p99: number | null; n: number }>`
      select percentile_cont(0.5) within group (order by ms) as p50,
             percentile_cont(0.95) within group (order by ms) as p95,
             percentile_cont(0.99) within group (order by ms) as p99,
             count(*)::int as n
      from (select extract(epoch from (n.sent_at - j.at)) * 1000 as ms
            from notification n join dossier_journal j on j.id = n.journal_id
            where n.sent_at > now() - interval '24 hours' ${only}) t`.execute(app.db),
    sql<{ reason: string; n: number }>`
      select coalesce(error_vi, error_message, 'Không rõ') as reason, count(*)::int as n
      from notification where state = 'failed' and failed_at > now() - interval '7 days' ${only}
      group by 1 order by 2 desc limit 20`.execute(app.db),
    app.db
      .selectFrom('notification as n')
      .innerJoin('dossier as d', 'd.id', 'n.dossier_id')
      .select([
        'n.id',
        'd.code',
        'n.channel',
        'n.state',
        'n.error_vi',
        'n.attempts',
        'n.created_at',
        'n.next_attempt_at',
      ])
      .where('n.state', 'in', ['queued', 'waiting'])
      .$if(channel !== undefined, (q) => q.where('n.channel', '=', channel!))
      .where('n.created_at', '<', new Date(app.clock().getTime() - 10 * 60_000))
      .orderBy('n.created_at')
      .limit(100)
      .execute(),
  ]);
  const l = latency.rows[0];
  return {
    queue: {
      queued: queue.find((q) => q.state === 'queued')?.n ?? 0,
      waiting: queue.find((q) => q.state === 'waiting')?.n ?? 0,
    },
    perDay: perDay.rows,
    latencyMs: { p50: l?.p50 ?? null, p95: l?.p95 ?? null, p99: l?.p99 ?? null, count: l?.n ?? 0 },
    failures: failures.rows,
    stuck: stuck.map((s) => ({
      id: s.id,
      dossierCode: s.code,
      channel: s.channel,
      state: s.state,
      reason: s.error_vi,
      attempts: s.attempts,
      createdAt: iso(s.created_at)!,
      nextAttemptAt: iso(s.next_attempt_at),
    })),
  };
}

/** "Gửi lại ngay": a waiting, queued or failed message goes back to the queue now. */
export async function retryNotification(app: AppContext, actor: Actor, id: number): Promise<void> {
  requireRole(actor, ['admin'], 'retry notifications');
  await app.db.transaction().execute(async (tx) => {
    const n = await tx
      .selectFrom('notification')
      .select(['id', 'dossier_id', 'state', 'channel'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!n) {
      throw NotFound('notification', String(id), 'Không tìm thấy thông báo.');
    }
    if (!['queued', 'waiting', 'failed'].includes(n.state)) {
      throw Conflict(
        'notification_not_retryable',
        `Notification ${id} is ${n.state}`,
        'Thông báo này không thể gửi lại.',
      );
    }
    await tx
      .updateTable('notification')
      .set({ state: 'queued', next_attempt_at: null, updated_at: app.clock() })
      .where('id', '=', id)
      .execute();
    if (n.channel === 'sms' || n.channel === 'email') {
      await tx.updateTable('notification').set({ attempts: 0 }).where('id', '=', id).execute();
      await enqueueFallbackSend(tx, id, app.clock());
    } else {
      await notifyDue(tx);
    }
    await recordAudit(tx, actor, 'notification.retry', { type: 'notification', id });
  });
}

export async function cancelNotification(app: AppContext, actor: Actor, id: number): Promise<void> {
  requireRole(actor, ['admin'], 'cancel notifications');
  await app.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('notification')
      .set({ state: 'cancelled', updated_at: app.clock() })
      .where('id', '=', id)
      .where('state', 'in', ['queued', 'waiting'])
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) {
      throw Conflict(
        'notification_not_cancellable',
        `Notification ${id} is not waiting`,
        'Chỉ hủy được thông báo đang chờ gửi.',
      );
    }
    await recordAudit(tx, actor, 'notification.cancel', { type: 'notification', id });
  });
}

import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { TFallbackReason } from '../contracts/fallback.ts';
import type { NotificationState } from '../db/schema.ts';
import { planFallbacks, scheduleDeliveryCheck, zaloFailureReason } from '../fallback/plan-fallback.ts';
import {
  sendConsultation,
  sendTemplateByPhone,
  sendTemplateByUid,
  type ZaloOutcome,
  type ZbsSent,
} from '../zalo/client.ts';
import { callWithToken, recordZaloSuccess, TokenUnavailable } from '../zalo/token-store.ts';
import { raiseAlert, resolveAlert } from './alerts.ts';
import { enqueueSend } from './plan-notifications.ts';
import { takeToken } from './rate-bucket.ts';
import { testRecipientOutcome } from './test-recipients.ts';

/** How long a message keeps being retried after transient failures before it is given up. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const WAIT_RETRY_MS = 15 * 60_000;
const TOKEN_RETRY_MS = 5 * 60_000;

export type SendResult = 'sent' | 'skipped' | 'failed' | 'retry';

/** What the officer reads when Zalo refuses a message (by error code). */
export function vietnameseReason(code: number | null, kind: string): string {
  switch (code) {
    case -118:
    case -108:
      return 'Số điện thoại chưa đăng ký Zalo';
    case -114:
    case -119:
      return 'Tài khoản Zalo của người dân không nhận được tin (không hoạt động hoặc phiên bản cũ)';
    case -139:
    case -141:
      return 'Người dân đã từ chối nhận tin từ OA';
    case -131:
      return 'Mẫu tin Zalo chưa được duyệt';
    case -115:
      return 'Tài khoản ZBS hết số dư hoặc hạn mức';
    case -144:
    case -147:
      return 'Đã hết hạn mức gửi tin Zalo trong ngày';
    default:
      return kind === 'permanent'
        ? 'Zalo từ chối tin nhắn (mẫu tin hoặc dữ liệu không hợp lệ)'
        : 'Lỗi kết nối tới Zalo, sẽ gửi lại';
  }
}

/**
 * `notification.send`: sends one notification by ZBS to the phone and records the outcome — sent (with
 * Zalo's msg_id), failed (with the reason), or another try later: token refreshed once and retried; account
 * problems wait and alert administrators; network trouble backs off with jitter for up to 24 hours.
 */
export async function sendNotification(app: AppContext, notificationId: number): Promise<SendResult> {
  const n = await app.db
    .selectFrom('notification as n')
    .selectAll('n')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('notification as newer')
            .select('newer.id')
            .whereRef('newer.dossier_id', '=', 'n.dossier_id')
            .whereRef('newer.channel', '=', 'n.channel')
            .whereRef('newer.recipient', '=', 'n.recipient')
            .whereRef('newer.journal_seq', '>', 'n.journal_seq')
            .where('newer.state', 'not in', ['failed', 'cancelled']),
        )
        .as('has_newer'),
    )
    .where('n.id', '=', notificationId)
    .executeTakeFirst();
  const deliverable = n?.channel === 'zalo_phone' ? Boolean(n.template_id) : n?.channel === 'zalo_uid';
  if (!n || !['queued', 'waiting'].includes(n.state) || !deliverable) {
    return 'skipped';
  }
  if (n.has_newer) {
    await app.db
      .updateTable('notification')
      .set({ state: 'superseded', updated_at: app.clock() })
      .where('id', '=', n.id)
      .execute();
    return 'skipped';
  }
  const wait = await takeToken(app.db, 'zalo', app.config.zalo.sendBurst, app.config.zalo.sendRatePerSecond);
  if (wait > 0) {
    await retryLater(app, n, wait * 1000 * (1 + Math.random()), null);
    return 'retry';
  }

  const started = Date.now();
  const test = testRecipientOutcome(n.recipient);
  let outcome: ZaloOutcome<ZbsSent>;
  if (test) {
    outcome =
      test === 'delivered'
        ? { ok: true, data: { msg_id: `test-${n.id}`, sent_time: String(Date.now()) } }
        : test === 'not_on_zalo'
          ? {
              ok: false,
              kind: 'unreachable',
              code: -118,
              message: 'Zalo account not existed (test recipient)',
            }
          : { ok: false, kind: 'permanent', code: -100, message: 'Simulated failure (test recipient)' };
  } else {
    try {
      outcome = await deliver(app, n);
    } catch (err) {
      if (err instanceof TokenUnavailable) {
        await waitFor(app, n, 'Đang chờ kết nối Zalo OA', err.message, TOKEN_RETRY_MS);
        return 'retry';
      }
      throw err;
    }
  }
  const duration = Date.now() - started;
  const now = app.clock();
  await app.db
    .insertInto('notification_attempt')
    .values({
      notification_id: n.id,
      outcome: outcome.ok ? 'sent' : outcome.kind,
      error_code: outcome.ok ? null : outcome.code,
      error_message: outcome.ok ? null : outcome.message,
      duration_ms: duration,
    })
    .execute();

  if (outcome.ok) {
    const msgId = outcome.data.msg_id;
    await app.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('notification')
        .set((eb) => ({
          // A delivery receipt may already have arrived: never move back from delivered.
          state: sql<NotificationState>`case when state = 'delivered' then 'delivered' else 'sent' end`,
          provider_msg_id: msgId,
          sent_at: now,
          attempts: eb('attempts', '+', 1),
          error_code: null,
          error_message: null,
          error_vi: null,
          updated_at: now,
        }))
        .where('id', '=', n.id)
        .execute();
      if (test === 'delivered') {
        await tx
          .updateTable('notification')
          .set({ state: 'delivered', delivered_at: now })
          .where('id', '=', n.id)
          .execute();
      } else {
        // Not delivered within the policy's minutes → SMS / email (checked under a row lock then).
        await scheduleDeliveryCheck(tx, n.id, now);
      }
    });
    if (!test) {
      await noteSuccess(app, outcome.data.quota);
    }
    return 'sent';
  }
  const reason = vietnameseReason(outcome.code, outcome.kind);
  switch (outcome.kind) {
    case 'unreachable':
    case 'permanent':
      await markFailed(app, n, {
        unreachable: outcome.kind === 'unreachable',
        code: outcome.code,
        message: outcome.message,
        reasonVi: reason,
        fallbackReason: zaloFailureReason(outcome.code, outcome.kind === 'unreachable'),
      });
      if (outcome.kind === 'permanent' && !test && n.channel === 'zalo_phone') {
        await raiseAlert(
          app.db,
          'zalo.payload',
          'error',
          `Zalo từ chối tin nhắn (mã ${outcome.code ?? '?'}): kiểm tra cấu hình mẫu tin.`,
        );
      }
      return 'failed';
    case 'wait':
    case 'token':
      await raiseAlert(
        app.db,
        'zalo.account',
        'error',
        `Gửi tin Zalo đang tạm dừng: ${reason} (mã ${outcome.code ?? '?'}).`,
      );
      await waitFor(
        app,
        n,
        reason,
        outcome.message,
        outcome.kind === 'token' ? TOKEN_RETRY_MS : WAIT_RETRY_MS,
        outcome.code,
      );
      return 'retry';
    case 'transient': {
      if (now.getTime() - new Date(n.created_at).getTime() > GIVE_UP_AFTER_MS) {
        await markFailed(app, n, {
          unreachable: false,
          code: outcome.code,
          message: outcome.message,
          reasonVi: 'Không gửi được tới Zalo sau 24 giờ thử lại',
          fallbackReason: 'failed',
        });
        return 'failed';
      }
      const backoff = Math.min(2 ** n.attempts * 5_000, 30 * 60_000) * (0.5 + Math.random());
      await retryLater(app, n, backoff, outcome);
      return 'retry';
    }
  }
}

/** A follower can get a free-text message this long after their last interaction (Zalo: 7 days), with a margin. */
const CS_WINDOW_MS = 7 * 86_400_000 - 10 * 60_000;
const OUT_OF_WINDOW = new Set([-230, -232]);

/**
 * One call to Zalo on the notification's channel: ZBS by phone, or to a follower's UID — a consultation message
 * inside the interaction window, the approved template by UID outside it (or when Zalo says the window closed).
 */
async function deliver(
  app: AppContext,
  n: {
    id: number;
    channel: string;
    recipient: string;
    template_id: string | null;
    payload: unknown;
    rendered: string;
  },
): Promise<ZaloOutcome<ZbsSent>> {
  const zalo = app.config.zalo;
  const templateData = n.payload as Record<string, string>;
  if (n.channel === 'zalo_phone') {
    return callWithToken(app, (token) =>
      sendTemplateByPhone(zalo, token, {
        phone: n.recipient,
        templateId: n.template_id!,
        templateData,
        trackingId: String(n.id),
      }),
    );
  }
  const asSent = (o: ZaloOutcome<{ message_id: string }>): ZaloOutcome<ZbsSent> =>
    o.ok ? { ok: true, data: { msg_id: o.data.message_id, sent_time: String(Date.now()) } } : o;
  const follower = await app.db
    .selectFrom('zalo_follower')
    .select('last_interaction_at')
    .where('user_id', '=', n.recipient)
    .executeTakeFirst();
  const last = follower?.last_interaction_at ? new Date(follower.last_interaction_at).getTime() : 0;
  if (app.clock().getTime() - last < CS_WINDOW_MS && n.rendered) {
    const cs = asSent(
      await callWithToken(app, (token) =>
        sendConsultation(zalo, token, { userId: n.recipient, text: n.rendered }),
      ),
    );
    if (cs.ok || !n.template_id || !OUT_OF_WINDOW.has(cs.code ?? 0)) {
      return cs;
    }
  }
  if (!n.template_id) {
    return {
      ok: false,
      kind: 'permanent',
      code: null,
      message: 'The follower is outside the 7-day window and no template is bound to this status',
    };
  }
  return asSent(
    await callWithToken(app, (token) =>
      sendTemplateByUid(zalo, token, { userId: n.recipient, templateId: n.template_id!, templateData }),
    ),
  );
}

/** The message is given up; in the same transaction, the SMS / email that the province's policy calls for. */
async function markFailed(
  app: AppContext,
  n: { id: number; channel: string; journal_id: number },
  f: {
    unreachable: boolean;
    code: number | null;
    message: string;
    reasonVi: string;
    fallbackReason: TFallbackReason;
  },
): Promise<void> {
  const now = app.clock();
  await app.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('notification')
      .set((eb) => ({
        state: 'failed',
        unreachable: f.unreachable,
        error_code: f.code,
        error_message: f.message,
        error_vi: f.reasonVi,
        attempts: eb('attempts', '+', 1),
        failed_at: now,
        updated_at: now,
      }))
      .where('id', '=', n.id)
      .execute();
    // Fallbacks stand in for the applicant's own message, not for a follower's.
    if (n.channel === 'zalo_phone') {
      await planFallbacks(tx, app, { journalId: n.journal_id, replacesId: n.id, reason: f.fallbackReason });
    }
  });
}

async function retryLater(
  app: AppContext,
  n: { id: number; dossier_id: number },
  delayMs: number,
  outcome: { code: number | null; message: string } | null,
): Promise<void> {
  const at = new Date(app.clock().getTime() + delayMs);
  await app.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('notification')
      .set((eb) => ({
        attempts: outcome ? eb('attempts', '+', 1) : eb.ref('attempts'),
        next_attempt_at: at,
        ...(outcome
          ? {
              error_code: outcome.code,
              error_message: outcome.message,
              error_vi: 'Lỗi kết nối tới Zalo, sẽ gửi lại',
            }
          : {}),
        updated_at: app.clock(),
      }))
      .where('id', '=', n.id)
      .execute();
    await enqueueSend(tx, n.id, at);
  });
}

async function waitFor(
  app: AppContext,
  n: { id: number; created_at: Date | string },
  reasonVi: string,
  message: string,
  delayMs: number,
  code: number | null = null,
): Promise<void> {
  const at = new Date(app.clock().getTime() + delayMs);
  await app.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('notification')
      .set({
        state: 'waiting',
        error_code: code,
        error_message: message,
        error_vi: reasonVi,
        next_attempt_at: at,
        updated_at: app.clock(),
      })
      .where('id', '=', n.id)
      .execute();
    await enqueueSend(tx, n.id, at);
    // A message Zalo will not take yet (OA disconnected, template not approved, quota) is not delivered
    // either: the citizen gets the SMS / email N minutes after the status change, as for a missing receipt.
    await scheduleDeliveryCheck(tx, n.id, new Date(n.created_at));
  });
}

/**
 * Connection health (last success, quota) and the account alert are written at most every few seconds per
 * process: at hundreds of sends a second, one write per send would queue every sender on the same rows.
 */
let lastNoted = 0;
async function noteSuccess(app: AppContext, quota: ZbsSent['quota']): Promise<void> {
  const now = Date.now();
  if (now - lastNoted < 5000) {
    return;
  }
  lastNoted = now;
  await recordZaloSuccess(
    app,
    quota?.dailyQuota
      ? { daily: Number(quota.dailyQuota), remaining: Number(quota.remainingQuota ?? 0) }
      : undefined,
  );
  await resolveAlert(app.db, 'zalo.account');
}

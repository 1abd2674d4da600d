import type { AppContext } from '../app-context.ts';
import type { TFallbackReason } from '../contracts/fallback.ts';
import type { Queryable } from '../db/pool.ts';
import { type Backoff, backoffMs } from '../jobs/index.ts';
import { AlertKeys, raiseAlert } from '../operations/index.ts';
import { markNotificationFailed, markRetryAt, markWaiting } from './repo.ts';
import type { Attempt } from './send-attempt.ts';
import type { ClaimedNotification } from './send-claim.ts';

/**
 * What a Zalo refusal means for the message (failed, waiting for the OA or a template, tried again later),
 * with the officer's reason and the alert; and what the sender's outcomes mean beyond the message (the
 * SMS / email fallback handed in by the app module). The sender (send-message.ts) records acceptances itself.
 */

/** How long a message keeps being retried after transient failures before it is given up. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
/** After a transient failure (5xx, timeout): 5 s, 10 s, 20 s … at most 30 min, spread by half either way. */
export const ZALO_SEND_BACKOFF: Backoff = { firstMs: 5_000, maxMs: 30 * 60_000, jitter: 0.5 };
const WAIT_RETRY_MS = 15 * 60_000;
const TOKEN_RETRY_MS = 5 * 60_000;
/** Zalo codes about one template rather than the whole account (zalo-platform.md §3.2): not approved,
 * disabled for low quality, the template's daily limit, no permission for this template. */
const TEMPLATE_CODES = new Set([-131, -146, -147, -117]);

/**
 * Why a message Zalo will not take yet waits — the cause its alert is keyed by: one template, or one account
 * problem. Another template sending fine says nothing about this one.
 */
export function waitCauseOf(templateId: string | null, code: number | null): string {
  return code !== null && TEMPLATE_CODES.has(code) && templateId
    ? templateWaitCause(templateId)
    : `account:${code ?? 'unknown'}`;
}

/** The wait cause of messages that wait for one template (approval, unlock, its daily limit). */
export function templateWaitCause(templateId: string): string {
  return `template:${templateId}`;
}

export type SendResult = 'sent' | 'skipped' | 'failed' | 'retry';

/**
 * What the sender's outcomes mean beyond the message itself: the SMS / email fallback, given by an app
 * module (src/app-zalo.ts) as the event lane is given its handlers, so that src/zalo imports nothing of
 * fallback. Each is called inside the transaction that records the outcome: nothing lost between them.
 */
export interface ZaloSendOutcomes {
  /** Not delivered by then → SMS / email (messages Zalo took, and those it will not take yet). */
  scheduleDeliveryCheck(tx: Queryable, notificationIds: number[], since: Date): Promise<void>;
  /** The applicant's message is given up: plans the SMS / email the province's policy calls for. */
  planFallbacks(
    tx: Queryable,
    app: AppContext,
    opts: { journalId: number; replacesId: number | null; reason: TFallbackReason },
  ): Promise<unknown>;
  /** Why the fallback was sent, from Zalo's error code. */
  failureReason(code: number | null, unreachable: boolean): TFallbackReason;
}

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

/** No usable token (none, or refused and not refreshable): the message waits for the OA connection. */
function waitForConnection(
  app: AppContext,
  outcomes: ZaloSendOutcomes,
  n: ClaimedNotification,
  message: string,
  code: number | null = null,
): Promise<void> {
  return waitFor(app, outcomes, n, 'connection', 'Đang chờ kết nối Zalo OA', message, TOKEN_RETRY_MS, code);
}

/** What Zalo's refusal (or the lack of a token) means for the message: failed, waiting, or tried again. */
export async function recordRefusal(
  app: AppContext,
  outcomes: ZaloSendOutcomes,
  a: Attempt,
): Promise<SendResult> {
  const { n, outcome, test } = a;
  if (outcome.ok) {
    return 'sent';
  }
  if (outcome.kind === 'no_token') {
    await waitForConnection(app, outcomes, n, outcome.message);
    return 'retry';
  }
  const reason = vietnameseReason(outcome.code, outcome.kind);
  switch (outcome.kind) {
    case 'unreachable':
    case 'permanent':
      await markFailed(app, outcomes, n, {
        unreachable: outcome.kind === 'unreachable',
        code: outcome.code,
        message: outcome.message,
        reasonVi: reason,
        fallbackReason: outcomes.failureReason(outcome.code, outcome.kind === 'unreachable'),
      });
      if (outcome.kind === 'permanent' && !test && n.channel === 'zalo_phone') {
        await raiseAlert(
          app,
          AlertKeys.payload(n.template_id),
          'error',
          `Zalo từ chối tin nhắn dùng mẫu ${n.template_id ?? '?'} (mã ${outcome.code ?? '?'}: ${outcome.message}): kiểm tra cấu hình mẫu tin.`,
        );
      }
      return 'failed';
    case 'token':
      // The token was refused and could not be refreshed: the connection's own alert says so (token-store.ts).
      await waitForConnection(app, outcomes, n, outcome.message, outcome.code);
      return 'retry';
    case 'wait': {
      const cause = waitCauseOf(n.template_id, outcome.code);
      await raiseAlert(
        app,
        `zalo.${cause}`,
        'error',
        cause.startsWith('template:')
          ? `Zalo từ chối mẫu tin ${n.template_id}: ${reason} (mã ${outcome.code}). Tin nhắn dùng mẫu này đang chờ.`
          : `Gửi tin Zalo đang tạm dừng: ${reason} (mã ${outcome.code ?? '?'}).`,
      );
      await waitFor(app, outcomes, n, cause, reason, outcome.message, WAIT_RETRY_MS, outcome.code);
      return 'retry';
    }
    case 'transient': {
      if (app.clock().getTime() - new Date(n.created_at).getTime() > GIVE_UP_AFTER_MS) {
        await markFailed(app, outcomes, n, {
          unreachable: false,
          code: outcome.code,
          message: outcome.message,
          reasonVi: 'Không gửi được tới Zalo sau 24 giờ thử lại',
          fallbackReason: 'failed',
        });
        return 'failed';
      }
      const backoff = backoffMs(ZALO_SEND_BACKOFF, n.attempts + 1, app.random);
      await retryLater(app, n, backoff, outcome);
      return 'retry';
    }
  }
}

/** The message is given up; in the same transaction, the SMS / email that the province's policy calls for. */
async function markFailed(
  app: AppContext,
  outcomes: ZaloSendOutcomes,
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
    await markNotificationFailed(tx, n.id, f, now);
    // Fallbacks stand in for the applicant's own message, not for a follower's.
    if (n.channel === 'zalo_phone') {
      await outcomes.planFallbacks(tx, app, {
        journalId: n.journal_id,
        replacesId: n.id,
        reason: f.fallbackReason,
      });
    }
  });
}

/** A transient failure (HTTP 5xx, timeout, connection): due again after the backoff. */
async function retryLater(
  app: AppContext,
  n: { id: number },
  delayMs: number,
  outcome: { code: number | null; message: string },
): Promise<void> {
  await markRetryAt(
    app.db,
    n.id,
    new Date(app.clock().getTime() + delayMs),
    { ...outcome, reasonVi: 'Lỗi kết nối tới Zalo, sẽ gửi lại' },
    app.clock(),
  );
}

async function waitFor(
  app: AppContext,
  outcomes: ZaloSendOutcomes,
  n: { id: number; created_at: Date | string },
  cause: string,
  reasonVi: string,
  message: string,
  delayMs: number,
  code: number | null = null,
): Promise<void> {
  const at = new Date(app.clock().getTime() + delayMs);
  await app.db.transaction().execute(async (tx) => {
    await markWaiting(tx, n.id, { cause, code, message, reasonVi, at }, app.clock());
    // A message Zalo will not take yet (OA disconnected, template not approved, quota) is not delivered
    // either: the citizen gets the SMS / email N minutes after the status change, as for a missing receipt.
    await outcomes.scheduleDeliveryCheck(tx, [n.id], new Date(n.created_at));
  });
}

import type { AppContext } from '../app-context.ts';
import type { TFallbackReason } from '../contracts/fallback.ts';
import type { StatusCode } from '../contracts/statuses.ts';
import type { Queryable } from '../db/pool.ts';
import { enqueueJob, enqueueJobs } from '../jobs/index.ts';
import { signedLookupUrl } from '../lookup/index.ts';
import { ratingLinkOfJournal } from '../ratings/index.ts';
import { smsProviderFor } from '../sms/index.ts';
import { emailContent } from './email-content.ts';
import { policyOf } from './policy.ts';
import { smsSendableAt } from './quiet-hours.ts';
import {
  applicantZaloMessageCount,
  deliveryCheckTargets,
  fallbackContext,
  lockNotification,
} from './repo.ts';
import { smsCost, smsText } from './sms-text.ts';

export const FALLBACK_SEND_TASK = 'fallback.send';
export const FALLBACK_CHECK_TASK = 'fallback.check';

/** Mobile numbers only: SMS to a fixed line is not delivered. */
const MOBILE = /^84[35789]\d{8}$/;

/** Which fallback trigger a failed Zalo message is: invalid phone (-108), unreachable, or another failure. */
export function zaloFailureReason(code: number | null, unreachable: boolean): TFallbackReason {
  if (code === -108) {
    return 'invalid_phone';
  }
  return unreachable ? 'not_on_zalo' : 'failed';
}

/**
 * In the caller's transaction: the fallback messages (SMS, email) that the province's policy calls for after
 * this Zalo outcome, each with its send job. The unique index on (journal_id, channel) makes this safe to
 * call from any trigger, any number of times: one SMS and one email per status change at most.
 */
export async function planFallbacks(
  tx: Queryable,
  app: AppContext,
  opts: { journalId: number; replacesId: number | null; reason: TFallbackReason },
): Promise<number[]> {
  const c = await fallbackContext(tx, opts.journalId);
  if (!c) {
    return [];
  }
  const policy = policyOf(c.policy);
  const wanted = opts.reason === 'no_zalo' ? policy.withoutZalo : policy.triggers.includes(opts.reason);
  if (!wanted || !policy.statuses.includes(c.to_status)) {
    return [];
  }
  const now = app.clock();
  const data = c.data as unknown as Record<string, unknown>;
  const ratingUrl = await ratingLinkOfJournal(app, tx, c.journal_id);
  const common = {
    dossier_id: c.dossier_id,
    journal_id: c.journal_id,
    journal_seq: c.seq,
    template_id: null,
    state: 'queued' as const,
    replaces_notification_id: opts.replacesId,
    fallback_reason: opts.reason,
    correlation_id: c.correlation_id,
  };
  const created: number[] = [];

  if (policy.sms.enabled && MOBILE.test(c.phone) && smsProviderFor(app, c.phone)) {
    const text = smsText(
      {
        dossierCode: c.code,
        status: c.to_status as StatusCode,
        action: c.action,
        dueDate: c.due_date,
        amountVnd: typeof data.amountVnd === 'number' ? data.amountVnd : undefined,
        ratingUrl,
      },
      { unaccented: policy.sms.unaccented },
    );
    const cost = smsCost(text);
    const sendAt = smsSendableAt(now, policy.sms.quietHours);
    const postponed = sendAt.getTime() > now.getTime();
    const row = await tx
      .insertInto('notification')
      .values({
        ...common,
        channel: 'sms',
        recipient: c.phone,
        template_key: 'fallback.sms',
        payload: JSON.stringify({}),
        rendered: text,
        sms_encoding: cost.encoding,
        sms_segments: cost.segments,
        next_attempt_at: postponed ? sendAt : null,
        error_vi: postponed ? quietHoursNote(policy.sms.quietHours) : null,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) {
      await enqueueFallbackSend(tx, row.id, postponed ? sendAt : now);
      created.push(row.id);
    }
  }

  if (policy.email.enabled && c.email && app.config.mail.transport !== 'none') {
    const content = emailContent({
      applicantName: c.applicant_name,
      dossierCode: c.code,
      procedureName: c.procedure_name,
      agencyName: c.agency_name,
      agencyHotline: c.hotline,
      status: c.to_status as StatusCode,
      action: c.action,
      dueDate: c.due_date,
      lookupUrl: signedLookupUrl(app.config.http.publicBaseUrl, app.config.secrets.lookupLink, c.code),
      ratingUrl,
    });
    const row = await tx
      .insertInto('notification')
      .values({
        ...common,
        channel: 'email',
        recipient: c.email,
        template_key: 'fallback.email',
        payload: JSON.stringify({ subject: content.subject, html: content.html }),
        rendered: content.text,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) {
      await enqueueFallbackSend(tx, row.id, now);
      created.push(row.id);
    }
  }
  if (created.length > 0) {
    app.logger.info(
      { correlationId: c.correlation_id, dossierId: c.dossier_id, fallbackIds: created, reason: opts.reason },
      'fallback messages planned',
    );
  }
  return created;
}

export function quietHoursNote(q: { start: string; end: string }): string {
  return `Giờ yên lặng (${q.start}–${q.end}): SMS sẽ được gửi lúc ${q.end}`;
}

/** The job that sends a fallback message at `runAt` (again, for a retry: it replaces the one running now). */
export function enqueueFallbackSend(db: Queryable, notificationId: number, runAt: Date) {
  return enqueueJob(db, FALLBACK_SEND_TASK, { notificationId }, runAt, {
    key: `fallback:${notificationId}`,
    maxAttempts: 5,
  });
}

/**
 * In the transaction that records Zalo messages as sent (or waiting): a `fallback.check` job at `since` + N
 * minutes for each, when the province wants a fallback for messages not delivered in time (and for this
 * status). One query for a whole batch of messages.
 */
export async function scheduleDeliveryCheck(
  tx: Queryable,
  notificationIds: number[],
  since: Date,
): Promise<void> {
  if (notificationIds.length === 0) {
    return;
  }
  const rows = await deliveryCheckTargets(tx, notificationIds);
  const checks = rows.flatMap((row) => {
    const policy = policyOf(row.policy);
    const wanted =
      policy.triggers.includes('not_delivered') &&
      policy.statuses.includes(row.to_status) &&
      (policy.sms.enabled || policy.email.enabled);
    return wanted
      ? [
          {
            payload: { notificationId: row.id },
            key: `fallback-check:${row.id}`,
            runAt: new Date(since.getTime() + policy.notDeliveredMinutes * 60_000),
          },
        ]
      : [];
  });
  // The first schedule wins: a message that waited and was then sent keeps the earlier deadline.
  await enqueueJobs(tx, FALLBACK_CHECK_TASK, checks, { onKey: 'keep' });
}

export type CheckResult = 'delivered' | 'planned' | 'skipped';

/**
 * `fallback.check`: N minutes after Zalo accepted a message. The Zalo row is locked first: a delivery
 * receipt being recorded at the same moment either commits before (→ delivered, no fallback) or waits for
 * this transaction (the fallback is planned, and its sender then sees the receipt and stands down).
 */
export async function checkDelivery(app: AppContext, zaloNotificationId: number): Promise<CheckResult> {
  return app.db.transaction().execute(async (tx) => {
    const n = await lockNotification(tx, zaloNotificationId);
    if (!n) {
      return 'skipped';
    }
    if (n.state === 'delivered') {
      return 'delivered';
    }
    if (!['sent', 'waiting', 'queued'].includes(n.state)) {
      // failed: the failure already planned its fallback; superseded / cancelled: nothing to tell any more.
      return 'skipped';
    }
    await planFallbacks(tx, app, { journalId: n.journal_id, replacesId: n.id, reason: 'not_delivered' });
    return 'planned';
  });
}

/**
 * After the status-change job planned the Zalo messages: when there is none (no opt-in, or a phone that
 * cannot have Zalo), SMS / email are sent directly if the policy says so. Idempotent like planFallbacks.
 */
export async function planWithoutZalo(app: AppContext, journalId: number): Promise<number[]> {
  return app.db.transaction().execute(async (tx) => {
    if ((await applicantZaloMessageCount(tx, journalId)) > 0) {
      return [];
    }
    return planFallbacks(tx, app, { journalId, replacesId: null, reason: 'no_zalo' });
  });
}

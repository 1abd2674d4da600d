import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { TFallbackReason } from '../contracts/fallback.ts';
import type { StatusCode } from '../contracts/statuses.ts';
import type { Queryable } from '../db/pool.ts';
import { enqueueJob, enqueueJobs } from '../jobs/enqueue.ts';
import { signedLookupUrl } from '../lookup/signed-link.ts';
import { statusChange } from '../notifications/plan-notifications.ts';
import { ratingLinkOfJournal } from '../ratings/service.ts';
import { smsProviderFor } from '../sms/providers.ts';
import { emailContent } from './email-content.ts';
import { policyOf } from './policy.ts';
import { smsSendableAt } from './quiet-hours.ts';
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

/** Everything a fallback message needs about its status change, with the province's policy. */
function fallbackContext(db: Queryable, journalId: number) {
  return statusChange(db, journalId)
    .leftJoin('fallback_policy as f', 'f.province_code', 'a.province_code')
    .select(['d.email', 'a.hotline', 'f.policy'])
    .executeTakeFirst();
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
      await enqueueFallbackSend(tx, row.id, postponed ? sendAt : undefined);
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
      await enqueueFallbackSend(tx, row.id);
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

export function enqueueFallbackSend(db: Queryable, notificationId: number, runAt?: Date) {
  return enqueueJob(
    db,
    FALLBACK_SEND_TASK,
    { notificationId },
    { jobKey: `fallback:${notificationId}`, runAt, maxAttempts: 5 },
  );
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
  const rows = await tx
    .selectFrom('notification as n')
    .innerJoin('dossier_journal as j', 'j.id', 'n.journal_id')
    .innerJoin('dossier as d', 'd.id', 'n.dossier_id')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .leftJoin('fallback_policy as f', 'f.province_code', 'a.province_code')
    .select(['n.id', 'j.to_status', 'f.policy'])
    .where('n.id', 'in', notificationIds)
    // Fallbacks stand in for the applicant's own message only, not for a dossier follower's.
    .where('n.channel', '=', 'zalo_phone')
    .execute();
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
            jobKey: `fallback-check:${row.id}`,
            runAt: new Date(since.getTime() + policy.notDeliveredMinutes * 60_000),
          },
        ]
      : [];
  });
  // The first schedule wins: a message that waited and was then sent keeps the earlier deadline.
  await enqueueJobs(tx, FALLBACK_CHECK_TASK, checks, { preserveRunAt: true });
}

export type CheckResult = 'delivered' | 'planned' | 'skipped';

/**
 * `fallback.check`: N minutes after Zalo accepted a message. The Zalo row is locked first: a delivery
 * receipt being recorded at the same moment either commits before (→ delivered, no fallback) or waits for
 * this transaction (the fallback is planned, and its sender then sees the receipt and stands down).
 */
export async function checkDelivery(app: AppContext, zaloNotificationId: number): Promise<CheckResult> {
  return app.db.transaction().execute(async (tx) => {
    const n = await tx
      .selectFrom('notification')
      .select(['id', 'state', 'journal_id'])
      .where('id', '=', zaloNotificationId)
      .forUpdate()
      .executeTakeFirst();
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
    const zalo = await tx
      .selectFrom('notification')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('journal_id', '=', journalId)
      // A follower's message is not the applicant's: it does not stand in for one.
      .where('channel', '=', 'zalo_phone')
      .executeTakeFirstOrThrow();
    if (zalo.n > 0) {
      return [];
    }
    return planFallbacks(tx, app, { journalId, replacesId: null, reason: 'no_zalo' });
  });
}

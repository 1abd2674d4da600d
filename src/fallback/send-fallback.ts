import type { AppContext } from '../app-context.ts';
import { sendEmail } from '../email/index.ts';
import { type Backoff, backoffMs } from '../jobs/index.ts';
import { metricsOf, recordGatewayOutcome } from '../operations/index.ts';
import { isReservedSmsNumber, smsProviderFor } from '../sms/index.ts';
import { enqueueFallbackSend, quietHoursNote } from './plan-fallback.ts';
import { policyOf } from './policy.ts';
import { smsSendableAt } from './quiet-hours.ts';

/** Provider errors are retried this many times in all (with backoff) before the message is failed. */
export const FALLBACK_MAX_ATTEMPTS = 5;
/** After a provider error: 30 s, 2 min, 8 min, 32 min, then at most an hour. */
const FALLBACK_BACKOFF: Backoff = { firstMs: 30_000, factor: 4, maxMs: 60 * 60_000 };

export type FallbackSendResult = 'sent' | 'delivered' | 'skipped' | 'failed' | 'retry';

type ProviderOutcome =
  | { ok: true; providerMessageId: string; delivered: boolean }
  | { ok: false; kind: 'transient' | 'permanent'; code: string | null; message: string };

const REFUSED_VI = {
  sms: 'Cổng SMS từ chối tin nhắn',
  email: 'Máy chủ email từ chối thư',
} as const;
const GAVE_UP_VI = {
  sms: `Không gửi được SMS sau ${FALLBACK_MAX_ATTEMPTS} lần thử (cổng SMS lỗi)`,
  email: `Không gửi được email sau ${FALLBACK_MAX_ATTEMPTS} lần thử (máy chủ email lỗi)`,
} as const;
const RETRY_VI = {
  sms: 'Cổng SMS đang lỗi, sẽ gửi lại',
  email: 'Máy chủ email đang lỗi, sẽ gửi lại',
} as const;

/**
 * `fallback.send`: one attempt at one SMS or email. It stands down when the Zalo message it replaces was
 * delivered meanwhile, or a newer status has its own message; an SMS waits out the quiet hours; provider
 * errors are retried with exponential backoff, then the message fails with the reason in English and
 * Vietnamese. Every attempt is recorded.
 */
export async function sendFallback(app: AppContext, notificationId: number): Promise<FallbackSendResult> {
  const n = await app.db
    .selectFrom('notification as n')
    .innerJoin('dossier as d', 'd.id', 'n.dossier_id')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .leftJoin('fallback_policy as f', 'f.province_code', 'a.province_code')
    .leftJoin('notification as z', 'z.id', 'n.replaces_notification_id')
    .selectAll('n')
    .select(['f.policy', 'z.state as replaced_state'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('notification as newer')
            .select('newer.id')
            .whereRef('newer.dossier_id', '=', 'n.dossier_id')
            .whereRef('newer.journal_seq', '>', 'n.journal_seq')
            // A newer status has its own message on this channel, or already reached the citizen.
            .where((w) =>
              w.or([
                w.and([
                  w('newer.channel', '=', w.ref('n.channel')),
                  w('newer.state', 'not in', ['failed', 'cancelled', 'superseded']),
                ]),
                w('newer.state', '=', 'delivered'),
              ]),
            ),
        )
        .as('has_newer'),
    )
    .where('n.id', '=', notificationId)
    .executeTakeFirst();
  if (!n || !['queued', 'waiting'].includes(n.state) || (n.channel !== 'sms' && n.channel !== 'email')) {
    return 'skipped';
  }
  const channel = n.channel;
  const now = app.clock();
  if (n.replaced_state === 'delivered' || n.has_newer) {
    await app.db
      .updateTable('notification')
      .set({
        state: n.has_newer ? 'superseded' : 'cancelled',
        error_vi: n.has_newer ? null : 'Không cần gửi: Zalo đã báo người dân nhận được tin',
        next_attempt_at: null,
        updated_at: now,
      })
      .where('id', '=', n.id)
      .execute();
    return 'skipped';
  }
  if (channel === 'sms') {
    const quiet = policyOf(n.policy).sms.quietHours;
    const sendAt = smsSendableAt(now, quiet);
    if (sendAt.getTime() > now.getTime()) {
      await app.db.transaction().execute(async (tx) => {
        await tx
          .updateTable('notification')
          .set({ next_attempt_at: sendAt, error_vi: quietHoursNote(quiet), updated_at: now })
          .where('id', '=', n.id)
          .execute();
        await enqueueFallbackSend(tx, n.id, sendAt);
      });
      return 'retry';
    }
  }

  const started = Date.now();
  let outcome: ProviderOutcome;
  if (channel === 'sms') {
    const provider = smsProviderFor(app, n.recipient);
    outcome = provider
      ? await provider.send({
          to: n.recipient,
          text: n.rendered,
          encoding: n.sms_encoding ?? 'ucs2',
          segments: n.sms_segments ?? 1,
          reference: String(n.id),
        })
      : {
          ok: false,
          kind: 'permanent',
          code: null,
          message: 'No SMS provider is configured (SMS_GATEWAY_URL)',
        };
  } else {
    const payload = n.payload as unknown as { subject?: string; html?: string };
    const sent = await sendEmail(app, {
      to: n.recipient,
      subject: payload.subject ?? '',
      text: n.rendered,
      html: payload.html ?? '',
      reference: String(n.id),
    });
    outcome = !sent
      ? { ok: false, kind: 'permanent', code: null, message: 'No SMTP server is configured (SMTP_URL)' }
      : sent.ok
        ? { ok: true, providerMessageId: sent.messageId, delivered: false }
        : sent;
  }
  const done = app.clock();
  const attempt = n.attempts + 1;
  metricsOf(app).sends.inc({ channel, outcome: outcome.ok ? 'sent' : outcome.kind });
  metricsOf(app).sendDuration.observe({ channel }, (Date.now() - started) / 1000);
  const fields = {
    correlationId: n.correlation_id,
    notificationId: n.id,
    dossierId: n.dossier_id,
    channel,
    outcome: outcome.ok ? 'sent' : outcome.kind,
    ...(outcome.ok
      ? { providerId: outcome.providerMessageId }
      : { code: outcome.code, err: outcome.message }),
  };
  if (outcome.ok) {
    app.logger.info(fields, `${channel} fallback accepted`);
  } else {
    app.logger.warn(fields, `${channel} fallback not accepted`);
  }
  const gaveUp = !outcome.ok && (outcome.kind === 'permanent' || attempt >= FALLBACK_MAX_ATTEMPTS);
  const retryAt = new Date(done.getTime() + backoffMs(FALLBACK_BACKOFF, n.attempts + 1, app.random));
  const numericCode = outcome.ok ? null : Number.parseInt(outcome.code ?? '', 10);

  await app.db.transaction().execute(async (tx) => {
    // Reserved test numbers never reach the gateway: they say nothing about its health.
    if (!(channel === 'sms' && isReservedSmsNumber(n.recipient))) {
      await recordGatewayOutcome(
        tx,
        channel,
        outcome.ok ? { ok: true } : { ok: false, message: outcome.message },
      );
    }
    await tx
      .insertInto('notification_attempt')
      .values({
        notification_id: n.id,
        outcome: outcome.ok ? 'sent' : outcome.kind,
        error_code: Number.isFinite(numericCode) ? numericCode : null,
        error_message: outcome.ok ? null : outcome.message,
        duration_ms: Date.now() - started,
      })
      .execute();
    if (outcome.ok) {
      await tx
        .updateTable('notification')
        .set({
          state: outcome.delivered ? 'delivered' : 'sent',
          provider_msg_id: outcome.providerMessageId,
          sent_at: done,
          delivered_at: outcome.delivered ? done : null,
          attempts: attempt,
          next_attempt_at: null,
          error_code: null,
          error_message: null,
          error_vi: null,
          updated_at: done,
        })
        .where('id', '=', n.id)
        .execute();
      return;
    }
    await tx
      .updateTable('notification')
      .set({
        state: gaveUp ? 'failed' : 'queued',
        attempts: attempt,
        error_code: Number.isFinite(numericCode) ? numericCode : null,
        error_message: outcome.message,
        error_vi:
          outcome.kind === 'permanent'
            ? REFUSED_VI[channel]
            : gaveUp
              ? GAVE_UP_VI[channel]
              : RETRY_VI[channel],
        failed_at: gaveUp ? done : null,
        next_attempt_at: gaveUp ? null : retryAt,
        updated_at: done,
      })
      .where('id', '=', n.id)
      .execute();
    if (!gaveUp) {
      await enqueueFallbackSend(tx, n.id, retryAt);
    }
  });
  return outcome.ok ? (outcome.delivered ? 'delivered' : 'sent') : gaveUp ? 'failed' : 'retry';
}

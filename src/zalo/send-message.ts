import type { AppContext } from '../app-context.ts';
import { countZaloError, metricsOf, resolveAlertsOnSuccess } from '../operations/index.ts';
import type { ZbsSent } from './client.ts';
import { insertAttemptsStatement, recordAcceptedStatement } from './repo.ts';
import { type Attempt, attemptSend } from './send-attempt.ts';
import { type ClaimedNotification, claimDue, releaseUntil } from './send-claim.ts';
import { takeTokens } from './send-rate.ts';
import { recordRefusal, type SendResult, type ZaloSendOutcomes } from './send-refusal.ts';
import { recordZaloSuccess } from './token-store.ts';

/**
 * Sends a batch of claimed Zalo messages: tokens for the whole batch from the shared rate bucket (those over
 * the limit are given back for later), every call in parallel, then every outcome recorded — the accepted
 * ones in one transaction — and the claims released.
 */
export async function sendClaimed(
  app: AppContext,
  outcomes: ZaloSendOutcomes,
  claimed: ClaimedNotification[],
): Promise<Map<number, SendResult>> {
  const results = new Map<number, SendResult>();
  if (claimed.length === 0) {
    return results;
  }
  const zalo = app.config.zalo;
  const { granted, waitSeconds } = await takeTokens(
    app.db,
    'zalo',
    claimed.length,
    zalo.sendBurst,
    zalo.sendRatePerSecond,
  );
  const later = claimed.slice(granted);
  await releaseUntil(
    app,
    later.map((n) => n.id),
    new Date(app.clock().getTime() + waitSeconds * 1000 * (1 + (app.random ?? Math.random)())),
  );
  for (const n of later) {
    results.set(n.id, 'retry');
  }
  const settled = await Promise.allSettled(claimed.slice(0, granted).map((n) => attemptSend(app, n)));
  const attempts: Attempt[] = [];
  const crashed: number[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') {
      attempts.push(s.value);
    } else {
      const n = claimed[i]!;
      app.logger.error({ err: s.reason, notificationId: n.id }, 'sending a Zalo message failed unexpectedly');
      crashed.push(n.id);
      results.set(n.id, 'retry');
    }
  });
  // A bug or a lost database connection: tried again in a minute rather than left claimed for the lease.
  await releaseUntil(app, crashed, new Date(app.clock().getTime() + 60_000));
  await recordAttempts(app, outcomes, attempts, results);
  return results;
}

/** Sends one message now, if it is due, through the dispatcher's own path (for tests that drive one message). */
export async function sendNotification(
  app: AppContext,
  outcomes: ZaloSendOutcomes,
  notificationId: number,
): Promise<SendResult> {
  const claimed = await claimDue(app, { limit: 1, ids: [notificationId] });
  return (await sendClaimed(app, outcomes, claimed)).get(notificationId) ?? 'skipped';
}

async function recordAttempts(
  app: AppContext,
  outcomes: ZaloSendOutcomes,
  attempts: Attempt[],
  results: Map<number, SendResult>,
): Promise<void> {
  for (const a of attempts) {
    observe(app, a);
  }
  const tried = attempts.filter((a) => a.outcome.ok || a.outcome.kind !== 'no_token');
  if (tried.length > 0) {
    await insertAttemptsStatement(
      tried.map((a) => ({
        notificationId: a.n.id,
        outcome: a.outcome.ok ? 'sent' : a.outcome.kind,
        errorCode: a.outcome.ok ? null : (a.outcome as { code: number | null }).code,
        errorMessage: a.outcome.ok ? null : a.outcome.message,
        durationMs: a.durationMs,
      })),
    ).execute(app.db);
  }
  const accepted = attempts.filter((a) => a.outcome.ok);
  await recordAccepted(app, outcomes, accepted);
  for (const a of accepted) {
    results.set(a.n.id, 'sent');
  }
  for (const a of attempts) {
    if (!a.outcome.ok) {
      results.set(a.n.id, await recordRefusal(app, outcomes, a));
    }
  }
}

/** The attempt in the metrics and in the log, with the status change's correlation id. */
function observe(app: AppContext, a: Attempt): void {
  const o = a.outcome;
  const outcome = o.ok ? 'sent' : o.kind;
  metricsOf(app).sends.inc({ channel: a.n.channel, outcome });
  if (!a.test && !o.ok && o.kind !== 'no_token') {
    countZaloError(app, o.code, o.kind);
  }
  if (!a.test && outcome !== 'no_token') {
    metricsOf(app).sendDuration.observe({ channel: a.n.channel }, a.durationMs / 1000);
  }
  const fields = {
    correlationId: a.n.correlation_id,
    notificationId: a.n.id,
    dossierId: a.n.dossier_id,
    channel: a.n.channel,
    outcome,
    ...(o.ok ? { msgId: o.data.msg_id } : { code: o.kind === 'no_token' ? null : o.code, err: o.message }),
    durationMs: a.durationMs,
  };
  if (o.ok) {
    app.logger.info(fields, 'zalo message accepted');
  } else {
    app.logger.warn(fields, 'zalo message not accepted');
  }
}

/**
 * Messages Zalo accepted, in one transaction: sent with Zalo's msg_id (a delivery receipt may already have
 * arrived: never back from delivered), and their delivery checks for the SMS / email fallback.
 */
async function recordAccepted(
  app: AppContext,
  outcomes: ZaloSendOutcomes,
  accepted: Attempt[],
): Promise<void> {
  if (accepted.length === 0) {
    return;
  }
  const now = app.clock();
  await app.db.transaction().execute(async (tx) => {
    await recordAcceptedStatement(
      accepted.map((a) => ({
        id: a.n.id,
        msgId: a.outcome.ok ? a.outcome.data.msg_id : '',
        simulated: a.test === 'delivered',
      })),
      now,
    ).execute(tx);
    // Not delivered within the policy's minutes → SMS / email (checked under a row lock then).
    await outcomes.scheduleDeliveryCheck(
      tx,
      accepted.filter((a) => !a.test).map((a) => a.n.id),
      now,
    );
  });
  const real = accepted.filter((a) => !a.test);
  if (real[0]?.outcome.ok) {
    await noteSuccess(app, real[0].outcome.data.quota);
    // Zalo took these templates: their alerts, and the account's, are over (one read every few seconds).
    await resolveAlertsOnSuccess(app, [
      ...new Set(real.flatMap((a) => (a.n.template_id ? [a.n.template_id] : []))),
    ]);
  }
}

/**
 * Connection health (last success, quota) is written at most every few seconds per
 * process: at hundreds of sends a second, one write per send would queue every sender on the same rows.
 */
function healthThrottle(): { lastNoted: number } {
  return { lastNoted: Number.NEGATIVE_INFINITY };
}
async function noteSuccess(app: AppContext, quota: ZbsSent['quota']): Promise<void> {
  const throttle = app.caches.of(healthThrottle);
  const now = app.clock().getTime();
  if (Math.abs(now - throttle.lastNoted) < 5000) {
    return;
  }
  throttle.lastNoted = now;
  await recordZaloSuccess(
    app,
    quota?.dailyQuota
      ? { daily: Number(quota.dailyQuota), remaining: Number(quota.remainingQuota ?? 0) }
      : undefined,
  );
}

import type { AppContext } from '../app-context.ts';
import {
  sendConsultation,
  sendTemplateByPhone,
  sendTemplateByUid,
  type ZaloOutcome,
  type ZbsSent,
} from './client.ts';
import { installationId, trackingIdOf } from './installation.ts';
import { lastInteractionOf } from './repo.ts';
import type { ClaimedNotification } from './send-claim.ts';
import { type TestOutcome, testRecipientOutcome } from './test-recipients.ts';
import { callWithToken, TokenUnavailable } from './token-store.ts';

/** One message's call to Zalo (or its simulation), as the dispatcher records it. */
export interface Attempt {
  n: ClaimedNotification;
  /** `no_token`: no usable access token (OA not connected, refresh failed); nothing reached Zalo. */
  outcome: ZaloOutcome<ZbsSent> | { ok: false; kind: 'no_token'; message: string };
  durationMs: number;
  test: TestOutcome | undefined;
}

/** Calls Zalo for one claimed message; never throws for Zalo's or the network's failures. */
export async function attemptSend(app: AppContext, n: ClaimedNotification): Promise<Attempt> {
  const started = Date.now();
  const test = testRecipientOutcome(n.recipient);
  if (test) {
    return { n, outcome: simulated(n.id, test), durationMs: 0, test };
  }
  try {
    const outcome = await deliver(app, n);
    return { n, outcome, durationMs: Date.now() - started, test };
  } catch (err) {
    if (err instanceof TokenUnavailable) {
      return { n, outcome: { ok: false, kind: 'no_token', message: err.message }, durationMs: 0, test };
    }
    throw err;
  }
}

/** Reserved test recipients never leave the product: their outcome is read off the number. */
function simulated(id: number, test: TestOutcome): ZaloOutcome<ZbsSent> {
  switch (test) {
    case 'delivered':
      return { ok: true, data: { msg_id: `test-${id}`, sent_time: String(Date.now()) } };
    case 'not_on_zalo':
      return {
        ok: false,
        kind: 'unreachable',
        code: -118,
        message: 'Zalo account not existed (test recipient)',
      };
    case 'failed':
      return { ok: false, kind: 'permanent', code: -100, message: 'Simulated failure (test recipient)' };
  }
}

/** A follower can get a free-text message this long after their last interaction (Zalo: 7 days), with a margin. */
const CS_WINDOW_MS = 7 * 86_400_000 - 10 * 60_000;
const OUT_OF_WINDOW = new Set([-230, -232]);

/**
 * One call to Zalo on the notification's channel: ZBS by phone, or to a follower's UID — a consultation message
 * inside the interaction window, the approved template by UID outside it (or when Zalo says the window closed).
 */
async function deliver(app: AppContext, n: ClaimedNotification): Promise<ZaloOutcome<ZbsSent>> {
  const zalo = app.config.zalo;
  const templateData = n.payload as Record<string, string>;
  if (n.channel === 'zalo_phone') {
    const trackingId = trackingIdOf(await installationId(app), n.id);
    return callWithToken(app, (token) =>
      sendTemplateByPhone(zalo, token, {
        phone: n.recipient,
        templateId: n.template_id!,
        templateData,
        trackingId,
      }),
    );
  }
  const asSent = (o: ZaloOutcome<{ message_id: string }>): ZaloOutcome<ZbsSent> =>
    o.ok ? { ok: true, data: { msg_id: o.data.message_id, sent_time: String(Date.now()) } } : o;
  const last = (await lastInteractionOf(app.db, n.recipient))?.getTime() ?? 0;
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

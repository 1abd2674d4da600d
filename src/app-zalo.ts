import type { AppContext } from './app-context.ts';
import { planFallbacks, scheduleDeliveryCheck, zaloFailureReason } from './fallback/index.ts';
import { ensureDefaultBindings } from './notifications/index.ts';
import { answerCitizen } from './oa-bot/index.ts';
import { FEEDBACK_EVENT, recordZaloFeedback } from './ratings/index.ts';
import {
  bootstrapZalo,
  defineZaloEventLane,
  defineZaloSendLane,
  dispatchDue,
  processEvents,
  processZaloEvent,
  type SandboxTokens,
  type SendResult,
  sendNotification,
  type ZaloEventHandlers,
  type ZaloSendOutcomes,
} from './zalo/index.ts';

/**
 * The app module of the Zalo channel: src/zalo talks to Zalo and knows none of the features that act on what
 * happens there; this module hands it their parts (the sender's outcomes to the SMS / e-mail fallback, the
 * webhook's events to the OA bot and ratings, the demo template bindings at start), so that those features may
 * use the Zalo client without a cycle.
 */

/**
 * At start (main, and the tests that start the whole app): with the built-in sandbox, load the demo template
 * bindings first, then connect to the Zalo OA (see bootstrapZalo). Here in an app module because the
 * bindings are notification planning's and src/zalo imports nothing of it.
 */
export async function startZalo(app: AppContext, sandbox: SandboxTokens | undefined): Promise<void> {
  if (sandbox) {
    await ensureDefaultBindings(app.db);
  }
  await bootstrapZalo(app, sandbox);
}

/**
 * What the Zalo sender's outcomes mean for the SMS / email fallback, handed to src/zalo (which imports nothing
 * of fallback, whose SMS carries a rating link that reaches back into Zalo). Each runs inside the transaction
 * that records the outcome.
 */
export const ZALO_SEND_OUTCOMES: ZaloSendOutcomes = {
  scheduleDeliveryCheck,
  planFallbacks,
  failureReason: zaloFailureReason,
};

/** Each worker node's Zalo sender (listed in the worker's lanes). */
export const zaloSendLane = defineZaloSendLane(ZALO_SEND_OUTCOMES);

/** Sends everything due now in the calling process (tests, and tools without a worker node); see dispatchDue. */
export function dispatchDueZalo(app: AppContext): Promise<number> {
  return dispatchDue(app, ZALO_SEND_OUTCOMES);
}

/** Sends one message now, if it is due, through the dispatcher's own path (tests); see sendNotification. */
export function sendZaloNotification(app: AppContext, notificationId: number): Promise<SendResult> {
  return sendNotification(app, ZALO_SEND_OUTCOMES, notificationId);
}

/**
 * The Zalo webhook's events, given to the features that act on them: the OA bot answers citizens' follows and
 * messages, ratings record the `user_feedback` of a rated message.
 */
export const ZALO_EVENT_HANDLERS: ZaloEventHandlers = {
  answerCitizen,
  inTransaction: new Map([[FEEDBACK_EVENT, recordZaloFeedback]]),
};

/** The worker node's event processor (listed in the worker's lanes). */
export const zaloEventLane = defineZaloEventLane(ZALO_EVENT_HANDLERS);

/** Processes up to `limit` stored webhook events in the calling process (tests and tools); see processEvents. */
export function processZaloEvents(app: AppContext, limit?: number): Promise<number> {
  return processEvents(app, ZALO_EVENT_HANDLERS, limit);
}

/** Acts on one stored webhook event now (tests); see processZaloEvent. */
export function processOneZaloEvent(app: AppContext, eventId: number): Promise<string> {
  return processZaloEvent(app, ZALO_EVENT_HANDLERS, eventId);
}

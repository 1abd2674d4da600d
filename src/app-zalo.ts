import type { AppContext } from './app-context.ts';
import { planFallbacks, scheduleDeliveryCheck, zaloFailureReason } from './fallback/index.ts';
import { ensureDefaultBindings } from './notifications/index.ts';
import {
  bootstrapZalo,
  defineZaloSendLane,
  dispatchDue,
  type SandboxTokens,
  type SendResult,
  sendNotification,
  type ZaloSendOutcomes,
} from './zalo/index.ts';

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

import type { AppContext } from './app-context.ts';
import { answerCitizen } from './oa-bot/index.ts';
import { FEEDBACK_EVENT, recordZaloFeedback } from './ratings/index.ts';
import type { ZaloEventHandlers } from './zalo/index.ts';
import { defineZaloEventLane, processEvents, processZaloEvent } from './zalo/index.ts';

/**
 * The app module that gives the Zalo webhook's events to the features that act on them: the OA bot answers
 * citizens' follows and messages, ratings record the `user_feedback` of a rated message. src/zalo knows
 * neither (it only calls the handlers it is given), so the bot and ratings may use the Zalo client.
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

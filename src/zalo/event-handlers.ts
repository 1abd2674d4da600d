import type { Selectable } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import type { ZaloEventTable } from '../db/schema.ts';

/**
 * What other features do with the webhook's events, given to the event processors (event-task.ts,
 * event-lane.ts) by the app module that wires them (src/app-zalo.ts): the Zalo channel keeps the
 * events, their order, retries and the follower table, and knows neither the OA bot nor ratings.
 */
export interface ZaloEventHandlers {
  /**
   * Answers a citizen's follow or message (the OA bot); returns what it did, stored as the event's outcome.
   * Throws ReplyNotSent when the reply could not go out for a reason that may pass.
   */
  answerCitizen(app: AppContext, eventName: string, event: Record<string, unknown>): Promise<string>;
  /** By event name: events recorded in the processing transaction (a rating's `user_feedback`). */
  inTransaction: ReadonlyMap<
    string,
    (app: AppContext, tx: Queryable, stored: Selectable<ZaloEventTable>) => Promise<string>
  >;
}

/** Thrown when the reply could not be sent for a reason that may pass: the event is tried again. */
export class ReplyNotSent extends Error {}

import { type Selectable, sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import type { ZaloEventTable } from '../db/schema.ts';
import { isAccountEvent, recordAccountEvent } from './account-events.ts';
import type { ZaloEventHandlers } from './event-handlers.ts';
import { RECEIPT_EVENT, recordReceipts } from './receipts.ts';

/**
 * Acts on a stored webhook event (called by the event processors, event-lane.ts). Delivery receipts are
 * recorded by the batch (receipts.ts; one that comes here goes the same way); follow / unfollow keep the
 * follower table; messages from citizens are recorded as interactions and answered by the OA bot, events
 * of other features (a rating's feedback) go to their handler (`handlers`: event-handlers.ts); anything
 * else is stored and ignored.
 */
export async function processZaloEvent(
  app: AppContext,
  handlers: ZaloEventHandlers,
  eventId: number,
): Promise<string> {
  const stored = await app.db
    .selectFrom('zalo_event')
    .selectAll()
    .where('id', '=', eventId)
    .executeTakeFirst();
  return stored ? processStoredEvent(app, handlers, stored) : 'skipped';
}

/** The same for an event already read (the event processors claim events with their rows). */
export async function processStoredEvent(
  app: AppContext,
  handlers: ZaloEventHandlers,
  stored: Selectable<ZaloEventTable>,
): Promise<string> {
  const eventId = stored.id;
  if (stored.processed_at) {
    return 'skipped';
  }
  if (stored.event_name === RECEIPT_EVENT) {
    await recordReceipts(app, { ids: [eventId] });
    return 'receipt';
  }
  // A conversation is marked processed only once answered: a crash before the reply means a retry.
  if (isConversation(stored.event_name)) {
    const answered = await answerConversation(app, handlers, stored, false);
    await markAnswered(app, [answered]);
    return answered.outcome;
  }
  return app.db.transaction().execute(async (tx) => {
    const handler =
      handlers.inTransaction.get(stored.event_name) ??
      (isAccountEvent(stored.event_name) ? recordAccountEvent : undefined);
    const outcome = handler ? await handler(app, tx, stored) : await recordFollow(app, tx, stored);
    await markProcessed(app, tx, eventId, outcome);
    return outcome;
  });
}

/**
 * Answers a citizen's follow or message with the OA bot (`handlers.answerCitizen`), after recording the interaction (a message by
 * recordMessages, as for a batch, unless it did already; a follow by recordFollow). Not marked processed: the caller
 * does that once the reply went out (markAnswered).
 */
export async function answerConversation(
  app: AppContext,
  handlers: ZaloEventHandlers,
  stored: Selectable<ZaloEventTable>,
  interactionRecorded: boolean,
): Promise<{ id: number; outcome: string; repliedAt: Date }> {
  if (!interactionRecorded && !(await recordMessages(app, [stored])).has(stored.id)) {
    await recordFollow(app, app.db, stored);
  }
  const outcome = await handlers.answerCitizen(
    app,
    stored.event_name,
    stored.raw as unknown as Record<string, unknown>,
  );
  return { id: stored.id, outcome, repliedAt: app.clock() };
}

export function isConversation(eventName: string): boolean {
  return CONVERSATIONAL.has(eventName);
}

/**
 * When each citizen of a batch of messages last wrote (Zalo's 7-day window), in one statement: the latest
 * message per user, never moving the time back. Returns the events it recorded (messages with a sender);
 * a follow is recorded by recordFollow.
 */
export async function recordMessages(
  app: AppContext,
  events: Selectable<ZaloEventTable>[],
): Promise<Set<number>> {
  const messages = events.flatMap((stored) => {
    const e = stored.raw as unknown as Record<string, unknown>;
    const uid = citizenOf(stored);
    return stored.event_name.startsWith('user_send_') && uid
      ? [{ id: stored.id, uid, at: eventTime(app, e.timestamp) }]
      : [];
  });
  if (messages.length > 0) {
    await sql`
      insert into zalo_follower (user_id, followed, last_interaction_at)
      select m.uid, false, max(m.at)
      from unnest(${messages.map((m) => m.uid)}::text[], ${messages.map((m) => m.at)}::timestamptz[]) as m (uid, at)
      group by m.uid
      on conflict (user_id) do update set
        last_interaction_at = greatest(zalo_follower.last_interaction_at, excluded.last_interaction_at),
        updated_at = ${app.clock()}`.execute(app.db);
  }
  return new Set(messages.map((m) => m.id));
}

/** Conversations whose reply went out, marked processed in one statement with their outcomes. */
export async function markAnswered(
  app: AppContext,
  answered: { id: number; outcome: string; repliedAt: Date }[],
): Promise<void> {
  if (answered.length === 0) {
    return;
  }
  await sql`
    update zalo_event e set processed_at = m.at, replied_at = m.at, outcome = m.outcome
    from unnest(${answered.map((a) => a.id)}::bigint[], ${answered.map((a) => a.outcome)}::text[],
                ${answered.map((a) => a.repliedAt)}::timestamptz[]) as m (id, outcome, at)
    where e.id = m.id`.execute(app.db);
}

/** The Zalo user an event comes from: the follower of a follow / unfollow, the sender of a message. */
export function citizenOf(stored: Selectable<ZaloEventTable>): string {
  const e = stored.raw as unknown as { follower?: { id?: unknown }; sender?: { id?: unknown } };
  return String((stored.event_name.endsWith('follow') ? e.follower?.id : e.sender?.id) ?? '');
}

/** Zalo's millisecond timestamp (a string), or now when it has none. */
function eventTime(app: AppContext, ms: unknown): Date {
  return typeof ms === 'string' && /^\d+$/.test(ms) ? new Date(Number(ms)) : app.clock();
}

const CONVERSATIONAL = new Set([
  'follow',
  'user_send_text',
  'user_send_link',
  'user_send_image',
  'user_send_sticker',
]);

/** Keeps the follower table on a follow or an unfollow; other events are ignored here. */
async function recordFollow(
  app: AppContext,
  db: Queryable,
  stored: Selectable<ZaloEventTable>,
): Promise<string> {
  const uid = citizenOf(stored);
  if ((stored.event_name !== 'follow' && stored.event_name !== 'unfollow') || !uid) {
    return 'ignored';
  }
  const e = stored.raw as unknown as Record<string, unknown>;
  const followed = stored.event_name === 'follow';
  const when = eventTime(app, e.timestamp);
  await db
    .insertInto('zalo_follower')
    .values({
      user_id: uid,
      followed,
      source: typeof e.source === 'string' ? e.source.slice(0, 50) : null,
      followed_at: followed ? when : null,
      unfollowed_at: followed ? null : when,
      last_interaction_at: when,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        followed,
        source: sql`coalesce(excluded.source, zalo_follower.source)`,
        followed_at: followed ? when : sql`zalo_follower.followed_at`,
        unfollowed_at: followed ? sql`zalo_follower.unfollowed_at` : when,
        last_interaction_at: when,
        updated_at: app.clock(),
      }),
    )
    .execute();
  return stored.event_name;
}

function markProcessed(app: AppContext, db: Queryable, eventId: number, outcome: string) {
  return db
    .updateTable('zalo_event')
    .set({ processed_at: app.clock(), outcome })
    .where('id', '=', eventId)
    .execute();
}

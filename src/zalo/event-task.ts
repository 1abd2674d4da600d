import type { Task } from 'graphile-worker';
import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import type { ZaloEventTable } from '../db/schema.ts';
import { answerCitizen } from '../lookup/answer-citizen.ts';
import { RECEIPT_EVENT, recordReceipts } from './receipts.ts';

export const ZALO_EVENT_TASK = 'zalo.event';

/**
 * Acts on a stored webhook event (called by the event processors, event-lane.ts, and by the `zalo.event` job that
 * earlier versions queued per event). Delivery receipts are recorded by the batch without a job
 * (receipts.ts; one that comes here goes the same way); follow / unfollow keep the follower table; messages from
 * citizens are recorded as interactions and answered by the look-up bot (src/lookup); anything else is stored
 * and ignored.
 */
export async function processZaloEvent(app: AppContext, eventId: number): Promise<string> {
  const stored = await app.db
    .selectFrom('zalo_event')
    .selectAll()
    .where('id', '=', eventId)
    .executeTakeFirst();
  return stored ? processStoredEvent(app, stored) : 'skipped';
}

/** The same for an event already read (the event processors claim events with their rows). */
export async function processStoredEvent(
  app: AppContext,
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
  const e = stored.raw as unknown as Record<string, unknown>;
  // A conversation is marked processed only once answered: a crash before the reply means a retry.
  if (CONVERSATIONAL.has(stored.event_name)) {
    // One statement: no transaction around it (two round trips saved per citizen message).
    await recordInteraction(app, app.db, stored.event_name, e);
    const outcome = await answerCitizen(app, stored.event_name, e);
    await markProcessed(app, app.db, eventId, outcome, true);
    return outcome;
  }
  return app.db.transaction().execute(async (tx) => {
    const outcome = await recordInteraction(app, tx, stored.event_name, e);
    await markProcessed(app, tx, eventId, outcome, false);
    return outcome;
  });
}

const CONVERSATIONAL = new Set([
  'follow',
  'user_send_text',
  'user_send_link',
  'user_send_image',
  'user_send_sticker',
]);

/** Keeps the follower table: follows and unfollows, and when each user last wrote (Zalo's 7-day window). */
async function recordInteraction(
  app: AppContext,
  db: Queryable,
  eventName: string,
  e: Record<string, unknown>,
): Promise<string> {
  const at = (ms: unknown) =>
    typeof ms === 'string' && /^\d+$/.test(ms) ? new Date(Number(ms)) : app.clock();
  switch (eventName) {
    case 'follow':
    case 'unfollow': {
      const uid = String((e.follower as { id?: unknown } | undefined)?.id ?? '');
      if (!uid) {
        return 'ignored';
      }
      const followed = eventName === 'follow';
      const when = at(e.timestamp);
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
      return eventName;
    }
    case 'user_send_text':
    case 'user_send_link':
    case 'user_send_image':
    case 'user_send_sticker': {
      const uid = String((e.sender as { id?: unknown } | undefined)?.id ?? '');
      if (uid) {
        const when = at(e.timestamp);
        await db
          .insertInto('zalo_follower')
          .values({ user_id: uid, followed: false, last_interaction_at: when })
          .onConflict((oc) =>
            oc.column('user_id').doUpdateSet({ last_interaction_at: when, updated_at: app.clock() }),
          )
          .execute();
      }
      return 'stored_for_lookup';
    }
    default:
      return 'ignored';
  }
}

function markProcessed(app: AppContext, db: Queryable, eventId: number, outcome: string, replied: boolean) {
  return db
    .updateTable('zalo_event')
    .set({ processed_at: app.clock(), ...(replied ? { replied_at: app.clock() } : {}), outcome })
    .where('id', '=', eventId)
    .execute();
}

export function zaloEventTask(app: AppContext): Task {
  return async (payload) => {
    const { eventId } = z.object({ eventId: z.number().int() }).parse(payload);
    await processZaloEvent(app, eventId);
  };
}

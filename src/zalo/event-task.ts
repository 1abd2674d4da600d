import type { Task } from 'graphile-worker';
import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
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
  const at = (ms: unknown) =>
    typeof ms === 'string' && /^\d+$/.test(ms) ? new Date(Number(ms)) : app.clock();
  let outcome = 'ignored';
  // A conversation is marked processed only once answered: a crash before the reply means a retry.
  const conversational = [
    'follow',
    'user_send_text',
    'user_send_link',
    'user_send_image',
    'user_send_sticker',
  ].includes(stored.event_name);
  await app.db.transaction().execute(async (tx) => {
    switch (stored.event_name) {
      case 'follow':
      case 'unfollow': {
        const uid = String((e.follower as { id?: unknown } | undefined)?.id ?? '');
        if (uid) {
          const followed = stored.event_name === 'follow';
          const when = at(e.timestamp);
          await tx
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
          outcome = stored.event_name;
        }
        break;
      }
      case 'user_send_text':
      case 'user_send_link':
      case 'user_send_image':
      case 'user_send_sticker': {
        const uid = String((e.sender as { id?: unknown } | undefined)?.id ?? '');
        if (uid) {
          const when = at(e.timestamp);
          await tx
            .insertInto('zalo_follower')
            .values({ user_id: uid, followed: false, last_interaction_at: when })
            .onConflict((oc) =>
              oc.column('user_id').doUpdateSet({ last_interaction_at: when, updated_at: app.clock() }),
            )
            .execute();
        }
        outcome = 'stored_for_lookup';
        break;
      }
      default:
        outcome = 'ignored';
    }
    if (!conversational) {
      await tx
        .updateTable('zalo_event')
        .set({ processed_at: app.clock(), outcome })
        .where('id', '=', eventId)
        .execute();
    }
  });
  if (conversational) {
    outcome = await answerCitizen(app, stored.event_name, e);
    await app.db
      .updateTable('zalo_event')
      .set({ processed_at: app.clock(), replied_at: app.clock(), outcome })
      .where('id', '=', eventId)
      .execute();
  }
  return outcome;
}

export function zaloEventTask(app: AppContext): Task {
  return async (payload) => {
    const { eventId } = z.object({ eventId: z.number().int() }).parse(payload);
    await processZaloEvent(app, eventId);
  };
}

import type { Task } from 'graphile-worker';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { answerCitizen } from '../lookup/answer-citizen.ts';

export const ZALO_EVENT_TASK = 'zalo.event';

/**
 * `zalo.event`: acts on a stored webhook event. Delivery receipts of our ZBS sends mark the notification
 * delivered (by tracking_id = notification id); follow / unfollow keep the follower table; messages from
 * citizens are recorded as interactions and answered by the look-up bot (src/lookup); anything else is stored
 * and ignored.
 */
export async function processZaloEvent(app: AppContext, eventId: number): Promise<string> {
  const stored = await app.db
    .selectFrom('zalo_event')
    .selectAll()
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!stored || stored.processed_at) {
    return 'skipped';
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
      case 'user_received_message': {
        const message = (e.message ?? {}) as {
          tracking_id?: unknown;
          msg_id?: unknown;
          delivery_time?: unknown;
        };
        const id =
          typeof message.tracking_id === 'string' && /^\d{1,18}$/.test(message.tracking_id)
            ? Number(message.tracking_id)
            : undefined;
        const msgId = typeof message.msg_id === 'string' ? message.msg_id : undefined;
        if (id !== undefined || msgId) {
          // ZBS by phone carries our tracking_id; messages to a follower's UID are known by Zalo's msg_id.
          const updated = await tx
            .updateTable('notification')
            .set({ state: 'delivered', delivered_at: at(message.delivery_time), updated_at: app.clock() })
            .$if(id !== undefined, (q) => q.where('id', '=', id!).where('channel', '=', 'zalo_phone'))
            .$if(id === undefined, (q) =>
              q.where('provider_msg_id', '=', msgId!).where('channel', '=', 'zalo_uid'),
            )
            .where('state', 'in', ['queued', 'waiting', 'sent'])
            .executeTakeFirst();
          outcome =
            updated.numUpdatedRows > 0n
              ? 'delivered'
              : id !== undefined
                ? 'receipt_without_pending_notification'
                : 'receipt_of_chat_message';
        } else {
          outcome = 'receipt_of_chat_message';
        }
        break;
      }
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

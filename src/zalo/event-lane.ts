import { type Selectable, sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { ZaloEventTable } from '../db/schema.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { claimBatch, defineOutboxLane, EVENTS_CHANNEL, handledTogether, workClaimed } from '../jobs/index.ts';
import { raiseAlert } from '../operations/index.ts';
import { ReplyNotSent, type ZaloEventHandlers } from './event-handlers.ts';
import {
  answerConversation,
  isConversation,
  markAnswered,
  processStoredEvent,
  recordMessages,
} from './event-task.ts';
import { RECEIPT_EVENT } from './receipts.ts';

const EVENT_BATCH = 16;
/** Longer than answering a citizen can take (a look-up and a call to Zalo). */
const EVENT_LEASE_MS = 60_000;
/** Tries of an event while Zalo or PostgreSQL cannot be reached: about 17 minutes of waiting in all. */
const MAX_EVENT_ATTEMPTS = 10;
/**
 * Tries of an event whose processing fails on our side (a fault that the next try meets again): about 6 s.
 * A citizen's later messages wait for their earlier ones (see `due`), so a faulty event must not hold them
 * for the 17 minutes an outage is given.
 */
const MAX_FAULTY_EVENT_ATTEMPTS = 3;

/** Whether a failure may pass by itself: Zalo did not take the reply, or PostgreSQL was out of reach. */
export function eventFailureMayPass(err: Error): boolean {
  return err instanceof ReplyNotSent || isDatabaseUnavailable(err);
}

/**
 * Processes up to `limit` stored webhook events (receipts aside, see receipts.ts) in parallel: each claimed
 * with a lease, so a node that dies mid-answer leaves it to another one, and tried again with a growing delay
 * when it fails — given up after MAX_EVENT_ATTEMPTS, with the error as its outcome and an alert for the
 * administrators. Citizens' messages cost the batch two statements, not two each: their senders' interaction
 * times are recorded together before the answers, and the answered events marked processed together after
 * them. `handlers` are what the app does with the events of other features (event-handlers.ts). Returns how
 * many it claimed.
 */
export async function processEvents(
  app: AppContext,
  handlers: ZaloEventHandlers,
  limit = EVENT_BATCH,
): Promise<number> {
  const claimed = await claimBatch<Selectable<ZaloEventTable>>(app, {
    table: 'zalo_event',
    key: 'id',
    // A citizen's later event waits until the earlier ones are processed, whichever lane or node took them.
    due: sql`processed_at is null and event_name <> ${RECEIPT_EVENT} and not exists (
      select 1 from zalo_event earlier
      where ${citizenKey('earlier')} = ${citizenKey('zalo_event')}
        and earlier.id < zalo_event.id and earlier.processed_at is null)`,
    leaseMs: EVENT_LEASE_MS,
    limit,
  });
  // Citizens' messages: their senders recorded together, each answered, then all marked processed together.
  const conversations = claimed.filter((c) => isConversation(c.event_name));
  const recorded = await handledTogether(
    app,
    "recording citizens' messages",
    recordMessages(app, conversations),
  );
  const answered: Awaited<ReturnType<typeof answerConversation>>[] = [];
  // A batch holds at most one event per citizen (see `due`): all are answered in parallel.
  await workClaimed(app, claimed, {
    what: 'processing a Zalo event',
    idOf: (c) => c.id,
    maxAttempts: (err) => (eventFailureMayPass(err) ? MAX_EVENT_ATTEMPTS : MAX_FAULTY_EVENT_ATTEMPTS),
    work: async (c) => {
      if (isConversation(c.event_name)) {
        answered.push(await answerConversation(app, handlers, c, recorded.has(c.id)));
      } else {
        await processStoredEvent(app, handlers, c);
      }
    },
    failed: async (c, err, { retryAt, givenUp }) => {
      await app.db
        .updateTable('zalo_event')
        .set({
          claimed_until: retryAt,
          ...(givenUp ? { processed_at: app.clock(), outcome: `error: ${err.message}`.slice(0, 200) } : {}),
        })
        .where('id', '=', c.id)
        .execute();
      if (givenUp) {
        await raiseAlert(
          app,
          'zalo.event.failed',
          'warning',
          `Không xử lý được sự kiện Zalo #${c.id} sau ${c.attempts} lần thử (tin nhắn của người dân có thể chưa được trả lời).`,
        );
      }
    },
  });
  // Should this fail, the replies went out and the events come back after their lease: a second reply, never none.
  await markAnswered(app, answered);
  return claimed.length;
}

/**
 * The worker node's event processor with the app's `handlers` (src/app-zalo.ts): two lanes, woken by
 * NOTIFY from the web nodes.
 */
export function defineZaloEventLane(handlers: ZaloEventHandlers) {
  return defineOutboxLane({
    what: 'the Zalo event processor',
    name: EVENTS_CHANNEL,
    channel: EVENTS_CHANNEL,
    lanes: 2,
    // After any batch, look again at once: a citizen's next message may have been waiting for this one.
    work: async (app) => (await processEvents(app, handlers)) > 0,
  });
}

/**
 * The citizen an event comes from, in SQL, for events answered in a citizen's order: followers and
 * unfollowers, and messages. Identical to the index of migration 20261126-14 (which makes `due` cheap).
 */
function citizenKey(table: 'earlier' | 'zalo_event') {
  const t = sql.table(table);
  return sql`(case
      when ${t}.event_name in ('follow', 'unfollow') then ${t}.raw -> 'follower' ->> 'id'
      when left(${t}.event_name, 10) = 'user_send_' then ${t}.raw -> 'sender' ->> 'id'
    end)`;
}

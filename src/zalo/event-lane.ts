import { type Selectable, sql } from 'kysely';
import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import type { ZaloEventTable } from '../db/schema.ts';
import {
  claimBatch,
  handledTogether,
  type Lanes,
  startLanes,
  wakeOtherNodes,
  workClaimed,
} from '../jobs/lanes.ts';
import { raiseAlert } from '../notifications/alerts.ts';
import {
  answerConversation,
  citizenOf,
  isConversation,
  markAnswered,
  processStoredEvent,
  recordMessages,
} from './event-task.ts';
import { RECEIPT_EVENT } from './receipts.ts';

/** The channel on which a stored event wakes the worker nodes' event processors. */
export const EVENTS_CHANNEL = 'zalo_events';
const EVENT_BATCH = 16;
/** Longer than answering a citizen can take (a look-up and a call to Zalo). */
const EVENT_LEASE_MS = 60_000;
const MAX_EVENT_ATTEMPTS = 10;

/**
 * Processes up to `limit` stored webhook events (receipts aside, see receipts.ts) in parallel: each claimed
 * with a lease, so a node that dies mid-answer leaves it to another one, and tried again with a growing delay
 * when it fails — given up after MAX_EVENT_ATTEMPTS, with the error as its outcome and an alert for the
 * administrators. Citizens' messages cost the batch two statements, not two each: their senders' interaction
 * times are recorded together before the answers, and the answered events marked processed together after
 * them. Returns how many it claimed.
 */
export async function processEvents(app: AppContext, limit = EVENT_BATCH): Promise<number> {
  const claimed = await claimBatch<Selectable<ZaloEventTable>>(app, {
    table: 'zalo_event',
    key: 'id',
    due: sql`processed_at is null and event_name <> ${RECEIPT_EVENT}`,
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
  // One citizen's messages are answered one after the other, in the order they came (the batch is claimed
  // oldest first); different citizens' in parallel. A failed answer does not hold back the next one.
  const lastTurn = new Map<string, Promise<unknown>>();
  await workClaimed(app, claimed, {
    what: 'processing a Zalo event',
    idOf: (c) => c.id,
    maxAttempts: MAX_EVENT_ATTEMPTS,
    work: async (c) => {
      if (isConversation(c.event_name)) {
        const citizen = citizenOf(c);
        const turn = (lastTurn.get(citizen) ?? Promise.resolve())
          .catch(() => undefined)
          .then(() => answerConversation(app, c, recorded.has(c.id)));
        lastTurn.set(citizen, turn);
        answered.push(await turn);
      } else {
        await processStoredEvent(app, c);
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
          app.db,
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

/** The worker node's event processor: two lanes, woken by NOTIFY from the web nodes. */
export function startEventProcessor(app: AppContext, pool: pg.Pool): Lanes {
  return startLanes(app, pool, {
    what: 'the Zalo event processor',
    name: EVENTS_CHANNEL,
    channel: EVENTS_CHANNEL,
    lanes: 2,
    work: async () => (await processEvents(app)) >= EVENT_BATCH,
  });
}

/** Wakes the event processors of every worker node, after the webhook was acknowledged. */
export function wakeEventProcessors(app: AppContext): void {
  wakeOtherNodes(app, EVENTS_CHANNEL);
}

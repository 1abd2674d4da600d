import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { type Lanes, startLanes } from '../jobs/lanes.ts';
import { claimDue, DUE_CHANNEL } from './claim.ts';
import { sendClaimed } from './send-notification.ts';

/**
 * Lanes of at least MIN_BATCH calls: at a steady few hundred messages a second each message tends to get a lane
 * of its own at once (low latency); under a backlog every lane claims full batches (few statements per call).
 */
const MIN_BATCH = 16;
const MAX_LANES = 8;

/**
 * Each worker node's Zalo sender. Messages are claimed from the notification table itself (the outbox,
 * written in the planning transaction) in batches, instead of one graphile-worker job each: a job costs two
 * round trips of its own and a per-message bucket update, which capped sends at a few dozen a second.
 *
 * `ZALO_SEND_CONCURRENCY` calls are in flight at most, split over a few lanes that each claim, send and record
 * one batch at a time, so that one slow call holds back only its own lane.
 */
export function startDispatcher(app: AppContext, pool: pg.Pool): Lanes {
  const concurrency = app.config.zalo.sendConcurrency;
  const laneCount = Math.min(MAX_LANES, Math.ceil(concurrency / MIN_BATCH));
  const batch = Math.ceil(concurrency / laneCount);
  return startLanes(app, pool, {
    what: 'the Zalo dispatcher',
    name: DUE_CHANNEL,
    channel: DUE_CHANNEL,
    lanes: laneCount,
    async work() {
      const claimed = await claimDue(app, { limit: batch });
      await sendClaimed(app, claimed);
      return claimed.length >= batch;
    },
  });
}

/**
 * Sends everything that is due now, batch after batch, in the calling process (tests, and tools that run
 * without a worker node).
 */
export async function dispatchDue(app: AppContext): Promise<number> {
  let sent = 0;
  for (;;) {
    const claimed = await claimDue(app, { limit: app.config.zalo.sendConcurrency });
    if (claimed.length === 0) {
      return sent;
    }
    sent += claimed.length;
    await sendClaimed(app, claimed);
  }
}

import type { AppContext } from '../app-context.ts';
import { DUE_CHANNEL, defineOutboxLane } from '../jobs/index.ts';
import { claimDue } from './send-claim.ts';
import { sendClaimed } from './send-message.ts';
import type { ZaloSendOutcomes } from './send-refusal.ts';

/**
 * Lanes of at least MIN_BATCH calls: at a steady few hundred messages a second each message tends to get a lane
 * of its own at once (low latency); under a backlog every lane claims full batches (few statements per call).
 */
const MIN_BATCH = 16;
const MAX_LANES = 8;

/** Lanes and batch size for ZALO_SEND_CONCURRENCY calls in flight at most. */
function sendLanes(app: AppContext) {
  const concurrency = app.config.zalo.sendConcurrency;
  const lanes = Math.min(MAX_LANES, Math.ceil(concurrency / MIN_BATCH));
  return { lanes, batch: Math.ceil(concurrency / lanes) };
}

/**
 * Each worker node's Zalo sender. Messages are claimed from the notification table itself (the outbox,
 * written in the planning transaction) in batches, instead of one job each: a job costs two round trips of
 * its own and a per-message bucket update, which capped sends at a few dozen a second.
 *
 * `ZALO_SEND_CONCURRENCY` calls are in flight at most, split over a few lanes that each claim, send and record
 * one batch at a time, so that one slow call holds back only its own lane. `outcomes` are what a failure or
 * an acceptance means for the fallback (src/app-zalo.ts hands them).
 */
export function defineZaloSendLane(outcomes: ZaloSendOutcomes) {
  return defineOutboxLane({
    what: 'the Zalo dispatcher',
    name: DUE_CHANNEL,
    channel: DUE_CHANNEL,
    lanes: (app) => sendLanes(app).lanes,
    async work(app) {
      const { batch } = sendLanes(app);
      const claimed = await claimDue(app, { limit: batch });
      await sendClaimed(app, outcomes, claimed);
      return claimed.length >= batch;
    },
  });
}
/**
 * Sends everything that is due now, batch after batch, in the calling process (tests, and tools that run
 * without a worker node).
 */
export async function dispatchDue(app: AppContext, outcomes: ZaloSendOutcomes): Promise<number> {
  let sent = 0;
  for (;;) {
    const claimed = await claimDue(app, { limit: app.config.zalo.sendConcurrency });
    if (claimed.length === 0) {
      return sent;
    }
    sent += claimed.length;
    await sendClaimed(app, outcomes, claimed);
  }
}

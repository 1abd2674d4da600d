import type { AppContext } from '../app-context.ts';
import { defineOutboxLane } from '../jobs/index.ts';
import { metricsOf } from '../operations/index.ts';
import { installationId } from './installation.ts';
import { recordReceiptsStatement } from './repo.ts';

export { RECEIPT_EVENT } from './repo.ts';

/**
 * Delivery receipts (`user_received_message`) recorded by the batch, in one statement: at a thousand sends a
 * second, a job per receipt would cost more than the sends themselves. A receipt never moves a message back
 * (only queued, waiting or sent become delivered); each event gets its outcome.
 *
 * A ZBS message by phone is matched on both our `tracking_id` (`<installation>-<notification id>`; a bare id
 * from before installation ids) and Zalo's `msg_id`: two installations, or a restored copy of the database, on
 * one OA can share notification ids, never msg_ids. A receipt that arrives before its send was recorded (no
 * msg_id on our row yet, the send in flight) is left for a later pass, up to EARLY_RECEIPT_WAIT. A message to
 * a follower's UID carries no tracking id and is known by its `msg_id`.
 * Returns how many events were recorded.
 */
export async function recordReceipts(app: AppContext, opts: { limit?: number; ids?: number[] } = {}) {
  const now = app.clock();
  const ids = opts.ids ?? null;
  const ours = `^(?:${await installationId(app)}-)?(\\d{1,18})$`;
  const recorded = await recordReceiptsStatement({
    now,
    ours,
    ids,
    limit: opts.limit ?? 500,
  }).execute(app.db);
  const delivered = recorded.rows.filter((r) => r.notification_id !== null);
  for (const r of recorded.rows) {
    metricsOf(app).receipts.inc({ outcome: r.outcome });
  }
  if (delivered.length > 0) {
    app.logger.info(
      {
        delivered: delivered.map((r) => ({
          notificationId: r.notification_id,
          correlationId: r.correlation_id,
        })),
      },
      'zalo delivery receipts recorded',
    );
  }
  return recorded.rows.length;
}

const RECEIPT_BATCH = 500;

/** The worker node's receipt recorder: one lane, a few times a second. */
export const receiptLane = defineOutboxLane({
  what: 'the delivery receipt recorder',
  name: 'zalo_receipts',
  // Receipts come by the thousand and nobody waits for them: a poll, no NOTIFY per webhook (see lanes.ts).
  pollMs: 250,
  lanes: 1,
  work: async (app) => (await recordReceipts(app, { limit: RECEIPT_BATCH })) >= RECEIPT_BATCH,
});

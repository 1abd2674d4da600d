import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';

const BATCH = 5000;
/** At most this many batches an hour: a first clean-up of years of events spreads over several hours. */
const MAX_BATCHES = 100;

/**
 * Deletes the webhook events processed and received more than ZALO_EVENT_RETENTION_DAYS ago (hourly, from
 * the worker's maintenance job). They hold citizens' messages and Zalo user ids, and one delivery receipt per
 * message sent: kept for ever they would be personal data without a purpose and the largest table of the
 * product. What they caused stays: notification states, followers, the bot's answers. Zalo retries an event
 * within hours, so its unique key is long past use when the row goes.
 *
 * Events are stored in id order with `received_at` from the same clock, so each batch looks only at the
 * oldest rows through the primary key, and the job stops at the first batch with nothing to delete — it never
 * scans the table. Returns how many it deleted.
 */
export async function pruneProcessedEvents(app: AppContext): Promise<number> {
  const cutoff = new Date(app.clock().getTime() - app.config.zalo.eventRetentionDays * 86_400_000);
  let deleted = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const result = await sql`
      delete from zalo_event where id in (
        select id from (select id, received_at, processed_at from zalo_event order by id limit ${BATCH}) oldest
        where received_at < ${cutoff} and processed_at is not null)`.execute(app.db);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < BATCH) {
      break;
    }
  }
  if (deleted > 0) {
    app.logger.info(
      { deleted, retentionDays: app.config.zalo.eventRetentionDays },
      'old Zalo events deleted',
    );
  }
  return deleted;
}

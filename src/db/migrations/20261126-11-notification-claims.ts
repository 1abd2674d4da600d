import { type Kysely, sql } from 'kysely';

/**
 * Zalo messages are claimed straight from the notification table by each worker node's dispatcher (instead
 * of one graphile-worker job per message): `claimed_until` is the lease of the node sending it now, so a
 * node killed mid-call gives its messages back when the lease ends. The partial index keeps the "what is
 * due" query on the few unsent Zalo rows, however large the table grows. The rate bucket hands out tokens
 * by the batch.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notification add column claimed_until timestamptz`.execute(db);
  await sql`create index notification_due_idx on notification (next_attempt_at nulls first, id)
    where state in ('queued', 'waiting') and channel in ('zalo_phone', 'zalo_uid')`.execute(db);
  // The per-message send jobs of earlier versions: their messages are still queued rows, sent by the dispatcher.
  await sql`do $$ begin
    if to_regclass('graphile_worker._private_jobs') is not null then
      delete from graphile_worker._private_jobs
      where task_id in (select id from graphile_worker._private_tasks where identifier = 'notification.send');
    end if;
  end $$`.execute(db);
  // What the last take was granted: an upsert's RETURNING sees only the new row.
  await sql`alter table send_rate_bucket add column granted integer not null default 0`.execute(db);
}

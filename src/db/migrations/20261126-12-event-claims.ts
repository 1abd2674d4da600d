import { type Kysely, sql } from 'kysely';

/**
 * Webhook events are claimed from their table by the worker nodes' event processors, like messages
 * (src/zalo/event-lane.ts): no graphile-worker job per event, whose NOTIFY at commit serialised the
 * webhook's acknowledgement with every other notifying transaction. A lease and an attempt count per event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table zalo_event add column claimed_until timestamptz,
    add column attempts integer not null default 0`.execute(db);
  await sql`create index zalo_event_unprocessed_idx on zalo_event (id) where processed_at is null`.execute(
    db,
  );
}

import { type Kysely, sql } from 'kysely';

/**
 * One citizen's messages are answered in the order they came, across lanes and nodes: an event is claimed only
 * when no earlier event of the same citizen is still unprocessed (src/zalo/event-lane.ts). This partial index
 * answers that question; its expression is the lane's `citizenKey` (keep the two identical, so the planner
 * uses it). An index and no column: no rewrite of the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index zalo_event_unprocessed_by_citizen_idx on zalo_event ((case
      when event_name in ('follow', 'unfollow') then raw -> 'follower' ->> 'id'
      when left(event_name, 10) = 'user_send_' then raw -> 'sender' ->> 'id'
    end), id) where processed_at is null`.execute(db);
}

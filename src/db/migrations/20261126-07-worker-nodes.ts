import { type Kysely, sql } from 'kysely';

/**
 * Worker pools that are alive (heartbeat). A pool killed without shutting down leaves its jobs locked; the
 * others unlock them once its heartbeat is stale, so nothing waits for graphile-worker's 4-hour lock timeout.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table worker_node (
      pool_id text primary key,
      pid integer not null,
      hostname text not null,
      started_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now()
    );
  `.execute(db);
}

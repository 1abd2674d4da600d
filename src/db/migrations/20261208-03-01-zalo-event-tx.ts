import { type Kysely, sql } from 'kysely';

/**
 * A citizen's webhook events answered in the order they were stored, even when two are stored by concurrent
 * requests: `id` is taken at insert, not at commit, so a later event could be visible (and answered) while an
 * earlier one was still uncommitted. Each event now carries the storing transaction's id; the event lane
 * orders a citizen's events by (tx, id) and claims only events below the oldest running transaction
 * (src/zalo/event-lane.ts), as the connector's feed does (migration 20261207-21-01).
 *
 * Nullable, with the default set apart from the column: a volatile default in ADD COLUMN would rewrite the
 * table (millions of receipts under retention) behind an exclusive lock that stops the webhook. Only the
 * unprocessed events take part in the order, so only they are given the migration's own transaction id:
 * once it commits, they are below every later event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table zalo_event add column tx xid8;
    alter table zalo_event alter column tx set default pg_current_xact_id();
    update zalo_event set tx = pg_current_xact_id() where processed_at is null;
  `.execute(db);
}

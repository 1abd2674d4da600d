import { type Kysely, sql } from 'kysely';

/**
 * Status changes wait for their messages in an outbox of their own, written by the statement that writes the
 * journal entry and claimed by the worker nodes' planners (src/jobs/status-change-lane.ts), instead of a
 * graphile-worker job each: graphile's add_job NOTIFYs, and a NOTIFYing transaction holds one database-wide
 * lock through its commit and WAL flush, which queued every intake and transition behind the others
 * (measured: at most ~2 000 such commits a second on an idle server, a few hundred under load).
 * Jobs already queued for `dossier.status_changed` are still run by their task.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table status_change (
    journal_id bigint primary key references dossier_journal (id),
    dossier_id integer not null,
    from_status smallint,
    to_status smallint not null,
    action text not null,
    created_at timestamptz not null default now(),
    claimed_until timestamptz,
    attempts integer not null default 0,
    last_error text,
    failed_at timestamptz
  )`.execute(db);
  await sql`create index status_change_due_idx on status_change (journal_id) where failed_at is null`.execute(
    db,
  );
}

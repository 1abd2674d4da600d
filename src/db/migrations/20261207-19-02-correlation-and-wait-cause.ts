import { type Kysely, sql } from 'kysely';

/**
 * A correlation id on each status change and on each message it causes (the officer's request id), so one
 * grep of the logs shows a message's whole life; and why a waiting message waits (`connection`,
 * `template:<id>`, `account:<code>`, `template_missing`) — the cause its alert is keyed by, gone when no
 * message waits for it any more. Nullable columns without defaults: no rewrite of either table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table dossier_journal add column correlation_id text;
    alter table notification add column correlation_id text, add column wait_cause text;
    create index notification_wait_cause_idx on notification (wait_cause) where state = 'waiting';
  `.execute(db);
}

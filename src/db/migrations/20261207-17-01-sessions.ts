import { type Kysely, sql } from 'kysely';

/**
 * Officer sessions kept on the server, so that one can be ended (logout) while its signed cookie is still
 * unexpired; the per-user session_version still ends them all at once. Rows past their expiry are deleted by
 * the hourly maintenance job.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table app_session (
      id text primary key,
      user_id integer not null references app_user (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text
    );
    create index app_session_user_idx on app_session (user_id);
    create index app_session_expires_idx on app_session (expires_at);
  `.execute(db);
}

import { type Kysely, sql } from 'kysely';

/** Administrator-edited exceptions to the computed working-day calendar (extra days off, working Saturdays). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calendar_day (
      day date primary key,
      kind text not null check (kind in ('day_off', 'working_day')),
      reason text not null check (length(reason) between 1 and 200),
      created_by integer references app_user,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}

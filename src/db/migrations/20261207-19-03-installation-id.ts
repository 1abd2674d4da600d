import { type Kysely, sql } from 'kysely';

/**
 * A random id for this installation, in Zalo's tracking_id (`<installation>-<notification id>`): two
 * installations on one OA no longer read each other's delivery receipts as their own. 16 hex characters keep
 * the tracking id within Zalo's 48.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into app_meta (key, value)
    values ('installation_id', to_jsonb(substr(md5(random()::text || clock_timestamp()::text), 1, 16)))
    on conflict (key) do nothing
  `.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Officers find a dossier by the end of its code ("261207-0007"): an index on the reversed code turns "ends
 * with" into a range read within the agency instead of a scan of all its dossiers. Built in the migration's
 * transaction, as the list's other indexes were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index dossier_code_reversed_idx on dossier (agency_id, reverse(code) text_pattern_ops)`.execute(
    db,
  );
}

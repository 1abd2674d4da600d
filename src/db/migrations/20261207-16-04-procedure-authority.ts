import { type Kysely, sql } from 'kysely';

/**
 * The authority that decides a procedure (Cơ quan thực hiện in the national catalogue), as imported from the
 * catalogue's Excel export. It is not the receiving desk: a provincial centre receives dossiers that a
 * commune or a department decides (NĐ 118/2025).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table procedure add column authority text not null default '' check (length(authority) <= 300)
  `.execute(db);
}

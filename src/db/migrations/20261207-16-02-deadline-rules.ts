import { type Kysely, sql } from 'kysely';

/**
 * Deadline rules per procedure and per dossier.
 * - procedure.deadline_unit: the limit is in working days or in calendar days ("không quá 10 ngày"; a
 *   calendar-day term ending on a day off ends on the next working day, Bộ luật Dân sự Art. 148).
 * - procedure.cutoff_basis: the legal basis of the afternoon cut-off, shown wherever the cut-off is.
 * - dossier.deadline_start / deadline_unit / deadline_days: the day the count started and the length counted
 *   (extensions included), so that a calendar change can say which printed dates it would have moved.
 *   Null on dossiers received before this migration.
 *
 * The 15:00 cut-off of the law is for matters resolved on the day of receipt; the demo catalogue had it on
 * multi-day procedures too, adding a day to every afternoon intake. It is removed there (demo codes whose
 * cut-off is still the demo's), and the same-day demo procedures get their legal basis.
 */
const SAME_DAY_BASIS: Record<string, string> = {
  '2.000815': 'Nghị định số 23/2015/NĐ-CP, Điều 7',
  '2.000884': 'Nghị định số 23/2015/NĐ-CP, Điều 7',
  '1.001193': 'Luật Hộ tịch 2014, Điều 5 khoản 3',
  '1.000894': 'Luật Hộ tịch 2014, Điều 5 khoản 3',
  '1.000656': 'Luật Hộ tịch 2014, Điều 5 khoản 3',
  '2.000635': 'Luật Hộ tịch 2014, Điều 5 khoản 3',
};
const MULTI_DAY_DEMO_CODES = ['1.004873', '2.000720', '1.009994', '2.000488', '2.001610'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table procedure
      add column deadline_unit text not null default 'working_days'
        check (deadline_unit in ('working_days', 'calendar_days')),
      add column cutoff_basis text not null default '' check (length(cutoff_basis) <= 300);
    alter table dossier
      add column deadline_start date,
      add column deadline_unit text check (deadline_unit in ('working_days', 'calendar_days')),
      add column deadline_days integer check (deadline_days >= 0);
  `.execute(db);
  await correctDemoDeadlines(db);
}

/** The data part: the demo procedures' cut-offs and units as the law has them. */
export async function correctDemoDeadlines(db: Kysely<unknown>): Promise<void> {
  for (const [code, basis] of Object.entries(SAME_DAY_BASIS)) {
    await sql`update procedure set cutoff_basis = ${basis}
              where code = ${code} and processing_days = 0 and cutoff_time is not null and cutoff_basis = ''`.execute(
      db,
    );
  }
  for (const code of MULTI_DAY_DEMO_CODES) {
    await sql`update procedure set cutoff_time = null
              where code = ${code} and processing_days > 0 and cutoff_time = '15:00'`.execute(db);
  }
  // Cấp giấy phép xây dựng nhà ở riêng lẻ: "không quá 15 ngày" (Luật Xây dựng 2014, Art. 102).
  await sql`update procedure set deadline_unit = 'calendar_days'
            where code = '1.009994' and processing_days = 15`.execute(db);
}

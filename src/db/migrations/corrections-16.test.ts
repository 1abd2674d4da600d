import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { OFFICIAL_SWAPS_2025_2026 } from './20261126-05-official-calendar-2025-2026.ts';
import { correctOfficialSchedules } from './20261207-16-01-calendar-years.ts';
import { correctDemoDeadlines } from './20261207-16-02-deadline-rules.ts';
import { up as correctDemoProcedures } from './20261207-16-03-demo-procedures.ts';

/**
 * The issue-16 migrations on a database as the earlier version left it: the wrong 2025 rows of
 * 20261126-05, the demo catalogue with a 15:00 cut-off on multi-day procedures, 2.000720 as the
 * registration of a new household business, and the procedures that moved to the Police.
 */
describe('issue 16 data corrections on an existing database', () => {
  let t: TestDatabase;
  let dossierId = 0;

  before(async () => {
    t = await createTestDatabase();
    const db = t.db as unknown as Kysely<unknown>;
    // The state before: migration 05's rows only, no confirmed years.
    await sql`delete from calendar_day`.execute(db);
    await sql`delete from calendar_year`.execute(db);
    for (const e of OFFICIAL_SWAPS_2025_2026) {
      await sql`insert into calendar_day (day, kind, reason) values (${e.day}, ${e.kind}, ${e.reason})`.execute(
        db,
      );
    }
    // An administrator's own row on a day the official schedule also lists: kept.
    await sql`insert into calendar_day (day, kind, reason) values ('2026-09-01', 'day_off', 'Nghỉ lễ (quản trị viên)')`.execute(
      db,
    );
    await sql`insert into province (code, name, short_name) values ('44', 'Tỉnh Quảng Trị', 'Quảng Trị')`.execute(
      db,
    );
    const agencies = await sql<{ id: number }>`
      insert into agency (code, name, parent_name, province_code) values
        ('000.00.01.H50', 'Trung tâm', 'UBND', '44'), ('000.18.80.H50', 'Phường', 'UBND', '44') returning id`.execute(
      db,
    );
    const old = [
      ['2.000720', 'Đăng ký thành lập hộ kinh doanh', 3, '15:00'],
      ['1.001193', 'Đăng ký khai sinh', 0, '15:00'],
      ['1.009994', 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ', 15, '15:00'],
      [
        '2.000488',
        'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
        10,
        '15:00',
      ],
      ['1.002809', 'Đổi giấy phép lái xe do ngành Giao thông vận tải cấp', 5, null],
    ] as const;
    for (const [code, name, days, cutoff] of old) {
      const row = await sql<{ id: number }>`
        insert into procedure (code, name, field, level, processing_days, cutoff_time)
        values (${code}, ${name}, 'Lĩnh vực', 'xa', ${days}, ${cutoff}) returning id`.execute(db);
      for (const a of agencies.rows) {
        await sql`insert into procedure_agency (procedure_id, agency_id) values (${row.rows[0]!.id}, ${a.id})`.execute(
          db,
        );
      }
    }
    const dossier = await sql<{ id: number }>`
      insert into dossier (code, agency_id, procedure_id, status, channel, applicant_name, applicant_id_number,
                           applicant_address, phone, notify_by_zalo, received_documents, copies, note,
                           received_at, due_date, clock_started_at, status_data)
      select '000.00.01.H50-260309-0001', ${agencies.rows[0]!.id}, p.id, 2, 'direct', 'Nguyễn Văn An',
             '044090001234', '', '84912345678', false, '[]', 1, '', now(), '2026-03-12', now(), '{}'
      from procedure p where p.code = '2.000720' returning id`.execute(db);
    dossierId = dossier.rows[0]!.id;
    // Twice: each correction is safe to run again.
    for (let i = 0; i < 2; i++) {
      await correctOfficialSchedules(db);
      await correctDemoDeadlines(db);
      await correctDemoProcedures(db);
    }
  });
  after(() => t.drop());

  it('replaces the wrong 2025 rows and confirms 2025 and 2026 with their official schedules', async () => {
    const rows = await t.db
      .selectFrom('calendar_day')
      .select(['day', 'kind', 'reason'])
      .orderBy('day')
      .execute();
    const day = (d: string) => rows.find((r) => r.day === d);
    assert.equal(day('2025-02-08'), undefined);
    assert.equal(day('2025-02-03'), undefined);
    assert.doesNotMatch(day('2025-01-27')!.reason, /08\/02/);
    assert.equal(day('2026-08-22')?.kind, 'working_day');
    assert.equal(day('2026-08-31')?.kind, 'day_off');
    assert.equal(day('2026-09-01')?.reason, 'Nghỉ lễ (quản trị viên)');
    assert.equal(day('2026-09-03'), undefined);
    const years = await t.db.selectFrom('calendar_year').select('year').orderBy('year').execute();
    assert.deepEqual(
      years.map((y) => y.year),
      [2025, 2026],
    );
  });

  it('takes the 15:00 cut-off off multi-day demo procedures and gives same-day ones their basis', async () => {
    const procedures = await t.db
      .selectFrom('procedure')
      .select(['code', 'cutoff_time', 'cutoff_basis', 'deadline_unit', 'active', 'name'])
      .orderBy('code')
      .execute();
    const p = (code: string) => procedures.find((r) => r.code === code)!;
    assert.equal(p('1.001193').cutoff_time, '15:00:00');
    assert.equal(p('1.001193').cutoff_basis, 'Luật Hộ tịch 2014, Điều 5 khoản 3');
    assert.equal(p('1.001612').cutoff_time, null);
    assert.equal(p('1.009994').cutoff_time, null);
    assert.equal(p('1.009994').deadline_unit, 'calendar_days');
  });

  it('gives the household-business registration its code, adds 2.000720, and retires the Police procedures', async () => {
    const procedures = await t.db
      .selectFrom('procedure as p')
      .select([
        'p.id',
        'p.code',
        'p.name',
        'p.active',
        sql<number>`(select count(*)::int from procedure_agency pa where pa.procedure_id = p.id)`.as(
          'agencies',
        ),
      ])
      .orderBy('p.code')
      .execute();
    const p = (code: string) => procedures.find((r) => r.code === code)!;
    assert.equal(p('1.001612').name, 'Đăng ký thành lập hộ kinh doanh');
    assert.equal(p('2.000720').name, 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh');
    assert.equal(p('2.000720').agencies, 2);
    assert.equal(p('2.000720').active, true);
    assert.equal(p('2.000488').active, false);
    assert.equal(p('1.002809').active, false);
    const dossier = await t.db
      .selectFrom('dossier')
      .select('procedure_id')
      .where('id', '=', dossierId)
      .executeTakeFirstOrThrow();
    assert.equal(dossier.procedure_id, p('1.001612').id);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test-support/database.ts';

describe('migrations', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());

  it('creates the schema and the job queue', async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(
      t.db,
    );
    const names = tables.rows.map((r) => r.table_name);
    for (const table of [
      'agency',
      'dossier',
      'dossier_journal',
      'dossier_code_counter',
      'calendar_day',
      'app_user',
    ]) {
      assert.ok(names.includes(table), `missing table ${table}`);
    }
    const worker =
      await sql`select 1 from information_schema.schemata where schema_name = 'graphile_worker'`.execute(
        t.db,
      );
    assert.equal(worker.rows.length, 1);
  });

  it('seeds the official 2025–2026 swap days', async () => {
    const days = await t.db.selectFrom('calendar_day').select(['day', 'kind']).orderBy('day').execute();
    assert.ok(days.some((d) => d.day === '2026-01-10' && d.kind === 'working_day'));
  });

  it('makes the audit journal append-only', async () => {
    await sql`insert into audit_event (actor_name, action, target_type, target_id) values ('t', 'x', 'y', '1')`.execute(
      t.db,
    );
    await assert.rejects(sql`update audit_event set action = 'z'`.execute(t.db), /append-only/);
    await assert.rejects(sql`delete from audit_event`.execute(t.db), /append-only/);
  });
});

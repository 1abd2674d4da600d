import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { adoptGraphileJobs } from '../jobs/graphile-handover.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/database.ts';
import { migrations } from './migrations/index.ts';

describe('migrations', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());

  it('creates the schema and the job table, without graphile-worker', async () => {
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
      'job',
      'scheduled_task',
    ]) {
      assert.ok(names.includes(table), `missing table ${table}`);
    }
    const worker =
      await sql`select 1 from information_schema.schemata where schema_name = 'graphile_worker'`.execute(
        t.db,
      );
    assert.equal(worker.rows.length, 0);
  });

  it('keeps the work a graphile-worker queue held when upgraded to the one job system', async () => {
    // The database as the version before: graphile-worker's tables (the columns the upgrade reads), with
    // fallback jobs due, one later, one given up, and tasks whose work needs no job any more.
    await sql`drop table job, scheduled_task`.execute(t.db);
    await sql`create schema graphile_worker`.execute(t.db);
    await sql`create table graphile_worker._private_tasks (id serial primary key, identifier text not null)`.execute(
      t.db,
    );
    await sql`create table graphile_worker._private_jobs (
      id bigserial primary key, task_id int not null, payload json not null default '{}', run_at timestamptz not null,
      attempts smallint not null default 0, max_attempts smallint not null default 25, last_error text, key text,
      locked_at timestamptz)`.execute(t.db);
    await sql`insert into graphile_worker._private_tasks (identifier)
      values ('fallback.send'), ('fallback.check'), ('dossier.status_changed'), ('zalo.event'), ('maintenance_prune')`.execute(
      t.db,
    );
    await sql`insert into graphile_worker._private_jobs (task_id, payload, run_at, attempts, max_attempts, last_error, key, locked_at)
      values (1, '{"notificationId": 11}', '2026-12-01T08:00:00Z', 1, 5, 'gateway down', 'fallback:11', null),
             (2, '{"notificationId": 12}', '2026-12-31T08:00:00Z', 0, 25, null, 'fallback-check:12', null),
             (1, '{"notificationId": 13}', '2026-12-01T08:00:00Z', 5, 5, 'refused', 'fallback:13', null),
             (1, '{"notificationId": 14}', '2026-12-01T08:00:00Z', 1, 5, null, 'fallback:14', now()),
             (4, '{"eventId": 1}', '2026-12-01T08:00:00Z', 0, 25, null, null, null),
             (5, '{}', '2026-12-01T08:00:00Z', 0, 25, null, null, null)`.execute(t.db);
    const leftInGraphile = async () =>
      (
        await sql<{ key: string | null }>`select key from graphile_worker._private_jobs order by id`.execute(
          t.db,
        )
      ).rows.map((r) => r.key);

    // The upgrade itself, as the migrator runs it (later migrations already ran on this database).
    await migrations['20261207-20-01-one-job-system']!.up(t.db);
    const jobs = await t.db
      .selectFrom('job')
      .select(['task', 'payload', 'key', 'run_at', 'attempts', 'max_attempts', 'last_error', 'failed_at'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      jobs.map((j) => [
        j.task,
        j.payload,
        j.key,
        new Date(j.run_at).toISOString(),
        j.attempts,
        j.max_attempts,
      ]),
      [
        ['fallback.send', { notificationId: 11 }, 'fallback:11', '2026-12-01T08:00:00.000Z', 1, 5],
        ['fallback.check', { notificationId: 12 }, 'fallback-check:12', '2026-12-31T08:00:00.000Z', 0, 25],
        ['fallback.send', { notificationId: 13 }, 'fallback:13', '2026-12-01T08:00:00.000Z', 5, 5],
      ],
    );
    assert.equal(jobs[0]!.last_error, 'gateway down');
    assert.equal(jobs[0]!.failed_at, null, 'still to run');
    assert.ok(jobs[2]!.failed_at, 'given up as before');
    assert.deepEqual(
      await leftInGraphile(),
      ['fallback:14', null, null],
      "moved jobs leave graphile-worker's queue; one an old worker runs stays with it, as do tasks of no use",
    );

    // A rolling upgrade: a node still on the old version adds a job after the migration; the hand-over moves
    // it, and the one the old worker ran once that worker let it go.
    await sql`insert into graphile_worker._private_jobs (task_id, payload, run_at, key)
      values (2, '{"notificationId": 15}', '2026-12-31T09:00:00Z', 'fallback-check:15')`.execute(t.db);
    await sql`update graphile_worker._private_jobs set locked_at = null where key = 'fallback:14'`.execute(
      t.db,
    );
    assert.equal(await adoptGraphileJobs(t.db), 2);
    assert.deepEqual(
      (
        await t.db
          .selectFrom('job')
          .select('key')
          .where('key', 'in', ['fallback:14', 'fallback-check:15'])
          .execute()
      )
        .map((j) => j.key)
        .sort(),
      ['fallback-check:15', 'fallback:14'],
    );
    assert.deepEqual(await leftInGraphile(), [null, null]);
    assert.equal(await adoptGraphileJobs(t.db), 0, 'nothing twice');
    await sql`drop schema graphile_worker cascade`.execute(t.db);
    assert.equal(await adoptGraphileJobs(t.db), 0, 'nothing to do without the schema');
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

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test-support/database.ts';
import { MAX_PREPARED_PER_CONNECTION, openDatabase } from './pool.ts';

describe('prepared statements', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());

  it('prepares each statement with parameters once per connection, and no more than the cap', async () => {
    await t.db.connection().execute(async (c) => {
      const named = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(c)).rows[0]!
          .n;
      const before = await named();
      await c.selectFrom('agency').select('id').where('id', '=', 1).execute();
      await c.selectFrom('agency').select('id').where('id', '=', 2).execute();
      assert.equal(await named(), before + 1, 'one statement, prepared once');
      await sql`select 1`.execute(c);
      assert.equal(await named(), before + 1, 'a statement without parameters runs unnamed');
      for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 5; i++) {
        await sql`select ${sql.raw(String(i))}::int + ${1}::int as n`.execute(c);
      }
      assert.equal(await named(), MAX_PREPARED_PER_CONNECTION, 'beyond the cap, statements run unnamed');
      const last = await sql<{ n: number }>`select ${sql.raw('7000')}::int + ${1}::int as n`.execute(c);
      assert.equal(last.rows[0]!.n, 7001);
    });
  });

  it('runs a statement whose prepared plan no longer matches its table again, and replaces its connection', async () => {
    const handle = openDatabase(t.url, { max: 1 });
    try {
      await sql`create table shape (id int primary key)`.execute(handle.db);
      await sql`insert into shape values (1)`.execute(handle.db);
      const read = () => sql<{ id: number }>`select * from shape where id = ${1}`.execute(handle.db);
      assert.equal((await read()).rows.length, 1);
      // Another node's migration adds a column.
      await sql`alter table shape add column extra text`.execute(t.db);
      assert.deepEqual((await read()).rows, [{ id: 1, extra: null }], 'run again, unprepared');
      assert.equal(handle.pool.totalCount, 0, 'its connection closed');
      assert.deepEqual((await read()).rows, [{ id: 1, extra: null }], 'prepared afresh');
      // Inside a transaction the statement cannot be run again: the transaction is aborted already.
      await sql`alter table shape add column more text`.execute(handle.db);
      await assert.rejects(
        handle.db.transaction().execute(async (tx) => {
          await sql`select * from shape where id = ${1}`.execute(tx);
        }),
        /cached plan must not change result type/,
      );
      assert.deepEqual((await read()).rows, [{ id: 1, extra: null, more: null }]);
      assert.equal(handle.pool.totalCount, 1);
    } finally {
      await handle.close();
    }
  });

  it('can be turned off', async () => {
    const handle = openDatabase(t.url, { max: 1, preparedStatements: false });
    try {
      await handle.db.connection().execute(async (c) => {
        await c.selectFrom('agency').select('id').where('id', '=', 1).execute();
        const n = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(c);
        assert.equal(n.rows[0]!.n, 0);
      });
    } finally {
      await handle.close();
    }
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { migrateToLatest, schemaFingerprint } from '../db/migrate.ts';
import { type Database, type DatabaseHandle, openDatabase } from '../db/pool.ts';
import { databaseUrl, withClient } from '../db/server.ts';

/**
 * Every test file gets its own fresh PostgreSQL database, cloned from a migrated template, and drops it
 * afterwards: no shared state, no order dependence. The server is DATABASE_URL (set by `npm test`, which
 * starts an embedded PostgreSQL when none is configured).
 */
export const TEST_DB_PREFIX = 'motcua_t_';
export const TEMPLATE_DB_PREFIX = 'motcua_tpl_';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = loadConfig().db.url;
  if (!url) {
    throw new Error('Tests need PostgreSQL: run them with `npm test`, or set DATABASE_URL to a server.');
  }
  return url;
}

/** Builds the migrated template once per schema version; concurrent test processes wait on a lock. */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `${TEMPLATE_DB_PREFIX}${createHash('sha256').update(schemaFingerprint()).digest('hex').slice(0, 12)}`;
  await withClient(adminUrl, async (client) => {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) {
        return;
      }
      const building = `${name}_build_${process.pid}`;
      await client.query(`drop database if exists ${building}`);
      await client.query(`create database ${building}`);
      const handle = openDatabase(databaseUrl(adminUrl, building), { max: 2 });
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
      await client.query(`alter database ${building} rename to ${name}`);
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

/** A new, migrated, empty database for one test file. */
export async function createTestDatabase(opts: { poolMax?: number } = {}): Promise<TestDatabase> {
  const adminUrl = serverUrl();
  const template = await ensureTemplate(adminUrl);
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`create database ${name} template ${template}`));
  const url = databaseUrl(adminUrl, name);
  const handle = openDatabase(url, { max: opts.poolMax ?? 10 });
  return {
    ...handle,
    url,
    name,
    async drop() {
      await handle.close();
      await withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Drops the templates and any test database a crashed run left behind. */
export async function dropTestDatabases(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like '${TEST_DB_PREFIX}%' or datname like '${TEMPLATE_DB_PREFIX}%'`,
    );
    for (const { datname } of rows) {
      await client.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
    }
  });
}

/**
 * Runs `fn` while PostgreSQL refuses every `operation` statement on `table` that writes more than one row:
 * what a batch's statement meets when one of its rows is bad, so the one-row-at-a-time fall-back runs.
 */
export async function refusingBatches<T>(
  db: Database,
  table: 'notification' | 'zalo_follower',
  operation: 'insert' | 'update',
  fn: () => Promise<T>,
): Promise<T> {
  await sql`create function refuse_batches() returns trigger language plpgsql as $$
    begin
      if (select count(*) from new_rows) > 1 then raise exception 'one row at a time'; end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger refuse_batches after ${sql.raw(operation)} on ${sql.table(table)}
    referencing new table as new_rows for each statement execute function refuse_batches()`.execute(db);
  try {
    return await fn();
  } finally {
    await sql`drop trigger refuse_batches on ${sql.table(table)}`.execute(db);
    await sql`drop function refuse_batches()`.execute(db);
  }
}

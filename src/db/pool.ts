import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import type { DB } from './schema.ts';

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Anything that can run a query: the pool or an open transaction. */
export type Queryable = Database | Tx;

// Dates (OID 1082) stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
pg.types.setTypeParser(1082, (v) => v);
// int8 (OID 20) as a number: counts and bigint ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Opens a pooled Kysely instance on one PostgreSQL database. */
export function openDatabase(url: string, opts: { max?: number; logger?: Logger } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, application_name: 'motcua-zalo' });
  pool.on('error', (err) => opts.logger?.error({ err }, 'idle database client failed'));
  pool.on('connect', (client) =>
    client.on('error', (err) => opts.logger?.error({ err }, 'database client failed')),
  );
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    async close() {
      await db.destroy();
    },
  };
}

import { createHash } from 'node:crypto';
import {
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
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

/**
 * Opens a pooled Kysely instance on one PostgreSQL database. With `preparedStatements` (the default), each
 * connection prepares the statements it runs (see `preparing`).
 */
export function openDatabase(
  url: string,
  opts: { max?: number; logger?: Logger; preparedStatements?: boolean } = {},
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: 'motcua-zalo',
    // A server that does not answer (or a pool with no free connection for this long) fails the request with
    // a 503 instead of holding it until the operating system gives up on the connection, minutes later.
    connectionTimeoutMillis: 15_000,
  });
  pool.on('error', (err) => opts.logger?.error({ err }, 'idle database client failed'));
  // Connections still open: pool.end() resolves once each was told to end, not once it has closed.
  const closing = new Set<Promise<void>>();
  pool.on('connect', (client) => {
    client.on('error', (err) => opts.logger?.error({ err }, 'database client failed'));
    const closed = new Promise<void>((resolve) => client.once('end', () => resolve()));
    closing.add(closed);
    void closed.then(() => closing.delete(closed));
  });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool: opts.preparedStatements === false ? pool : preparing(pool),
      // `.stream()` reads a large result in chunks through a server-side cursor (the Excel export).
      cursor: Cursor,
    }),
  });
  return {
    db,
    pool,
    async close() {
      await db.destroy();
      // Resolved when every connection has closed, so that a server stopped next (the embedded one) does not
      // cut connections that are still saying goodbye (at most 2 s: a server that vanished never answers).
      await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 2000).unref())]);
    },
  };
}

/** Most statements one connection keeps prepared: each holds its plan in the connection's PostgreSQL backend. */
export const MAX_PREPARED_PER_CONNECTION = 200;

/**
 * The pool as Kysely sees it, where every statement with parameters runs as a named prepared statement
 * (named by a hash of its text), up to MAX_PREPARED_PER_CONNECTION per connection; statements beyond that run
 * unnamed, as before. PostgreSQL then plans a statement once per connection (or keeps planning it when a
 * generic plan would cost more) instead of at every call: planning was about 40 % of the database's work per
 * status change, 0.1–0.7 ms per statement (measured with pg_stat_statements), and the planners went from
 * 330–620 to 1 166 status changes a second.
 *
 * A prepared statement whose result columns change (another node's migration adding a column to a table read
 * with `*`) is refused with "cached plan must not change result type": outside a transaction it is run again at
 * once, unprepared, so the caller never sees it; inside one the error stands (the transaction is aborted
 * already). Either way its connection is closed rather than returned to the pool, so the next use prepares it
 * afresh.
 */
export function preparing(pool: pg.Pool): PostgresPool {
  const names = new WeakMap<pg.PoolClient, Set<string>>();
  return {
    async connect() {
      const client = await pool.connect();
      let prepared = names.get(client);
      if (!prepared) {
        prepared = new Set();
        names.set(client, prepared);
      }
      const known = prepared;
      let stale: Error | undefined;
      // Kysely's transactions run on one checkout: `begin` / `start transaction` … `commit` / `rollback`.
      let inTransaction = false;
      const query = async (text: string, values: readonly unknown[]) => {
        if (/^(begin|start transaction)\b/i.test(text)) {
          inTransaction = true;
        } else if (/^(commit|rollback)$/i.test(text)) {
          inTransaction = false;
        }
        const name = values.length > 0 ? statementName(text) : undefined;
        if (!name || (!known.has(name) && known.size >= MAX_PREPARED_PER_CONNECTION)) {
          return client.query(text, [...values]);
        }
        known.add(name);
        try {
          return await client.query({ name, text, values: [...values] });
        } catch (err) {
          if ((err as { code?: string }).code === '0A000' && /cached plan/.test((err as Error).message)) {
            stale = err as Error;
            if (!inTransaction) {
              // Refused before it ran: run it once more, unprepared (the connection is replaced on release).
              return client.query(text, [...values]);
            }
          }
          throw err;
        }
      };
      return {
        query: ((text: unknown, values: readonly unknown[]) =>
          typeof text === 'string'
            ? query(text, values)
            : client.query(text as never)) as unknown as PostgresPoolClient['query'],
        release() {
          client.release(stale);
        },
      };
    },
    end: () => pool.end(),
    // Kysely opens a separate connection with these to cancel a query whose caller gave up on it.
    options: pool.options,
    Client: pg.Client,
  };
}

/** Names by statement text: hashing the text on every call was about 1 % of a transition's CPU. */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `k${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
    // Statements are a fixed set of shapes; a runaway set (texts with inlined values) must not grow the map.
    if (statementNames.size < 5000) {
      statementNames.set(text, name);
    }
  }
  return name;
}

import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

/**
 * Fixed-window counters in PostgreSQL, shared by every app node (no memory state). Used for login failures
 * and, later, public look-ups.
 */
function windowStart(now: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** Adds one hit and returns the count in the current window. */
export async function addHit(db: Queryable, key: string, windowSeconds: number, now: Date): Promise<number> {
  const row = await db
    .insertInto('rate_limit_hit')
    .values({ key, window_start: windowStart(now, windowSeconds), hits: 1 })
    .onConflict((oc) =>
      oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limit_hit.hits + 1` }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

/**
 * Adds one hit to each key and returns every key's count in the current window, in one statement: callers
 * decide on the returned counts, so parallel requests cannot all read the count before any of them adds to
 * it (30 parallel guesses used to be evaluated against a limit of 5). Keys are locked in a fixed order, so
 * two requests sharing keys never wait on each other in a cycle.
 */
export async function addHits(
  db: Queryable,
  keys: readonly string[],
  windowSeconds: number,
  now: Date,
): Promise<Map<string, number>> {
  const sorted = [...new Set(keys)].sort();
  const start = windowStart(now, windowSeconds);
  const rows = await db
    .insertInto('rate_limit_hit')
    .values(sorted.map((key) => ({ key, window_start: start, hits: 1 })))
    .onConflict((oc) =>
      oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limit_hit.hits + 1` }),
    )
    .returning(['key', 'hits'])
    .execute();
  return new Map(rows.map((r) => [r.key, r.hits]));
}

/** Takes back one hit of each key in the current window (an attempt that turned out not to be a failure). */
export async function removeHits(
  db: Queryable,
  keys: readonly string[],
  windowSeconds: number,
  now: Date,
): Promise<void> {
  await db
    .updateTable('rate_limit_hit')
    .set({ hits: sql`greatest(hits - 1, 0)` })
    .where('key', 'in', [...new Set(keys)])
    .where('window_start', '=', windowStart(now, windowSeconds))
    .execute();
}

export async function countHits(
  db: Queryable,
  key: string,
  windowSeconds: number,
  now: Date,
): Promise<number> {
  const row = await db
    .selectFrom('rate_limit_hit')
    .select('hits')
    .where('key', '=', key)
    .where('window_start', '=', windowStart(now, windowSeconds))
    .executeTakeFirst();
  return row?.hits ?? 0;
}

export async function clearHits(db: Queryable, key: string): Promise<void> {
  await db.deleteFrom('rate_limit_hit').where('key', '=', key).execute();
}

/** Seconds until the current window ends. */
export function secondsToWindowEnd(now: Date, windowSeconds: number): number {
  const end = windowStart(now, windowSeconds).getTime() + windowSeconds * 1000;
  return Math.max(1, Math.ceil((end - now.getTime()) / 1000));
}

/** Deletes windows older than a day. */
export async function pruneHits(db: Queryable, now: Date): Promise<void> {
  await db
    .deleteFrom('rate_limit_hit')
    .where('window_start', '<', new Date(now.getTime() - 86_400_000))
    .execute();
}

import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

export interface Taken {
  /** Tokens granted, from 0 to the number asked for. */
  granted: number;
  /** When fewer were granted than asked: the seconds until the next token. */
  waitSeconds: number;
}

/**
 * A token bucket in PostgreSQL, shared by every worker node: one atomic statement refills the bucket by the
 * time elapsed and takes up to `wanted` tokens at once. A dispatcher takes a whole batch's tokens in one
 * round trip, so the single bucket row is updated once per batch, not once per message (one row updated per
 * message capped the sends at ~750/s, each update waiting for its WAL flush while holding the row).
 */
export async function takeTokens(
  db: Queryable,
  name: string,
  wanted: number,
  capacity: number,
  refillPerSecond: number,
): Promise<Taken> {
  const taken = await takeTokensStatement(name, wanted, capacity, refillPerSecond).execute(db);
  const row = taken.rows[0];
  const granted = Math.max(0, Number(row?.granted ?? 0));
  const left = Number(row?.left ?? 0);
  return {
    granted,
    waitSeconds: granted >= wanted ? 0 : Math.max(0.01, (1 - left) / refillPerSecond),
  };
}

/** The take in one statement: creates the bucket full on first use, else refills it by the time elapsed. */
export function takeTokensStatement(name: string, wanted: number, capacity: number, refillPerSecond: number) {
  // Every SET expression reads the row as it was: `refilled` is the level before this take.
  const refilled = sql<number>`least(b.capacity, b.tokens + extract(epoch from (clock_timestamp() - b.updated_at)) * b.refill_per_second)`;
  const granting = sql<number>`least(${wanted}::int, floor(${refilled})::int)`;
  const first = Math.min(wanted, capacity);
  return sql<{ granted: number; left: number }>`
    insert into send_rate_bucket as b (name, tokens, capacity, refill_per_second, updated_at, granted)
    values (${name}, ${capacity - first}, ${capacity}, ${refillPerSecond}, clock_timestamp(), ${first})
    on conflict (name) do update set granted = ${granting}, tokens = ${refilled} - ${granting},
      updated_at = clock_timestamp(), capacity = ${capacity}, refill_per_second = ${refillPerSecond}
    returning b.granted, b.tokens as left`;
}

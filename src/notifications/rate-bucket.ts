import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

/**
 * A token bucket in PostgreSQL, shared by every worker node: one atomic statement refills by the time elapsed
 * and takes a token. Returns 0 when a token was taken, otherwise the seconds to wait for one.
 */
export async function takeToken(
  db: Queryable,
  name: string,
  capacity: number,
  refillPerSecond: number,
): Promise<number> {
  const refilled = sql<number>`least(b.capacity, b.tokens + extract(epoch from (clock_timestamp() - b.updated_at)) * b.refill_per_second)`;
  const taken = await sql<{ tokens: number }>`
    insert into send_rate_bucket as b (name, tokens, capacity, refill_per_second, updated_at)
    values (${name}, ${capacity - 1}, ${capacity}, ${refillPerSecond}, clock_timestamp())
    on conflict (name) do update set tokens = ${refilled} - 1, updated_at = clock_timestamp(),
      capacity = ${capacity}, refill_per_second = ${refillPerSecond}
    where ${refilled} >= 1
    returning b.tokens`.execute(db);
  if (taken.rows.length > 0) {
    return 0;
  }
  const current = await sql<{
    tokens: number;
  }>`select ${refilled} as tokens from send_rate_bucket b where b.name = ${name}`.execute(db);
  return Math.max(0.01, (1 - (current.rows[0]?.tokens ?? 0)) / refillPerSecond);
}

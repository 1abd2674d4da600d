import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

/**
 * The SMS gateway's and the mail server's recent outcomes, one row each, written by the fallback sender with
 * each attempt (SMS and e-mail are the rare fallbacks, not the Zalo flow): the health checks raise
 * `gateway.sms` / `gateway.email` after ALERT_GATEWAY_FAILURES failures in a row without reading attempts.
 */
export async function recordGatewayOutcome(
  db: Queryable,
  channel: 'sms' | 'email',
  outcome: { ok: true } | { ok: false; message: string },
): Promise<void> {
  const error = outcome.ok ? null : outcome.message.slice(0, 300);
  await sql`
    insert into gateway_health as g (channel, last_success_at, last_failure_at, failures_in_row, last_error)
    values (${channel}, ${outcome.ok ? sql`now()` : null}, ${outcome.ok ? null : sql`now()`},
            ${outcome.ok ? 0 : 1}, ${error})
    on conflict (channel) do update set
      last_success_at = coalesce(excluded.last_success_at, g.last_success_at),
      last_failure_at = coalesce(excluded.last_failure_at, g.last_failure_at),
      failures_in_row = case when ${outcome.ok} then 0 else g.failures_in_row + 1 end,
      last_error = coalesce(excluded.last_error, g.last_error),
      updated_at = now()`.execute(db);
}

export function gatewayHealth(db: Queryable) {
  return db.selectFrom('gateway_health').selectAll().execute();
}

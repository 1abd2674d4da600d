import { setTimeout as wait } from 'node:timers/promises';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';

/**
 * Waits until every integration event written so far is below the oldest transaction still running on the
 * PostgreSQL server, that is until the pull feed (and the callback claim) may serve it. Snapshots span the
 * whole server, so a transaction of another test file, in another database, holds our events back while it
 * runs: the feed is right to wait, and so must a test that expects to read them. The condition is the
 * feed's own, read from the database; it gives up after `timeoutMs` and the test's assertion then says what
 * is missing.
 */
export async function eventsReleased(app: AppContext, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql<{ released: boolean }>`
      select coalesce(max(tx) < pg_snapshot_xmin(pg_current_snapshot()), true) as released
      from integration_event`.execute(app.db);
    if (rows[0]?.released || Date.now() > deadline) {
      return;
    }
    await wait(10);
  }
}

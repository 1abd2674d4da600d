import { sql } from 'kysely';
import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { invalid } from '../errors.ts';
import { eventBody } from './callback-lane.ts';

/**
 * GET /api/v1/events?after=<cursor>: the same events as the callbacks, for systems that cannot receive calls.
 * The cursor is `<transaction id>.<event id>`; events are read in that order and only from transactions older
 * than every one still running, so an event committed late is never behind a cursor already handed out.
 */
export async function eventsAfter(app: AppContext, actor: Actor, after: string | undefined, limit: number) {
  let tx = '0';
  let id = 0;
  if (after) {
    const m = /^(\d{1,20})\.(\d{1,20})$/.exec(after);
    if (!m) {
      throw invalid('after', 'after must be a cursor returned by this endpoint', 'Con trỏ không hợp lệ.');
    }
    tx = m[1]!;
    id = Number(m[2]);
  }
  const { rows } = await sql<{
    tx: string;
    event_id: number;
    type: string;
    dossier_code: string | null;
    at: Date;
    data: Record<string, unknown>;
  }>`
    select tx::text as tx, id as event_id, type, dossier_code, at, data from integration_event
    where agency_id = ${actor.agencyId} and (tx, id) > (${tx}::xid8, ${id}::bigint)
      and tx < pg_snapshot_xmin(pg_current_snapshot())
    order by tx, id
    limit ${limit}`.execute(app.db);
  const last = rows.at(-1);
  return {
    items: rows.map((r) => ({ ...eventBody(r), cursor: `${r.tx}.${r.event_id}` })),
    nextCursor: last ? `${last.tx}.${last.event_id}` : (after ?? '0.0'),
  };
}

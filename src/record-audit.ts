import { type Actor, actorColumns } from './actor.ts';
import type { Queryable } from './db/pool.ts';

/**
 * Appends to the audit journal (who did what) — in the caller's transaction, so the change and its record
 * commit together. The table rejects updates and deletes.
 */
export async function recordAudit(
  db: Queryable,
  actor: Actor | { kind: 'system'; name: string },
  action: string,
  target: { type: string; id: string | number },
  data: Record<string, unknown> = {},
  ip: string | null = null,
): Promise<void> {
  const who =
    actor.kind === 'system'
      ? { actor_user_id: null, actor_api_key_id: null, actor_name: actor.name, agency_id: null }
      : { ...actorColumns(actor), agency_id: actor.agencyId };
  await db
    .insertInto('audit_event')
    .values({
      ...who,
      action,
      target_type: target.type,
      target_id: String(target.id),
      data: JSON.stringify(data),
      ip,
    })
    .execute();
}

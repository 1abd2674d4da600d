import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { type Actor, requireRole } from '../auth/actor.ts';
import { addDays, vnInstant } from '../calendar/dates.ts';
import { AUDIT_ACTIONS, type TAuditPage, type ZAuditQuery } from '../contracts/audit.ts';
import { foldForSearch } from '../contracts/text.ts';
import { escapeLike } from '../db/like.ts';

/**
 * Nhật ký hệ thống: the audit journal, newest first, for administrators. Pages are read without counting the
 * journal (it only grows): one row more than the page says whether another page follows.
 */
export async function listAuditEvents(
  app: AppContext,
  by: Actor,
  query: z.output<typeof ZAuditQuery>,
): Promise<TAuditPage> {
  requireRole(by, ['admin'], 'read the audit journal');
  let q = app.db
    .selectFrom('audit_event as e')
    .leftJoin('agency as a', 'a.id', 'e.agency_id')
    .select([
      'e.id',
      'e.at',
      'e.actor_user_id',
      'e.actor_api_key_id',
      'e.actor_name',
      'a.name as agency_name',
      'e.action',
      'e.target_type',
      'e.target_id',
      'e.data',
      'e.ip',
    ]);
  if (query.action) {
    q = q.where('e.action', '=', query.action);
  }
  if (query.from) {
    q = q.where('e.at', '>=', vnInstant(query.from));
  }
  if (query.to) {
    q = q.where('e.at', '<', vnInstant(addDays(query.to, 1)));
  }
  const text = query.q?.trim();
  if (text && /^\d+$/.test(text)) {
    // A number is an id (of an account, a key, a notification …), not part of a name.
    q = q.where('e.target_id', '=', text);
  } else if (text) {
    const name = `%${escapeLike(foldForSearch(text))}%`;
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`immutable_unaccent(lower(e.actor_name)) like ${name}`,
        eb('e.target_id', '=', text),
      ]),
    );
  }
  const rows = await q
    .orderBy('e.id', 'desc')
    .limit(query.pageSize + 1)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return {
    items: rows.slice(0, query.pageSize).map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      actor: {
        kind: r.actor_user_id !== null ? 'user' : r.actor_api_key_id !== null ? 'api_key' : 'system',
        name: r.actor_name,
        agencyName: r.agency_name,
      },
      action: r.action,
      actionLabel: AUDIT_ACTIONS[r.action] ?? r.action,
      target: { type: r.target_type, id: r.target_id },
      data: (r.data ?? {}) as Record<string, unknown>,
      ip: r.ip,
    })),
    page: query.page,
    pageSize: query.pageSize,
    hasMore: rows.length > query.pageSize,
  };
}

import { sql } from 'kysely';
import type { z } from 'zod';
import { type Actor, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { addDays, vnInstant } from '../calendar/index.ts';
import { AUDIT_ACTIONS, AUDIT_TARGETS, type TAuditPage, type ZAuditQuery } from '../contracts/audit.ts';
import { ROLES, type RoleName } from '../contracts/statuses.ts';
import { foldForSearch } from '../contracts/text.ts';
import { escapeLike } from '../db/like.ts';
import { bindingLabel } from '../notifications/index.ts';

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
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    // What the target is called: accounts by username, keys by name (target ids are text).
    .leftJoin('app_user as tu', (j) =>
      j.on('e.target_type', '=', 'app_user').on(sql`tu.id::text`, '=', sql.ref('e.target_id')),
    )
    .leftJoin('api_key as tk', (j) =>
      j.on('e.target_type', '=', 'api_key').on(sql`tk.id::text`, '=', sql.ref('e.target_id')),
    )
    .leftJoin('procedure as tp', (j) =>
      j.on('e.target_type', '=', 'procedure').on(sql`tp.id::text`, '=', sql.ref('e.target_id')),
    )
    .select([
      'e.id',
      'e.at',
      'e.actor_user_id',
      'e.actor_api_key_id',
      'e.actor_name',
      'u.username as actor_username',
      'u.role as actor_role',
      'tu.username as target_username',
      'tk.name as target_key_name',
      'tp.code as target_procedure_code',
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
        eb('u.username', '=', text.toLowerCase()),
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
        username: r.actor_username,
        roleLabel:
          r.actor_role !== null
            ? ROLES[r.actor_role as RoleName]
            : r.actor_api_key_id !== null
              ? 'Khóa API'
              : 'Hệ thống',
        agencyName: r.agency_name,
      },
      action: r.action,
      actionLabel: AUDIT_ACTIONS[r.action] ?? r.action,
      target: {
        type: r.target_type,
        id: r.target_id,
        label: targetLabel(
          r.target_type,
          r.target_id,
          r.target_username ?? r.target_key_name ?? r.target_procedure_code,
        ),
      },
      data: (r.data ?? {}) as Record<string, unknown>,
      ip: r.ip,
    })),
    page: query.page,
    pageSize: query.pageSize,
    hasMore: rows.length > query.pageSize,
  };
}

/** "Tài khoản nv.an", "Khóa API Phần mềm một cửa", "Ngày 02/01/2026", "Thông báo số 12". */
function targetLabel(type: string, id: string, name: string | null): string {
  const kind = AUDIT_TARGETS[type] ?? type;
  if (name) {
    return `${kind} ${name}`;
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(id);
  if (day) {
    return `${kind} ${day[3]}/${day[2]}/${day[1]}`;
  }
  if (type === 'status_change' && id === 'all') {
    return 'Mọi lần chuyển trạng thái chưa lập được thông báo';
  }
  if (type === 'zalo_template_binding') {
    return `${kind} (${bindingLabel(id)})`;
  }
  if (['zalo_connection', 'oa_qr_image'].includes(type) || id === '') {
    return kind;
  }
  return /^\d+$/.test(id) ? `${kind} số ${id}` : `${kind} ${id}`;
}

import { type Actor, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { ROLES } from '../contracts/statuses.ts';
import { cleanText } from '../contracts/text.ts';
import type { Role } from '../db/schema.ts';
import { invalid, NotFound } from '../errors.ts';
import { requireAgency } from '../organisation/index.ts';
import { recordAudit } from '../record-audit.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';
import { storePassword } from './users.ts';

/** Người dùng (administrators): every officer account of the province. */
export async function listUsers(app: AppContext, by: Actor) {
  requireRole(by, ['admin'], 'list users');
  const rows = await app.db
    .selectFrom('app_user as u')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select([
      'u.id',
      'u.username',
      'u.full_name',
      'u.role',
      'u.agency_id',
      'a.name as agency_name',
      'u.disabled_at',
      'u.created_at',
    ])
    .orderBy('a.id')
    .orderBy('u.username')
    .execute();
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    fullName: u.full_name,
    role: u.role,
    roleLabel: ROLES[u.role],
    agencyId: u.agency_id,
    agencyName: u.agency_name,
    disabled: u.disabled_at !== null,
    createdAt: new Date(u.created_at).toISOString(),
  }));
}

export interface UserUpdate {
  fullName?: string;
  role?: Role;
  agencyId?: number;
  disabled?: boolean;
  password?: string;
}

/**
 * Changes an account. Disabling, moving to another agency, changing the role or setting a password ends the
 * user's sessions. Administrators cannot disable or demote themselves (someone must stay able to administer).
 */
export async function updateUser(app: AppContext, by: Actor, id: number, patch: UserUpdate) {
  requireRole(by, ['admin'], 'change users');
  if (
    by.kind === 'user' &&
    by.id === id &&
    (patch.disabled === true || (patch.role && patch.role !== 'admin'))
  ) {
    throw invalid(
      'role',
      'administrators cannot disable or demote themselves',
      'Bạn không thể tự khóa hoặc hạ quyền tài khoản của mình.',
    );
  }
  const fullName = patch.fullName === undefined ? undefined : cleanText(patch.fullName);
  if (fullName !== undefined && (!fullName || fullName.length > 100)) {
    throw invalid(
      'fullName',
      'fullName must be 1–100 characters',
      'Vui lòng nhập họ và tên (tối đa 100 ký tự).',
    );
  }
  if (patch.password !== undefined) {
    const target = await app.db
      .selectFrom('app_user')
      .select('username')
      .where('id', '=', id)
      .executeTakeFirst();
    checkPasswordStrength(patch.password, 'password', target?.username);
  }
  const hash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  await app.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('app_user')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) {
      throw NotFound('user', String(id), 'Không tìm thấy người dùng.');
    }
    if (patch.agencyId !== undefined) {
      await requireAgency(tx, patch.agencyId);
    }
    const endsSessions =
      patch.disabled === true ||
      (patch.role !== undefined && patch.role !== before.role) ||
      (patch.agencyId !== undefined && patch.agencyId !== before.agency_id);
    await tx
      .updateTable('app_user')
      .set((eb) => ({
        ...(fullName !== undefined && { full_name: fullName }),
        ...(patch.role !== undefined && { role: patch.role }),
        ...(patch.agencyId !== undefined && { agency_id: patch.agencyId }),
        ...(patch.disabled !== undefined && { disabled_at: patch.disabled ? app.clock() : null }),
        ...(endsSessions && { session_version: eb('session_version', '+', 1) }),
        updated_at: app.clock(),
      }))
      .where('id', '=', id)
      .execute();
    if (hash) {
      await storePassword(tx, { id }, hash, app.clock());
    }
    const { password: _p, ...logged } = patch;
    await recordAudit(
      tx,
      by,
      'user.update',
      { type: 'app_user', id },
      { ...logged, passwordChanged: hash !== undefined },
    );
  });
  return (await listUsers(app, by)).find((u) => u.id === id)!;
}

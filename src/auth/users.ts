import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { cleanText } from '../contracts/text.ts';
import type { Queryable } from '../db/pool.ts';
import type { Role } from '../db/schema.ts';
import { AppError, Conflict, invalid, TooManyRequests } from '../errors.ts';
import { requireAgency } from '../organisation/index.ts';
import { addHits, clearHits, removeHits, secondsToWindowEnd } from '../rate-limit/index.ts';
import { recordAudit } from '../record-audit.ts';
import { checkPasswordStrength, decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import type { SessionClaims } from './session-cookie.ts';
import { openSession } from './sessions.ts';

export interface SessionUser {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  agencyId: number;
  agencyName: string;
  agencyCode: string;
  passwordIsDefault: boolean;
}

export function actorOf(user: SessionUser): Actor {
  return {
    kind: 'user',
    id: user.id,
    name: user.fullName,
    username: user.username,
    role: user.role,
    agencyId: user.agencyId,
  };
}

function userQuery(app: AppContext) {
  return app.db
    .selectFrom('app_user as u')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select([
      'u.id',
      'u.username',
      'u.full_name as fullName',
      'u.role',
      'u.agency_id as agencyId',
      'a.name as agencyName',
      'a.code as agencyCode',
      'u.password_is_default as passwordIsDefault',
      'u.password_hash',
      'u.session_version',
      'u.disabled_at',
    ]);
}

/**
 * The user behind valid session claims, or undefined if disabled or the session was ended. One indexed
 * statement per request, as before sessions were kept: nothing is cached, so an ended session is refused by
 * every node at once.
 */
export async function sessionUser(app: AppContext, claims: SessionClaims): Promise<SessionUser | undefined> {
  const row = await userQuery(app)
    .where('u.id', '=', claims.userId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('app_session as s')
          .select('s.id')
          .where('s.id', '=', claims.sessionId)
          .whereRef('s.user_id', '=', 'u.id')
          .where('s.expires_at', '>', app.clock()),
      ),
    )
    .executeTakeFirst();
  if (!row || row.disabled_at || row.session_version !== claims.sessionVersion) {
    return undefined;
  }
  const { password_hash: _h, session_version: _v, disabled_at: _d, ...user } = row;
  return user;
}

/**
 * Checks a username and password. Attempts are counted per account and address, and per address, in
 * PostgreSQL (shared by every node) before the password is looked at: past either limit the attempt is
 * refused with 429 until the window ends, without hashing anything or writing an audit row. A successful
 * login takes its attempt back.
 */
export async function login(
  app: AppContext,
  input: { username: string; password: string; ip: string },
): Promise<{ user: SessionUser; cookie: string }> {
  const username = input.username.trim().toLowerCase();
  const now = app.clock();
  const window = app.config.login.windowMinutes * 60;
  const key = `login:${username}:${input.ip}`;
  const addressKey = `login-ip:${input.ip}`;
  const counts = await addHits(app.db, [key, addressKey], window, now);
  const wait = secondsToWindowEnd(now, window);
  if ((counts.get(key) ?? 0) > app.config.login.maxFailures) {
    throw TooManyRequests(
      `Too many failed logins for ${username} from this address; retry in ${wait} s`,
      `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(wait / 60)} phút.`,
      wait,
    );
  }
  if ((counts.get(addressKey) ?? 0) > app.config.login.maxFailuresPerIp) {
    throw TooManyRequests(
      `Too many failed logins from this address; retry in ${wait} s`,
      `Có quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau ${Math.ceil(wait / 60)} phút.`,
      wait,
    );
  }
  const row = await userQuery(app).where('u.username', '=', username).executeTakeFirst();
  const ok = await verifyPassword(row?.password_hash ?? (await decoyPasswordHash()), input.password);
  if (!row || !ok || row.disabled_at) {
    await recordAudit(
      app.db,
      { kind: 'system', name: username || '(trống)' },
      'auth.login_failed',
      {
        type: 'app_user',
        id: row?.id ?? username,
      },
      {},
      input.ip,
    );
    throw new AppError(
      'invalid_credentials',
      'Wrong username or password',
      'Tên đăng nhập hoặc mật khẩu không đúng.',
    );
  }
  await clearHits(app.db, key);
  await removeHits(app.db, [addressKey], window, now);
  const { password_hash: _h, session_version, disabled_at: _d, ...user } = row;
  await recordAudit(app.db, actorOf(user), 'auth.login', { type: 'app_user', id: user.id }, {}, input.ip);
  return {
    user,
    cookie: await openSession(app, app.db, { id: user.id, sessionVersion: session_version }, input.ip),
  };
}

/** Changes the user's own password; every other session of the user ends. Returns a fresh cookie. */
export async function changePassword(
  app: AppContext,
  actor: Actor & { kind: 'user' },
  input: { currentPassword: string; newPassword: string },
  ip: string | null = null,
): Promise<string> {
  // Counted before the current password is looked at, as logins are: a stolen session cannot be used to
  // guess the password (and keep the account) at argon2's speed.
  const now = app.clock();
  const window = app.config.login.windowMinutes * 60;
  const key = `password-change:${actor.id}`;
  if (((await addHits(app.db, [key], window, now)).get(key) ?? 0) > app.config.login.maxFailures) {
    const wait = secondsToWindowEnd(now, window);
    throw TooManyRequests(
      `Too many wrong current passwords; retry in ${wait} s`,
      `Nhập sai mật khẩu hiện tại quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(wait / 60)} phút.`,
      wait,
    );
  }
  const current = await app.db
    .selectFrom('app_user')
    .select('password_hash')
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(current.password_hash, input.currentPassword))) {
    await recordAudit(
      app.db,
      actor,
      'auth.password_change_failed',
      { type: 'app_user', id: actor.id },
      {},
      ip,
    );
    throw invalid('currentPassword', 'current password is wrong', 'Mật khẩu hiện tại không đúng.');
  }
  await removeHits(app.db, [key], window, now);
  if (input.currentPassword === input.newPassword) {
    throw invalid(
      'newPassword',
      'new password equals the current one',
      'Mật khẩu mới phải khác mật khẩu hiện tại.',
    );
  }
  checkPasswordStrength(input.newPassword, 'newPassword', actor.username);
  const hash = await hashPassword(input.newPassword);
  return app.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('app_user')
      .select(['password_hash'])
      .where('id', '=', actor.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.password_hash !== current.password_hash) {
      // Changed by another request since it was checked: the current password given is no longer current.
      throw invalid('currentPassword', 'current password is wrong', 'Mật khẩu hiện tại không đúng.');
    }
    const updated = (await storePassword(tx, { id: actor.id }, hash, app.clock()))!;
    await recordAudit(tx, actor, 'auth.password_changed', { type: 'app_user', id: actor.id }, {}, ip);
    return openSession(app, tx, { id: actor.id, sessionVersion: updated.session_version }, ip);
  });
}

export interface NewUser {
  username: string;
  fullName: string;
  role: Role;
  agencyId: number;
  password: string;
  passwordIsDefault?: boolean;
}

/** Creates an officer account. */
export async function createUser(
  app: AppContext,
  by: Actor | { kind: 'system'; name: string },
  input: NewUser,
) {
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z0-9._-]{3,64}$/.test(username)) {
    throw invalid(
      'username',
      'username must be 3–64 characters: a–z, 0–9, dot, dash, underscore',
      'Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.',
    );
  }
  const fullName = cleanText(input.fullName);
  if (!fullName || fullName.length > 100) {
    throw invalid(
      'fullName',
      'fullName must be 1–100 characters',
      'Vui lòng nhập họ và tên (tối đa 100 ký tự).',
    );
  }
  if (!input.passwordIsDefault) {
    checkPasswordStrength(input.password, 'password', username);
  }
  const hash = await hashPassword(input.password);
  return app.db.transaction().execute(async (tx) => {
    await requireAgency(tx, input.agencyId);
    const taken = await tx
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (taken) {
      throw Conflict('username_taken', `Username ${username} is taken`, 'Tên đăng nhập đã được sử dụng.');
    }
    const row = await tx
      .insertInto('app_user')
      .values({
        username,
        full_name: fullName,
        role: input.role,
        agency_id: input.agencyId,
        password_hash: hash,
        password_is_default: input.passwordIsDefault ?? false,
      })
      .returning(['id', 'username', 'full_name', 'role', 'agency_id'])
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      by,
      'user.create',
      { type: 'app_user', id: row.id },
      { username, role: input.role },
    );
    return row;
  });
}

/**
 * Writes a new password hash and ends every session of the user (their cookies carry the old
 * session_version, and their session rows are deleted). Returns undefined when no such user exists.
 */
export async function storePassword(
  db: Queryable,
  who: { id: number } | { username: string },
  hash: string,
  now: Date,
): Promise<{ id: number; session_version: number } | undefined> {
  const updated = await db
    .updateTable('app_user')
    .set((eb) => ({
      password_hash: hash,
      password_is_default: false,
      session_version: eb('session_version', '+', 1),
      updated_at: now,
    }))
    .where((eb) => ('id' in who ? eb('id', '=', who.id) : eb('username', '=', who.username)))
    .returning(['id', 'session_version'])
    .executeTakeFirst();
  if (updated) {
    await db.deleteFrom('app_session').where('user_id', '=', updated.id).execute();
  }
  return updated;
}

import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import { signSession } from './session-cookie.ts';

/**
 * Server-side officer sessions (`app_session`). A login opens one and the cookie names it; logout deletes it,
 * so a copied cookie stops working at once on every node. Ending all of a user's sessions (password change,
 * disabling, "sign out everywhere") bumps app_user.session_version and deletes their rows.
 */
export async function openSession(
  app: AppContext,
  db: Queryable,
  user: { id: number; sessionVersion: number },
  ip: string | null,
): Promise<string> {
  const now = app.clock();
  const expiresAt = Math.floor(now.getTime() / 1000) + app.config.session.hours * 3600;
  const sessionId = randomBytes(18).toString('base64url');
  await db
    .insertInto('app_session')
    .values({ id: sessionId, user_id: user.id, expires_at: new Date(expiresAt * 1000), ip })
    .execute();
  return signSession(app.config.secrets.session, {
    userId: user.id,
    sessionVersion: user.sessionVersion,
    expiresAt,
    sessionId,
  });
}

/** Ends one session (logout). */
export async function closeSession(db: Queryable, sessionId: string): Promise<void> {
  await db.deleteFrom('app_session').where('id', '=', sessionId).execute();
}

/** Ends every session of the user, on every node; returns the user's new session_version. */
export async function closeAllSessions(db: Queryable, userId: number): Promise<number | undefined> {
  await db.deleteFrom('app_session').where('user_id', '=', userId).execute();
  const row = await db
    .updateTable('app_user')
    .set((eb) => ({ session_version: eb('session_version', '+', 1) }))
    .where('id', '=', userId)
    .returning('session_version')
    .executeTakeFirst();
  return row?.session_version;
}

/** Deletes sessions past their expiry (hourly maintenance). */
export async function pruneSessions(db: Queryable, now: Date): Promise<void> {
  await db.deleteFrom('app_session').where('expires_at', '<', now).execute();
}

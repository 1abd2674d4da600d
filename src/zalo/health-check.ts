import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { formatVnDate, vnDateOf } from '../calendar/index.ts';
import { AlertKeys, raiseAlert, resolveAlerts } from '../operations/index.ts';
import { refreshToken, refreshTokenExpiresAt, TokenUnavailable } from './token-store.ts';

/** The refresh token is renewed this long before it expires, so that an OA that sends nothing keeps its grant. */
const KEEP_ALIVE_MS = 30 * 86_400_000;
const DAY_MS = 86_400_000;

/**
 * The OA connection: broken → its alert (raised by the refresh too); not connected while messages wait for it
 * → the same alert; connected → none. A connected pair whose refresh token is older than two months is
 * renewed (an OA that sends nothing for weeks would otherwise lose it after three), and a warning is raised
 * when it will expire within ZALO_REFRESH_WARN_DAYS all the same. One of the health checks
 * (src/operations/health-checks.ts), listed in src/app-background.ts.
 */
export async function checkZaloConnection(app: AppContext): Promise<void> {
  const oaId = app.config.zalo.oaId ?? 'default';
  const read = () =>
    app.db.selectFrom('zalo_connection').selectAll().where('oa_id', '=', oaId).executeTakeFirst();
  let row = await read();
  const now = app.clock().getTime();
  let expires = row?.status === 'connected' ? refreshTokenExpiresAt(row.last_refresh_at) : null;
  // Renewed before any warning would be due.
  const renewWithin = Math.max(KEEP_ALIVE_MS, (app.config.alerts.refreshWarnDays + 1) * DAY_MS);
  if (row?.status === 'connected' && expires && expires.getTime() - now < renewWithin) {
    try {
      await refreshToken(app, { staleVersion: row.version });
    } catch (err) {
      if (!(err instanceof TokenUnavailable)) {
        throw err;
      }
    }
    row = await read();
    expires = row?.status === 'connected' ? refreshTokenExpiresAt(row.last_refresh_at) : null;
  }
  if (expires && expires.getTime() - now < app.config.alerts.refreshWarnDays * DAY_MS) {
    const days = Math.max(0, Math.floor((expires.getTime() - now) / DAY_MS));
    await raiseAlert(
      app,
      AlertKeys.refreshToken,
      'warning',
      `Mã làm mới (refresh token) Zalo hết hạn ngày ${formatVnDate(vnDateOf(expires))} (còn ${days} ngày) và chưa gia hạn được${row?.last_error ? `: ${row.last_error}` : ''}.`,
      { counted: false },
    );
  } else {
    await resolveAlerts(app, { keys: [AlertKeys.refreshToken] });
  }
  // Messages waiting for a usable token: while connected, only for long if Zalo keeps not answering refreshes.
  const waiting = await sql<{ age: number | null }>`
    select extract(epoch from now() - min(created_at))::float8 as age from notification
    where state = 'waiting' and wait_cause = 'connection'`.execute(app.db);
  const waitedSeconds = waiting.rows[0]?.age ?? null;
  // Connected, messages waiting for a token, and the access token expired N minutes ago: refreshing keeps failing.
  const limitMs = app.config.alerts.queueMinutes * 60_000;
  const stuck =
    waitedSeconds !== null &&
    row?.access_expires_at !== null &&
    row?.access_expires_at !== undefined &&
    new Date(row.access_expires_at).getTime() < now - limitMs;
  const message =
    row?.status === 'broken'
      ? `Mất kết nối Zalo OA${row.last_error ? ` (${row.last_error})` : ''}. Quản trị viên cần kết nối lại tại trang "Kết nối Zalo OA". Tin nhắn đang chờ, không bị mất.`
      : row?.status === 'connected'
        ? `Không làm mới được mã truy cập Zalo${row.last_error ? ` (${row.last_error})` : ''}: tin nhắn đang chờ. Kiểm tra máy chủ có tới được Zalo không.`
        : 'Zalo OA chưa được kết nối: tin nhắn đang chờ. Quản trị viên cần kết nối tại trang "Kết nối Zalo OA".';
  if (row?.status === 'broken' || (row?.status === 'connected' ? stuck : waitedSeconds !== null)) {
    await raiseAlert(app, AlertKeys.connection, 'error', message, { counted: false });
  } else {
    await resolveAlerts(app, { keys: [AlertKeys.connection] });
  }
}

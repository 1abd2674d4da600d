import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';

/**
 * Alerts for administrators (a banner in the officer app, e-mails, page "Tình trạng hệ thống"): one row per
 * cause, counted while it lasts and resolved when that cause is gone, so a failing send loop produces one alert,
 * not thousands. Keys are `<kind>` or `<kind>:<cause>` (src/contracts/alerts.ts): a template Zalo refuses is
 * `zalo.template:<id>`, an account problem `zalo.account:<code>`, and one cause clearing leaves the others.
 * A resolved occurrence moves to app_alert_history; raising it again opens a new one (and a new e-mail).
 * Raised by every feature that finds a problem (sends, lanes, the job runner, the health checks), so it lives
 * here, in the operations layer, which imports no feature.
 */
export const AlertKeys = {
  connection: 'zalo.connection',
  refreshToken: 'zalo.refresh_token',
  template: (templateId: string) => `zalo.template:${templateId}`,
  templateMissing: 'zalo.template.missing',
  /** Zalo rejected, locked or deleted a template (its `change_template_status` webhook, with the reason). */
  templateReview: (templateId: string) => `zalo.template_review:${templateId}`,
  /** Zalo lowered the OA's daily ZBS quota (`change_oa_daily_quota`). */
  dailyQuota: 'zalo.daily_quota',
  account: (code: number | null) => `zalo.account:${code ?? 'unknown'}`,
  payload: (templateId: string | null) => `zalo.payload:${templateId ?? 'unknown'}`,
  eventFailed: 'zalo.event.failed',
  statusChangeFailed: 'status_change.failed',
  queue: (lane: string) => `queue.stale:${lane}`,
  worker: 'worker.silent',
  gateway: (channel: 'sms' | 'email') => `gateway.${channel}`,
} as const;

/**
 * The keys of the open alerts, as this app last read them, so that the send path can tell whether a success
 * ends an alert without a statement per batch: read at most every OPEN_KEYS_MS of the app's clock, and kept in
 * step with what this app raises and resolves outside a transaction (one that rolls back would leave the copy
 * wrong; the next read catches up with those).
 */
const OPEN_KEYS_MS = 5000;
function openKeysCache(): { read?: { keys: Set<string>; at: number } } {
  return {};
}

/**
 * Opens the alert of this cause, or counts one more occurrence of it while it is open. A condition the health
 * checks find again at each run is not a new occurrence: they pass `{ counted: false }`. `db` is the caller's
 * transaction when the alert is part of it (the app's pool otherwise).
 */
export async function raiseAlert(
  app: AppContext,
  key: string,
  level: 'warning' | 'error',
  message: string,
  opts: { counted?: boolean; db?: Queryable } = {},
): Promise<void> {
  const db = opts.db ?? app.db;
  if (db === app.db) {
    app.caches.of(openKeysCache).read?.keys.add(key);
  }
  const increment = opts.counted === false ? 0 : 1;
  const reopened = <T>(column: string, value = sql<T>`null`) =>
    sql<T>`case when app_alert.resolved_at is null then ${sql.ref(`app_alert.${column}`)} else ${value} end`;
  await db
    .insertInto('app_alert')
    .values({ key, level, message })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        level,
        message,
        last_at: sql`now()`,
        count: sql`case when app_alert.resolved_at is null then app_alert.count + ${increment} else 1 end`,
        first_at: reopened<Date>('first_at', sql<Date>`now()`),
        // A new occurrence is e-mailed anew.
        mailed_at: reopened<Date | null>('mailed_at'),
        reminded_at: reopened<Date | null>('reminded_at'),
        recovery_mailed_at: reopened<Date | null>('recovery_mailed_at'),
        mail_error: reopened<string | null>('mail_error'),
        resolved_at: null,
      }),
    )
    .execute();
}

/**
 * Resolves the open alerts with these keys, or whose key starts with `prefix` (e.g. `zalo.account:`), and
 * moves each occurrence to the history, in the caller's transaction `db` if given. Returns the keys resolved.
 */
export async function resolveAlerts(
  app: AppContext,
  which: { keys?: string[]; prefix?: string },
  db: Queryable = app.db,
): Promise<string[]> {
  const keys = which.keys ?? [];
  if (keys.length === 0 && !which.prefix) {
    return [];
  }
  const prefix = which.prefix ? `${which.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const resolved = await sql<{ key: string }>`
    with resolved as (
      update app_alert set resolved_at = now()
      where resolved_at is null and (key = any(${keys}::text[]) or (${prefix}::text is not null and key like ${prefix}))
      returning key, level, message, first_at, last_at, count, mailed_at
    ), kept as (
      insert into app_alert_history (key, level, message, first_at, last_at, resolved_at, count, mailed)
      select key, level, message, first_at, last_at, now(), count, mailed_at is not null from resolved
    )
    select key from resolved`.execute(db);
  const cache = db === app.db ? app.caches.of(openKeysCache).read : undefined;
  for (const r of resolved.rows) {
    cache?.keys.delete(r.key);
  }
  return resolved.rows.map((r) => r.key);
}

/**
 * Zalo accepted messages of these templates: their template and payload alerts, and every account alert, are
 * over. Reads the open keys at most every few seconds; writes only when one of them is open.
 */
export async function resolveAlertsOnSuccess(app: AppContext, templateIds: string[]): Promise<void> {
  const cache = app.caches.of(openKeysCache);
  const now = app.clock().getTime();
  // A clock set back (tests do) makes the copy old too.
  if (!cache.read || Math.abs(now - cache.read.at) > OPEN_KEYS_MS) {
    const rows = await app.db
      .selectFrom('app_alert')
      .select('key')
      .where('resolved_at', 'is', null)
      .execute();
    cache.read = { keys: new Set(rows.map((r) => r.key)), at: now };
  }
  const ended = new Set(templateIds.flatMap((id) => [AlertKeys.template(id), AlertKeys.payload(id)]));
  const keys = [...cache.read.keys].filter((k) => k.startsWith('zalo.account:') || ended.has(k));
  if (keys.length > 0) {
    await resolveAlerts(app, { keys });
  }
}

/** One alert resolved, in the caller's transaction `db` if given. */
export async function resolveAlert(app: AppContext, key: string, db: Queryable = app.db): Promise<void> {
  await resolveAlerts(app, { keys: [key] }, db);
}

export function openAlerts(db: Queryable) {
  return db
    .selectFrom('app_alert')
    .select(['key', 'level', 'message', 'first_at', 'last_at', 'count', 'mailed_at', 'mail_error'])
    .where('resolved_at', 'is', null)
    .orderBy('last_at', 'desc')
    .execute();
}

/** Resolved occurrences, newest first. */
export function alertHistory(db: Queryable, limit = 50) {
  return db
    .selectFrom('app_alert_history')
    .select(['key', 'level', 'message', 'first_at', 'last_at', 'resolved_at', 'count', 'mailed'])
    .orderBy('resolved_at', 'desc')
    .limit(limit)
    .execute();
}

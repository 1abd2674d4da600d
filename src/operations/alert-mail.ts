import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { alertKind } from '../contracts/alerts.ts';
import { sendEmail } from '../email/index.ts';
import { escapeHtml } from '../http/html.ts';
import { metricsOf } from './metrics.ts';

/** app_meta key of the addresses administrators set on page "Tình trạng hệ thống". */
export const RECIPIENTS_KEY = 'alert_recipients';
/** A resolved alert older than this gets no "back to normal" e-mail any more (e.g. after a long mail outage). */
const RECOVERY_MAX_AGE = '1 day';
/** At most this many e-mails per run, so that a storm of alerts cannot flood the mailboxes at once. */
const MAX_PER_RUN = 20;

/**
 * Who is e-mailed about alerts: ALERT_EMAILS and the addresses set on page "Tình trạng hệ thống"; with neither,
 * the e-mail addresses of the agencies that have an active administrator account.
 */
export async function alertRecipients(app: AppContext): Promise<string[]> {
  const stored = await app.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', RECIPIENTS_KEY)
    .executeTakeFirst();
  const set = [...app.config.alerts.emails, ...((stored?.value as string[] | undefined) ?? [])];
  if (set.length > 0) {
    return [...new Set(set.map((e) => e.toLowerCase()))];
  }
  const agencies = await app.db
    .selectFrom('app_user as u')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select('a.email')
    .distinct()
    .where('u.role', '=', 'admin')
    .where('u.disabled_at', 'is', null)
    .where('a.email', 'is not', null)
    .execute();
  return agencies.map((a) => a.email!.toLowerCase());
}

type Kind = 'raised' | 'reminder' | 'resolved';

interface AlertRow {
  key: string;
  level: string;
  message: string;
  first_at: Date;
  resolved_at: Date | null;
  count: number;
}

/** The advisory lock that lets one node at a time e-mail about alerts. */
const MAIL_LOCK = 1_901_907;

/**
 * E-mails the administrators through the product's own e-mail channel (SMTP_URL, or the mail catcher in
 * development): once when an alert is raised, a reminder every ALERT_REMINDER_HOURS while it lasts, and "back
 * to normal" when it is resolved — the last only for an alert whose raising was e-mailed. One node at a time
 * (an advisory lock, so that no alert row stays locked while the mail server answers: the send path raises
 * alerts); a failed e-mail is kept in the alert (`mail_error`) and tried again at the next run.
 * Returns the e-mails sent.
 */
export async function mailAlerts(app: AppContext): Promise<number> {
  if (app.config.mail.transport === 'none') {
    return 0;
  }
  return app.db.connection().execute(async (conn) => {
    const locked = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${MAIL_LOCK}) as ok`.execute(conn);
    if (!locked.rows[0]?.ok) {
      return 0;
    }
    try {
      return await mailDue(app);
    } finally {
      await sql`select pg_advisory_unlock(${MAIL_LOCK})`.execute(conn);
    }
  });
}

async function mailDue(app: AppContext): Promise<number> {
  const reminderSeconds = app.config.alerts.reminderHours * 3600;
  const rows = await sql<AlertRow & { kind: Kind; occurrence: string }>`
    select key, level, message, first_at, first_at::text as occurrence, resolved_at, count, case
        when resolved_at is not null then 'resolved' when mailed_at is null then 'raised' else 'reminder' end as kind
    from app_alert
    where (resolved_at is null and mailed_at is null)
       or (resolved_at is null and ${reminderSeconds} > 0
           and coalesce(reminded_at, mailed_at) < now() - make_interval(secs => ${reminderSeconds}))
       or (resolved_at is not null and mailed_at is not null and recovery_mailed_at is null
           and resolved_at > now() - interval '${sql.raw(RECOVERY_MAX_AGE)}')
    order by first_at limit ${MAX_PER_RUN}`.execute(app.db);
  if (rows.rows.length === 0) {
    return 0;
  }
  const recipients = await alertRecipients(app);
  if (recipients.length === 0) {
    app.logger.warn(
      'alerts are open but nobody is set to be e-mailed (ALERT_EMAILS, page Tình trạng hệ thống)',
    );
    return 0;
  }
  let sent = 0;
  for (const row of rows.rows) {
    const result = await sendEmail(app, {
      to: recipients.join(', '),
      ...alertMail(app, row, row.kind),
      reference: `alert:${row.key}`,
    });
    const ok = result?.ok === true;
    const error = ok ? null : result && !result.ok ? result.message : 'e-mail is off';
    metricsOf(app).alertMails.inc({ kind: row.kind, outcome: ok ? 'sent' : 'failed' });
    const column =
      row.kind === 'raised' ? 'mailed_at' : row.kind === 'reminder' ? 'reminded_at' : 'recovery_mailed_at';
    // Only the occurrence that was e-mailed (the alert may have been resolved or raised again meanwhile).
    await sql`update app_alert set ${sql.ref(column)} = case when ${ok} then now() else ${sql.ref(column)} end,
        mail_error = ${error}
      where key = ${row.key} and first_at = ${row.occurrence}::timestamptz
        and (resolved_at is null) = ${row.kind !== 'resolved'}`.execute(app.db);
    if (!ok) {
      app.logger.warn({ alert: row.key, kind: row.kind, err: error }, 'alert e-mail failed');
      // The mail server refuses: the others would fail the same way; the next run tries again.
      return sent;
    }
    app.logger.info({ alert: row.key, kind: row.kind, recipients: recipients.length }, 'alert e-mailed');
    sent++;
  }
  return sent;
}

const vnTime = (d: Date) =>
  new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(d));

/** The e-mail about one alert, in Vietnamese: what happened, since when, what to do, where. */
export function alertMail(app: AppContext, a: AlertRow, kind: Kind) {
  const k = alertKind(a.key);
  const base = app.config.http.publicBaseUrl;
  const subject =
    kind === 'raised'
      ? `[Một cửa] Cảnh báo: ${k.title}`
      : kind === 'reminder'
        ? `[Một cửa] Nhắc lại: ${k.title} (vẫn chưa khắc phục)`
        : `[Một cửa] Đã trở lại bình thường: ${k.title}`;
  const lines =
    kind === 'resolved'
      ? [
          `Sự cố "${k.title}" đã được khắc phục lúc ${vnTime(a.resolved_at ?? new Date())}.`,
          `Nội dung cảnh báo: ${a.message}`,
          `Bắt đầu lúc ${vnTime(a.first_at)}.`,
        ]
      : [
          a.message,
          `Bắt đầu lúc ${vnTime(a.first_at)}${a.count > 1 ? `, đã ghi nhận ${a.count} lần` : ''}.`,
          `Cần làm: ${k.todo}`,
          `Xử lý tại: ${base}${k.page}`,
        ];
  const footer = `Tình trạng hệ thống: ${base}/tinh-trang — thư tự động của phần mềm Một cửa, mã cảnh báo ${a.key}.`;
  return {
    subject,
    text: [...lines, '', footer].join('\n'),
    html: `<p>${lines.map(escapeHtml).join('</p><p>')}</p><hr><p style="color:#595959">${escapeHtml(footer)}</p>`,
  };
}

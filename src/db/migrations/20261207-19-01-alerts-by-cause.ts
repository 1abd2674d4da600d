import { type Kysely, sql } from 'kysely';

/**
 * Alerts that reach people (issue 19): each open alert remembers whether and when its administrators were
 * e-mailed (once per occurrence, reminders while it lasts, "back to normal" when it clears); each resolved
 * occurrence is kept in a history; the SMS and e-mail gateways' health is one row each, updated by the
 * fallback sender, so the health checks read it without scanning attempts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table app_alert
      add column mailed_at timestamptz,
      add column reminded_at timestamptz,
      add column recovery_mailed_at timestamptz,
      add column mail_error text;

    create table app_alert_history (
      id bigint generated always as identity primary key,
      key text not null,
      level text not null,
      message text not null,
      first_at timestamptz not null,
      last_at timestamptz not null,
      resolved_at timestamptz not null,
      count integer not null,
      mailed boolean not null
    );
    create index app_alert_history_resolved_idx on app_alert_history (resolved_at desc);

    create table gateway_health (
      channel text primary key check (channel in ('sms', 'email')),
      last_success_at timestamptz,
      last_failure_at timestamptz,
      failures_in_row integer not null default 0,
      last_error text,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Fallback channels (SMS, email) for citizens Zalo does not reach: the policy of each province, the link
 * from a fallback message to the Zalo message it replaces, one fallback per status change and channel, SMS
 * encoding and segments, and what the built-in SMS sandbox and mail catcher received (kept in the database so
 * every node and the phone simulator see the same messages).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per province; the policy is validated by the application's zod schema (contracts/fallback.ts).
    create table fallback_policy (
      province_code text primary key references province,
      policy jsonb not null check (jsonb_typeof(policy) = 'object'),
      updated_by integer references app_user,
      updated_at timestamptz not null default now()
    );

    alter table notification
      add column replaces_notification_id bigint references notification,
      add column fallback_reason text
        check (fallback_reason in ('not_on_zalo', 'invalid_phone', 'failed', 'not_delivered', 'no_zalo')),
      add column sms_encoding text check (sms_encoding in ('gsm7', 'ucs2')),
      add column sms_segments integer check (sms_segments > 0),
      add constraint notification_sms_shape check (
        channel <> 'sms' or (sms_encoding is not null and sms_segments is not null));

    -- Exactly one fallback message per status change and channel, whichever node or trigger creates it.
    create unique index notification_fallback_once on notification (journal_id, channel)
      where channel in ('sms', 'email');
    create index notification_replaces_idx on notification (replaces_notification_id)
      where replaces_notification_id is not null;

    -- What the built-in SMS sandbox accepted (no gateway configured, or a reserved test number).
    create table sandbox_sms (
      id bigint generated always as identity primary key,
      phone text not null,
      brandname text not null,
      body text not null,
      encoding text not null check (encoding in ('gsm7', 'ucs2')),
      segments integer not null,
      reference text not null,
      received_at timestamptz not null default now()
    );
    create index sandbox_sms_phone_idx on sandbox_sms (phone, id);

    -- What the built-in mail catcher received over SMTP.
    create table sandbox_mail (
      id bigint generated always as identity primary key,
      message_id text,
      mail_from text not null,
      rcpt_to text[] not null,
      subject text not null default '',
      text_body text not null default '',
      html_body text,
      size integer not null,
      received_at timestamptz not null default now()
    );
  `.execute(db);
}

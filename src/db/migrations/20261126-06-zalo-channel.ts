import { type Kysely, sql } from 'kysely';

/**
 * The Zalo channel: the OA connection (tokens encrypted at rest), the template registry, notifications with
 * every delivery attempt, raw webhook events (deduplicated), followers, alerts for administrators and the
 * shared send-rate bucket.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per OA. Refresh tokens are single-use: the row lock serialises refreshes across nodes and the new
    -- pair is written in the same transaction as the refresh, before anyone uses it.
    create table zalo_connection (
      oa_id text primary key,
      access_token_enc text,
      refresh_token_enc text,
      access_expires_at timestamptz,
      status text not null default 'disconnected' check (status in ('connected', 'broken', 'disconnected')),
      version integer not null default 0,
      last_refresh_at timestamptz,
      last_success_at timestamptz,
      last_error text,
      last_error_at timestamptz,
      quota_daily integer,
      quota_remaining integer,
      updated_at timestamptz not null default now()
    );

    create table zalo_oauth_request (
      state text primary key,
      code_verifier text not null,
      created_by integer references app_user,
      created_at timestamptz not null default now()
    );

    -- Which ZBS template a status change uses and where each parameter's value comes from.
    create table zalo_template_binding (
      key text primary key,
      template_id text not null,
      params jsonb not null check (jsonb_typeof(params) = 'array'),
      updated_by integer references app_user,
      updated_at timestamptz not null default now()
    );

    create table notification (
      id bigint generated always as identity primary key,
      dossier_id integer not null references dossier,
      journal_id bigint not null references dossier_journal,
      journal_seq integer not null,
      channel text not null check (channel in ('zalo_phone', 'zalo_uid', 'sms', 'email')),
      recipient text not null,
      template_key text not null,
      template_id text,
      payload jsonb not null default '{}',
      rendered text not null default '',
      state text not null check (state in ('queued', 'waiting', 'sent', 'delivered', 'failed', 'superseded', 'cancelled')),
      provider_msg_id text,
      error_code integer,
      error_message text,
      error_vi text,
      -- Set when Zalo cannot reach this recipient at all: the fallback channels take over (fallback issue).
      unreachable boolean not null default false,
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      delivered_at timestamptz,
      failed_at timestamptz,
      updated_at timestamptz not null default now(),
      -- A replayed status-change job never creates a second message.
      unique (journal_id, channel, recipient)
    );
    create index notification_dossier_idx on notification (dossier_id, journal_seq);
    create index notification_pending_idx on notification (state, created_at) where state in ('queued', 'waiting');
    create index notification_provider_msg_idx on notification (provider_msg_id) where provider_msg_id is not null;
    create index notification_created_idx on notification (created_at);

    create table notification_attempt (
      id bigint generated always as identity primary key,
      notification_id bigint not null references notification,
      at timestamptz not null default now(),
      outcome text not null,
      error_code integer,
      error_message text,
      duration_ms integer not null
    );
    create index notification_attempt_notification_idx on notification_attempt (notification_id, at);

    -- Webhook events as received, deduplicated: Zalo retries and replays are stored and processed once.
    create table zalo_event (
      id bigint generated always as identity primary key,
      dedupe_key text not null unique,
      event_name text not null,
      server text,
      raw jsonb not null,
      received_at timestamptz not null default now(),
      processed_at timestamptz,
      outcome text
    );

    create table zalo_follower (
      user_id text primary key,
      followed boolean not null,
      source text,
      followed_at timestamptz,
      unfollowed_at timestamptz,
      last_interaction_at timestamptz,
      updated_at timestamptz not null default now()
    );

    create table app_alert (
      key text primary key,
      level text not null check (level in ('warning', 'error')),
      message text not null,
      first_at timestamptz not null default now(),
      last_at timestamptz not null default now(),
      count integer not null default 1,
      resolved_at timestamptz
    );

    -- A token bucket shared by every node: Zalo's rate limits apply to the OA, not to one process.
    create table send_rate_bucket (
      name text primary key,
      tokens double precision not null,
      capacity double precision not null,
      refill_per_second double precision not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

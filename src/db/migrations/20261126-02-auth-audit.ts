import { type Kysely, sql } from 'kysely';

/** Officers, API keys, the audit journal, database-backed rate limits and app metadata. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table app_user (
      id integer generated always as identity primary key,
      username text not null unique check (username = lower(username) and username ~ '^[a-z0-9._-]{3,64}$'),
      full_name text not null,
      role text not null check (role in ('admin', 'desk_officer', 'specialist', 'leader', 'viewer')),
      agency_id integer not null references agency,
      password_hash text not null,
      -- Set for seeded or admin-issued passwords; production refuses to start while a demo one is active.
      password_is_default boolean not null default false,
      -- Bumped on password change or forced logout: older session cookies stop working.
      session_version integer not null default 1,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index app_user_agency_idx on app_user (agency_id);

    create table api_key (
      id integer generated always as identity primary key,
      agency_id integer not null references agency,
      name text not null,
      prefix text not null unique,
      key_hash text not null unique,
      is_demo boolean not null default false,
      created_by integer references app_user,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table audit_event (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_user_id integer references app_user,
      actor_api_key_id integer references api_key,
      actor_name text not null,
      agency_id integer references agency,
      action text not null,
      target_type text not null,
      target_id text not null,
      data jsonb not null default '{}',
      ip text
    );
    create index audit_event_agency_at_idx on audit_event (agency_id, at desc);

    create function reject_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name using errcode = 'P0001';
    end $$;

    create trigger audit_event_append_only before update or delete on audit_event
      for each row execute function reject_change();
    create trigger audit_event_no_truncate before truncate on audit_event
      for each statement execute function reject_change();

    create unlogged table rate_limit_hit (
      key text not null,
      window_start timestamptz not null,
      hits integer not null,
      primary key (key, window_start)
    );

    create table app_meta (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

import { type Kysely, sql } from 'kysely';

/** Dossiers, their append-only journal and the gap-free per-agency daily code counter. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table dossier (
      id integer generated always as identity primary key,
      code text not null unique,
      agency_id integer not null references agency,
      procedure_id integer not null references procedure,
      status smallint not null check (status between 1 and 10),
      channel text not null check (channel in ('direct', 'post', 'online')),
      applicant_name text not null,
      applicant_id_number text not null,
      applicant_birth_date date,
      applicant_address text not null default '',
      -- 84 + national significant number: 9 digits for mobiles, 10 for fixed lines.
      phone text not null check (phone ~ '^84[0-9]{9,10}$'),
      email text,
      notify_by_zalo boolean not null default false,
      received_documents jsonb not null default '[]',
      copies smallint not null default 1 check (copies between 1 and 99),
      note text not null default '',
      received_at timestamptz not null,
      received_by integer references app_user,
      received_by_api_key integer references api_key,
      due_date date not null,
      original_due_date date,
      -- When the current count of working days began (intake, or a supplement received under 'restart').
      clock_started_at timestamptz not null,
      -- Set while the dossier waits for the citizen (supplement, financial obligation).
      clock_paused_at timestamptz,
      supplement_count smallint not null default 0,
      apology_count smallint not null default 0,
      -- The data of the transition that entered the current status (missing documents, amount due, ...).
      status_data jsonb not null default '{}',
      -- End of processing (first of done, returned, refused, stopped): on-time is finished_at's day <= due_date.
      finished_at timestamptz,
      returned_at timestamptz,
      idempotency_key text,
      idempotency_hash text,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      unique (agency_id, idempotency_key)
    );
    create index dossier_agency_received_idx on dossier (agency_id, received_at desc, id desc);
    create index dossier_agency_status_idx on dossier (agency_id, status, received_at desc);
    create index dossier_agency_open_due_idx on dossier (agency_id, due_date) where finished_at is null;
    create index dossier_phone_idx on dossier (phone);
    create index dossier_id_number_idx on dossier (applicant_id_number);

    -- unaccent() is only STABLE; this wrapper pins the dictionary so it can back an index.
    create function immutable_unaccent(text) returns text language sql immutable parallel safe strict
      as $fn$ select public.unaccent('public.unaccent'::regdictionary, $1) $fn$;
    create index dossier_name_search_idx on dossier
      using gin (immutable_unaccent(lower(applicant_name)) gin_trgm_ops);
    -- Officers type the end of a code ("260309-0001"): a suffix search on the reversed code uses a b-tree,
    -- far cheaper to maintain on every intake than a trigram index.
    create index dossier_code_suffix_idx on dossier (reverse(code) text_pattern_ops);

    create table dossier_journal (
      id bigint generated always as identity primary key,
      dossier_id integer not null references dossier,
      seq integer not null,
      at timestamptz not null default now(),
      action text not null,
      from_status smallint,
      to_status smallint not null,
      actor_user_id integer references app_user,
      actor_api_key_id integer references api_key,
      actor_name text not null,
      note text not null default '',
      data jsonb not null default '{}',
      unique (dossier_id, seq)
    );

    create trigger dossier_journal_append_only before update or delete on dossier_journal
      for each row execute function reject_change();
    create trigger dossier_journal_no_truncate before truncate on dossier_journal
      for each statement execute function reject_change();

    create table dossier_code_counter (
      agency_id integer not null references agency,
      day date not null,
      last integer not null check (last between 1 and 9999),
      primary key (agency_id, day)
    );
  `.execute(db);
}

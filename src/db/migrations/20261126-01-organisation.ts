import { type Kysely, sql } from 'kysely';

/** Province → communes → agencies, and the procedure catalogue with its receiving agencies. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists unaccent;
    create extension if not exists pg_trgm;

    create table province (
      code text primary key check (code ~ '^[0-9]{2}$'),
      name text not null,
      short_name text not null
    );

    create table commune (
      code text primary key check (code ~ '^[0-9]{5}$'),
      province_code text not null references province,
      name text not null,
      kind text not null check (kind in ('xa', 'phuong', 'dac_khu'))
    );

    -- code: the electronic identifier (mã định danh, QĐ 20/2020) used as the dossier-code prefix.
    create table agency (
      id integer generated always as identity primary key,
      code text not null unique check (code ~ '^[A-Z0-9]+([.][A-Z0-9]+)*$' and length(code) <= 35),
      name text not null,
      parent_name text not null,
      province_code text not null references province,
      commune_code text references commune,
      address text not null default '',
      hotline text not null default '',
      email text,
      created_at timestamptz not null default now()
    );

    create table procedure (
      id integer generated always as identity primary key,
      code text not null unique,
      name text not null,
      field text not null,
      level text not null check (level in ('tinh', 'xa')),
      processing_days integer not null check (processing_days between 0 and 365),
      fee_vnd bigint not null default 0 check (fee_vnd >= 0),
      fee_note text not null default '',
      documents jsonb not null default '[]' check (jsonb_typeof(documents) = 'array'),
      -- Received at or after this local time: the count starts on the next working day. Null: no cut-off.
      cutoff_time time,
      -- What the clock does when a requested supplement arrives: restart in full, or extend by the pause.
      supplement_rule text not null default 'restart' check (supplement_rule in ('restart', 'extend')),
      active boolean not null default true,
      updated_at timestamptz not null default now()
    );

    create table procedure_agency (
      procedure_id integer not null references procedure on delete cascade,
      agency_id integer not null references agency on delete cascade,
      primary key (procedure_id, agency_id)
    );
    create index procedure_agency_agency_idx on procedure_agency (agency_id);
  `.execute(db);
}

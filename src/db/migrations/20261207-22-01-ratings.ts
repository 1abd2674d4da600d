import { type Kysely, sql } from 'kysely';

/**
 * Issue 22: citizens' ratings of a finished dossier, the leader's follow-up of a low rating, and the public
 * scoreboard's per-day aggregates.
 *
 * The invitation to rate is written by a trigger on the journal, so it is part of the very statement that
 * finishes the dossier (the same transaction as the status change and its outbox row), whichever path
 * finished it (officer app, integration API), and the primary key makes it once per dossier.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rating_invitation (
      dossier_id integer primary key references dossier,
      -- The status change that invited: its messages carry the invitation (src/ratings/invitation.ts).
      journal_id bigint not null unique references dossier_journal,
      invited_at timestamptz not null
    );

    -- The final statuses of src/contracts/statuses.ts: 3 refused, 8 stopped, 10 result handed over.
    create function invite_to_rate() returns trigger language plpgsql as $$
    begin
      insert into rating_invitation (dossier_id, journal_id, invited_at)
      values (new.dossier_id, new.id, new.at)
      on conflict (dossier_id) do nothing;
      return null;
    end $$;
    create trigger dossier_journal_invite_to_rate after insert on dossier_journal
      for each row when (new.to_status in (3, 8, 10) and new.from_status is distinct from new.to_status)
      execute function invite_to_rate();

    create table rating (
      dossier_id integer primary key references dossier,
      stars smallint not null check (stars between 1 and 5),
      reasons text[] not null default '{}',
      comment text not null default '',
      channel text not null check (channel in ('zalo', 'web')),
      first_rated_at timestamptz not null,
      rated_at timestamptz not null,
      revisions integer not null default 0,
      -- The Zalo message rated (user_feedback's msg_id), when rated on Zalo.
      zalo_msg_id text
    );
    create index rating_rated_at_idx on rating (rated_at);

    -- A rating of 2 stars or fewer asks the agency's leader for an answer; the answer is recorded here.
    create table rating_follow_up (
      dossier_id integer primary key references dossier,
      raised_at timestamptz not null,
      answer text,
      answered_by integer references app_user,
      answered_at timestamptz
    );
    create index rating_follow_up_open_idx on rating_follow_up (raised_at) where answered_at is null;

    -- The scoreboard's figures per Vietnamese day and agency (src/public-stats/refresh.ts).
    create table public_stats_day (
      day date not null,
      agency_id integer not null references agency,
      received integer not null default 0,
      zalo_reached integer not null default 0,
      resolved integer not null default 0,
      on_time integer not null default 0,
      processing_working_days bigint not null default 0,
      ratings integer not null default 0,
      stars_sum integer not null default 0,
      stars_1 integer not null default 0,
      stars_2 integer not null default 0,
      stars_3 integer not null default 0,
      stars_4 integer not null default 0,
      stars_5 integer not null default 0,
      primary key (day, agency_id)
    );
    create table public_stats_watermark (
      id boolean primary key default true check (id),
      refreshed_until timestamptz not null
    );

    -- What the incremental refresh looks for: dossiers changed, and finished on given days.
    create index dossier_updated_at_idx on dossier (updated_at);
    create index dossier_agency_finished_idx on dossier (agency_id, finished_at) where finished_at is not null;
  `.execute(db);
}

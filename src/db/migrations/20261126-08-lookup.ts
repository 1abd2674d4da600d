import { type Kysely, sql } from 'kysely';

/**
 * Citizen look-up: Zalo users who asked to follow a dossier ("Theo dõi hồ sơ này"), the phone a follower
 * shared with the OA (so a follower who is the applicant is not told twice), the bot's reply time per event,
 * and the OA QR image an administrator may upload instead of the generated one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table dossier_follower (
      dossier_id integer not null references dossier,
      zalo_user_id text not null,
      created_at timestamptz not null default now(),
      stopped_at timestamptz,
      primary key (dossier_id, zalo_user_id)
    );
    create index dossier_follower_user_idx on dossier_follower (zalo_user_id);

    alter table zalo_follower add column shared_phone text;
    alter table zalo_event add column replied_at timestamptz;

    create table oa_qr_image (
      id boolean primary key default true check (id),
      mime text not null check (mime in ('image/jpeg', 'image/png')),
      data bytea not null,
      uploaded_by integer references app_user,
      uploaded_at timestamptz not null default now()
    );
  `.execute(db);
}

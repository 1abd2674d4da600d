import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

/** SQL of the ratings feature. */

/** The dossier by code with its invitation and rating, the rating row locked (one transaction per rating). */
export function findRatable(db: Queryable, code: string, lock: boolean) {
  return db
    .selectFrom('dossier as d')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .leftJoin('rating_invitation as ri', 'ri.dossier_id', 'd.id')
    .leftJoin('rating as r', 'r.dossier_id', 'd.id')
    .select([
      'd.id',
      'd.code',
      'd.status',
      'd.agency_id',
      'a.name as agency_name',
      'p.name as procedure_name',
      'ri.invited_at',
      'r.stars',
      'r.reasons',
      'r.comment',
      'r.first_rated_at',
      'r.rated_at',
    ])
    .where('d.code', '=', code)
    .$if(lock, (q) => q.forUpdate('d'))
    .executeTakeFirst();
}

export async function saveRating(
  db: Queryable,
  r: {
    dossierId: number;
    stars: number;
    reasons: string[];
    comment: string;
    channel: 'zalo' | 'web';
    at: Date;
    zaloMsgId: string | null;
  },
): Promise<{ revisions: number }> {
  const row = await sql<{ revisions: number }>`
    insert into rating (dossier_id, stars, reasons, comment, channel, first_rated_at, rated_at, zalo_msg_id)
    values (${r.dossierId}, ${r.stars}, ${r.reasons}::text[], ${r.comment}, ${r.channel}, ${r.at}, ${r.at}, ${r.zaloMsgId})
    on conflict (dossier_id) do update set stars = excluded.stars, reasons = excluded.reasons,
      comment = excluded.comment, channel = excluded.channel, rated_at = excluded.rated_at,
      zalo_msg_id = coalesce(excluded.zalo_msg_id, rating.zalo_msg_id), revisions = rating.revisions + 1
    returning revisions`.execute(db);
  return row.rows[0]!;
}

/** A low rating raises the leader's item once; a later answer stays with it whatever the rating becomes. */
export async function raiseFollowUp(db: Queryable, dossierId: number, at: Date): Promise<void> {
  await db
    .insertInto('rating_follow_up')
    .values({ dossier_id: dossierId, raised_at: at })
    .onConflict((oc) => oc.column('dossier_id').doNothing())
    .execute();
}

/** The dossier a Zalo message was about: by Zalo's msg_id, or by our notification id (from the tracking_id). */
export async function dossierOfZaloMessage(
  db: Queryable,
  msgId: string,
  notificationId: number | null,
): Promise<{ code: string } | undefined> {
  return db
    .selectFrom('notification as n')
    .innerJoin('dossier as d', 'd.id', 'n.dossier_id')
    .select('d.code')
    .where((eb) =>
      eb.or([
        ...(msgId ? [eb('n.provider_msg_id', '=', msgId)] : []),
        ...(notificationId !== null ? [eb('n.id', '=', notificationId)] : []),
      ]),
    )
    .where('n.channel', 'in', ['zalo_phone', 'zalo_uid'])
    .limit(1)
    .executeTakeFirst();
}

/** The rating link of a status change's messages, when that change is the one that invited. */
export function invitationOfJournal(db: Queryable, journalId: number) {
  return db
    .selectFrom('rating_invitation as ri')
    .innerJoin('dossier as d', 'd.id', 'ri.dossier_id')
    .select(['d.code'])
    .where('ri.journal_id', '=', journalId)
    .executeTakeFirst();
}

import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';
import { statusChange } from '../dossiers/index.ts';

/** The SMS / e-mail fallback's reads (its writes are plain inserts, in plan-fallback.ts). */

/** Everything a fallback message needs about its status change, with the province's policy. */
export function fallbackContext(db: Queryable, journalId: number) {
  return statusChange(db, journalId)
    .leftJoin('fallback_policy as f', 'f.province_code', 'a.province_code')
    .select(['d.email', 'a.hotline', 'f.policy'])
    .executeTakeFirst();
}

/**
 * Of these messages, the applicant's own Zalo messages (fallbacks stand in for those only, not for a dossier
 * follower's), with the status they tell and the province's fallback policy.
 */
export function deliveryCheckTargets(db: Queryable, notificationIds: number[]) {
  return db
    .selectFrom('notification as n')
    .innerJoin('dossier_journal as j', 'j.id', 'n.journal_id')
    .innerJoin('dossier as d', 'd.id', 'n.dossier_id')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .leftJoin('fallback_policy as f', 'f.province_code', 'a.province_code')
    .select(['n.id', 'j.to_status', 'f.policy'])
    .where('n.id', 'in', notificationIds)
    .where('n.channel', '=', 'zalo_phone')
    .execute();
}

/** A message's state, its row locked until the caller's transaction ends (a receipt waits for it). */
export function lockNotification(db: Queryable, id: number) {
  return db
    .selectFrom('notification')
    .select(['id', 'state', 'journal_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** How many messages to the applicant's Zalo phone a status change has (a follower's does not count). */
export async function applicantZaloMessageCount(db: Queryable, journalId: number): Promise<number> {
  const row = await db
    .selectFrom('notification')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('journal_id', '=', journalId)
    .where('channel', '=', 'zalo_phone')
    .executeTakeFirstOrThrow();
  return row.n;
}

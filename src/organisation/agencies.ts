import type { Queryable } from '../db/pool.ts';
import { NotFound } from '../errors.ts';

/** Throws a 404 unless the agency exists. */
export async function requireAgency(db: Queryable, agencyId: number): Promise<void> {
  const agency = await db.selectFrom('agency').select('id').where('id', '=', agencyId).executeTakeFirst();
  if (!agency) {
    throw NotFound('agency', String(agencyId), 'Không tìm thấy cơ quan.');
  }
}

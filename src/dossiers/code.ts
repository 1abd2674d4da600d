import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';
import { Conflict } from '../errors.ts';

/**
 * Dossier codes `<agency identifier>-YYMMDD-NNNN` (TT 01/2018 Art. 19; e.g. 000.17.22.H56-210531-0001).
 * The sequence lives in PostgreSQL: the upsert locks the (agency, day) row until the intake commits, so
 * concurrent intakes on any number of nodes get consecutive numbers, and a rolled-back intake returns its
 * number — no gaps, no duplicates.
 */
export const MAX_DAILY_SEQUENCE = 9999;

export function formatDossierCode(agencyCode: string, day: string, sequence: number): string {
  const yymmdd = day.slice(2, 4) + day.slice(5, 7) + day.slice(8, 10);
  return `${agencyCode}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

/** Takes the next number of the agency's day inside the intake transaction. */
export async function takeSequence(tx: Queryable, agencyId: number, day: string): Promise<number> {
  try {
    const row = await tx
      .insertInto('dossier_code_counter')
      .values({ agency_id: agencyId, day, last: 1 })
      .onConflict((oc) =>
        oc.columns(['agency_id', 'day']).doUpdateSet({ last: sql`dossier_code_counter.last + 1` }),
      )
      .returning('last')
      .executeTakeFirstOrThrow();
    return row.last;
  } catch (err) {
    // The counter's check constraint (last <= 9999) is what enforces the format's limit.
    if ((err as { code?: string }).code === '23514') {
      throw Conflict(
        'daily_code_limit',
        `Agency ${agencyId} has used all ${MAX_DAILY_SEQUENCE} dossier numbers of ${day}`,
        `Đã hết số thứ tự mã hồ sơ của ngày (tối đa ${MAX_DAILY_SEQUENCE} hồ sơ/ngày).`,
      );
    }
    throw err;
  }
}

/** Loose form of a code for searching: upper case, no spaces. */
export function normaliseCodeQuery(q: string): string {
  return q.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

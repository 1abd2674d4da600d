import { sql } from 'kysely';
import { MAX_DAILY_SEQUENCE } from '../contracts/dossier-code.ts';
import type { Queryable } from '../db/pool.ts';
import { Conflict } from '../errors.ts';

export interface Values {
  agencyId: number;
  /** `<agency code>-YYMMDD-`; the 4-digit sequence is appended in SQL. */
  codePrefix: string;
  day: string;
  dossier: Record<string, unknown>;
  journal: {
    actor_user_id: number | null;
    actor_api_key_id: number | null;
    actor_name: string;
    at: Date;
    note: string;
    data: string;
    correlation_id: string;
  };
}

/**
 * Takes the day's next number, writes the dossier, its first journal entry and its status change (the
 * planners' outbox, src/notifications/status-change-lane.ts) in ONE statement, hence one implicit transaction. The
 * counter row stays locked only while that statement runs and commits (well under a millisecond; nothing in it
 * NOTIFYs, which would hold a database-wide lock through the commit), so concurrent intakes of one desk do not
 * queue behind each other's network round trips — yet numbers stay gap-free (a failed statement rolls the
 * counter back) and unique.
 */
export async function insertReceivedDossier(db: Queryable, v: Values): Promise<number> {
  try {
    const result = await insertReceivedStatement(v).execute(db);
    return result.rows[0]!.id;
  } catch (err) {
    // The counter's check constraint (last <= 9999) is what enforces the format's limit.
    if ((err as { code?: string }).code === '23514') {
      throw Conflict(
        'daily_code_limit',
        `The agency has used all ${MAX_DAILY_SEQUENCE} dossier numbers of ${v.day}`,
        `Đã hết số thứ tự mã hồ sơ của ngày (tối đa ${MAX_DAILY_SEQUENCE} hồ sơ/ngày).`,
      );
    }
    throw err;
  }
}

/** The intake's one statement (see insertReceivedDossier). */
export function insertReceivedStatement(v: Values) {
  const columns = Object.keys(v.dossier);
  const values = columns.map((c) => {
    const value = v.dossier[c];
    return c === 'received_documents' ? sql`${value}::jsonb` : sql`${value}`;
  });
  return sql<{ id: number }>`
    with counter as (
      insert into dossier_code_counter (agency_id, day, last) values (${v.agencyId}, ${v.day}, 1)
      on conflict (agency_id, day) do update set last = dossier_code_counter.last + 1
      returning last
    ), inserted as (
      insert into dossier (code, agency_id, ${sql.join(columns.map((c) => sql.ref(c)))})
      select ${v.codePrefix} || lpad(counter.last::text, 4, '0'), ${v.agencyId}, ${sql.join(values)}
      from counter
      returning id, status
    ), journal as (
      insert into dossier_journal (dossier_id, seq, at, action, from_status, to_status, actor_user_id,
                                   actor_api_key_id, actor_name, note, data, correlation_id)
      select id, 1, ${v.journal.at}, 'receive', null, status, ${v.journal.actor_user_id}, ${v.journal.actor_api_key_id},
             ${v.journal.actor_name}, ${v.journal.note}, ${v.journal.data}::jsonb, ${v.journal.correlation_id}
      from inserted
      returning id, dossier_id, to_status
    ), queued as (
      insert into status_change (journal_id, dossier_id, from_status, to_status, action)
      select id, dossier_id, null, to_status, 'receive' from journal
      returning journal_id
    )
    select inserted.id from inserted, queued`;
}

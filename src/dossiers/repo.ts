import { type ExpressionBuilder, sql } from 'kysely';
import { parseDossierCode } from '../contracts/dossier-code.ts';
import { escapeLike } from '../db/like.ts';
import type { Queryable } from '../db/pool.ts';
import type { DB } from '../db/schema.ts';

/** Kysely queries of dossiers. Every read is scoped by agency: callers pass the actor's agency. */

export function dossierWithProcedure(db: Queryable) {
  return db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .selectAll('d')
    .select([
      'p.code as procedure_code',
      'p.name as procedure_name',
      'p.field as procedure_field',
      'p.processing_days as procedure_days',
      'p.cutoff_time as procedure_cutoff',
      'p.cutoff_basis as procedure_cutoff_basis',
      'p.deadline_unit as procedure_deadline_unit',
      'p.supplement_rule as procedure_supplement_rule',
      'p.fee_vnd as procedure_fee_vnd',
      'p.fee_note as procedure_fee_note',
      'a.code as agency_code',
      'a.name as agency_name',
      'a.parent_name as agency_parent_name',
      'a.address as agency_address',
      'a.hotline as agency_hotline',
    ]);
}

export type DossierRecord = NonNullable<
  Awaited<ReturnType<ReturnType<typeof dossierWithProcedure>['executeTakeFirst']>>
>;

/** By code as it was typed or printed: any case, spaces, other dashes (the shared parser of codes). */
export function findDossierByCode(
  db: Queryable,
  agencyId: number,
  code: string,
): Promise<DossierRecord | undefined> {
  return dossierWithProcedure(db)
    .where('d.code', '=', parseDossierCode(code) ?? code.trim())
    .where('d.agency_id', '=', agencyId)
    .executeTakeFirst();
}

export function findDossierById(
  db: Queryable,
  agencyId: number,
  id: number,
): Promise<DossierRecord | undefined> {
  return dossierWithProcedure(db)
    .where('d.id', '=', id)
    .where('d.agency_id', '=', agencyId)
    .executeTakeFirst();
}

export function journalOf(db: Queryable, dossierId: number) {
  return db
    .selectFrom('dossier_journal')
    .select(['id', 'seq', 'at', 'action', 'from_status', 'to_status', 'actor_name', 'note', 'data'])
    .where('dossier_id', '=', dossierId)
    .orderBy('seq')
    .execute();
}

/**
 * A dossier whose clock runs: open, and not waiting for the citizen (supplement, financial obligation).
 * Only such a dossier can be overdue or due soon — the dashboard, the list filter, the API's overdue=true,
 * the export and the detail view (presenter.ts) all use this rule. Expects the dossier aliased `d`.
 */
export const CLOCK_RUNNING = sql<boolean>`(d.finished_at is null and d.clock_paused_at is null)`;

export interface DossierFilters {
  agencyId: number;
  statuses?: number[];
  procedureCode?: string;
  receivedFrom?: Date;
  receivedTo?: Date;
  /** Dossiers whose clock runs and that are past their due date (today is after it). */
  overdueOn?: string;
  /** Dossiers whose clock runs, due from today up to and including this date. */
  dueBetween?: { from: string; to: string };
  notifyByZalo?: boolean;
  /** A whole code, the end of one, part of one, a phone, an ID number or a name. */
  search?: {
    code?: string;
    codeEnd?: string;
    codePart?: string;
    phone?: string;
    idNumber?: string;
    name?: string;
  };
}

/**
 * The WHERE clause shared by the list, its count and the export. It reads the dossier table alone (the
 * procedure by sub-select), so that a count can be answered from an index without visiting the rows.
 */
export function filterDossiers(db: Queryable, f: DossierFilters) {
  let q = db.selectFrom('dossier as d').where('d.agency_id', '=', f.agencyId);
  if (f.statuses?.length) {
    q = q.where('d.status', 'in', f.statuses);
  }
  if (f.procedureCode) {
    const code = f.procedureCode;
    q = q.where('d.procedure_id', '=', (eb) =>
      eb.selectFrom('procedure').select('id').where('code', '=', code),
    );
  }
  if (f.receivedFrom) {
    q = q.where('d.received_at', '>=', f.receivedFrom);
  }
  if (f.receivedTo) {
    q = q.where('d.received_at', '<', f.receivedTo);
  }
  if (f.overdueOn) {
    q = q.where(CLOCK_RUNNING).where('d.due_date', '<', f.overdueOn);
  }
  if (f.dueBetween) {
    q = q
      .where(CLOCK_RUNNING)
      .where('d.due_date', '>=', f.dueBetween.from)
      .where('d.due_date', '<=', f.dueBetween.to);
  }
  if (f.notifyByZalo !== undefined) {
    q = q.where('d.notify_by_zalo', '=', f.notifyByZalo);
  }
  const s = f.search;
  if (s) {
    q = q.where((eb) => eb.or(searchConditions(eb, s)));
  }
  return q;
}

function searchConditions(
  eb: ExpressionBuilder<DB & { d: DB['dossier'] }, 'd'>,
  s: NonNullable<DossierFilters['search']>,
) {
  const conditions = [];
  if (s.code) {
    conditions.push(eb('d.code', '=', s.code));
  }
  if (s.codeEnd) {
    // "Ends with" as a range of the reversed code, which an index answers (dossier_code_reversed_idx):
    // `like '%…'` would read every dossier of the agency, and a LIKE pattern given as a parameter cannot use
    // an index in a prepared statement's generic plan.
    const reversed = [...s.codeEnd].reverse().join('');
    const after = `${reversed.slice(0, -1)}${String.fromCharCode(reversed.charCodeAt(reversed.length - 1) + 1)}`;
    conditions.push(sql<boolean>`(reverse(d.code) ~>=~ ${reversed} and reverse(d.code) ~<~ ${after})`);
  }
  if (s.codePart) {
    conditions.push(eb('d.code', 'like', `%${escapeLike(s.codePart)}%`));
  }
  if (s.phone) {
    conditions.push(eb('d.phone', '=', s.phone));
  }
  if (s.idNumber) {
    conditions.push(eb('d.applicant_id_number', '=', s.idNumber));
  }
  if (s.name) {
    conditions.push(
      sql<boolean>`immutable_unaccent(lower(d.applicant_name)) like ${`%${escapeLike(s.name)}%`}`,
    );
  }
  return conditions;
}

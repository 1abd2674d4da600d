import { type ExpressionBuilder, sql, type Updateable } from 'kysely';
import { parseDossierCode } from '../contracts/dossier-code.ts';
import { escapeLike } from '../db/like.ts';
import type { Queryable } from '../db/pool.ts';
import type { DB, DossierTable } from '../db/schema.ts';

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

/**
 * A page of the list, newest first: ids only (dossiersByIds reads the rows). Served by
 * dossier_agency_received_idx (agency_id, received_at desc, id desc), or a filter's own index.
 */
export function dossierPageStatement(
  db: Queryable,
  f: DossierFilters,
  page: { limit: number; offset: number },
) {
  return filterDossiers(db, f)
    .select('d.id')
    .orderBy('d.received_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(page.limit)
    .offset(page.offset);
}

/** How many dossiers match, counted up to `cap` + 1 (more than the cap reads as "cap+"). */
export function countDossiersStatement(db: Queryable, f: DossierFilters, cap: number) {
  return db
    .selectFrom(
      filterDossiers(db, f)
        .select('d.id')
        .limit(cap + 1)
        .as('capped'),
    )
    .select(sql<number>`count(*)::int`.as('n'));
}

/** Keyset page: up to `limit` matches older than `after` (receivedAt, id), newest first. */
export function dossiersAfterStatement(
  db: Queryable,
  f: DossierFilters,
  after: { at: Date; id: number } | undefined,
  limit: number,
) {
  let q = filterDossiers(db, f).select(['d.id', 'd.received_at']);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('d.received_at', '<', after.at),
        eb.and([eb('d.received_at', '=', after.at), eb('d.id', '<', after.id)]),
      ]),
    );
  }
  return q.orderBy('d.received_at', 'desc').orderBy('d.id', 'desc').limit(limit);
}

/** Whole records by id, in no particular order. */
export function dossiersByIds(db: Queryable, ids: number[]): Promise<DossierRecord[]> {
  return dossierWithProcedure(db).where('d.id', 'in', ids).execute();
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

/** What one move writes: the dossier's new columns, and its journal entry. */
export interface TransitionWrite {
  dossierId: number;
  /** The version read: the row changes only if it is still this one. */
  version: number;
  changes: Updateable<DossierTable>;
  /** The journal entry's sequence number (the new version). */
  seq: number;
  at: Date;
  action: string;
  from: number;
  to: number;
  actor: { actor_user_id: number | null; actor_api_key_id: number | null; actor_name: string };
  note: string;
  journalData: unknown;
  correlationId: string;
}

/**
 * A dossier's move in ONE statement: the row (only if its version is still the one read), its journal entry
 * and its row in the planners' outbox (status_change). No row comes back when another move won in between.
 */
export function writeTransitionStatement(db: Queryable, t: TransitionWrite) {
  const who = t.actor;
  return db
    .with('changed', (qb) =>
      qb
        .updateTable('dossier')
        .set(t.changes)
        .where('id', '=', t.dossierId)
        .where('version', '=', t.version)
        .returning('id'),
    )
    .with('entry', (qb) =>
      qb
        .insertInto('dossier_journal')
        .columns([
          'dossier_id',
          'seq',
          'at',
          'action',
          'from_status',
          'to_status',
          'actor_user_id',
          'actor_api_key_id',
          'actor_name',
          'note',
          'data',
          'correlation_id',
        ])
        .expression(
          qb
            .selectFrom('changed')
            .select([
              'changed.id',
              sql<number>`${t.seq}::int`.as('seq'),
              sql<Date>`${t.at}::timestamptz`.as('at'),
              sql<string>`${t.action}::text`.as('action'),
              sql<number>`${t.from}::smallint`.as('from_status'),
              sql<number>`${t.to}::smallint`.as('to_status'),
              sql<number | null>`${who.actor_user_id}::int`.as('actor_user_id'),
              sql<number | null>`${who.actor_api_key_id}::int`.as('actor_api_key_id'),
              sql<string>`${who.actor_name}::text`.as('actor_name'),
              sql<string>`${t.note}::text`.as('note'),
              sql<string>`${JSON.stringify(t.journalData)}::jsonb`.as('data'),
              sql<string>`${t.correlationId}::text`.as('correlation_id'),
            ]),
        )
        .returning('id'),
    )
    .with('queued', (qb) =>
      qb
        .insertInto('status_change')
        .columns(['journal_id', 'dossier_id', 'from_status', 'to_status', 'action'])
        .expression(
          qb
            .selectFrom('entry')
            .select([
              'entry.id',
              sql<number>`${t.dossierId}::int`.as('dossier_id'),
              sql<number>`${t.from}::smallint`.as('from_status'),
              sql<number>`${t.to}::smallint`.as('to_status'),
              sql<string>`${t.action}::text`.as('action'),
            ]),
        )
        .returning('journal_id'),
    )
    .selectFrom('queued')
    .select('queued.journal_id');
}

/** Status changes with their dossier, procedure and agency: what every message about one is written from. */
export function statusChanges(db: Queryable) {
  return db
    .selectFrom('dossier_journal as j')
    .innerJoin('dossier as d', 'd.id', 'j.dossier_id')
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .select([
      'j.id as journal_id',
      'j.seq',
      'j.action',
      'j.to_status',
      'j.data',
      'j.correlation_id',
      'd.id as dossier_id',
      'd.code',
      'd.applicant_name',
      'd.phone',
      'd.due_date',
      'p.name as procedure_name',
      'a.name as agency_name',
    ]);
}

/** One status change, as statusChanges. */
export function statusChange(db: Queryable, journalId: number) {
  return statusChanges(db).where('j.id', '=', journalId);
}

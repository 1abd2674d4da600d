import { sql } from 'kysely';
import { type Actor, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import type { TProcedureUpdate, TProcedureView } from '../contracts/procedures.ts';
import { cleanText } from '../contracts/text.ts';
import type { Queryable } from '../db/pool.ts';
import type { DocumentSpec } from '../db/schema.ts';
import { invalid, NotFound } from '../errors.ts';
import { recordAudit } from '../record-audit.ts';

function procedureQuery(db: Queryable) {
  return db
    .selectFrom('procedure as p')
    .selectAll('p')
    .select(
      sql<
        number[]
      >`coalesce((select array_agg(pa.agency_id order by pa.agency_id) from procedure_agency pa where pa.procedure_id = p.id), '{}')`.as(
        'agency_ids',
      ),
    );
}

type ProcedureRow = Awaited<ReturnType<ReturnType<typeof procedureQuery>['execute']>>[number];

function present(p: ProcedureRow): TProcedureView {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    field: p.field,
    level: p.level,
    processingDays: p.processing_days,
    deadlineUnit: p.deadline_unit,
    feeVnd: Number(p.fee_vnd),
    feeNote: p.fee_note,
    documents: p.documents as unknown as DocumentSpec[],
    authority: p.authority,
    cutoffTime: p.cutoff_time ? p.cutoff_time.slice(0, 5) : null,
    cutoffBasis: p.cutoff_basis,
    supplementRule: p.supplement_rule,
    active: p.active,
    agencyIds: p.agency_ids,
  };
}

/** The procedures the actor's agency receives (administrators: the whole catalogue). */
export async function listProcedures(
  app: AppContext,
  actor: Actor,
  opts: { all?: boolean } = {},
): Promise<TProcedureView[]> {
  let q = procedureQuery(app.db).orderBy('p.field').orderBy('p.name');
  if (!(opts.all && actor.kind === 'user' && actor.role === 'admin')) {
    q = q
      .where('p.active', '=', true)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('procedure_agency as pa')
            .select('pa.agency_id')
            .whereRef('pa.procedure_id', '=', 'p.id')
            .where('pa.agency_id', '=', actor.agencyId),
        ),
      );
  }
  return (await q.execute()).map(present);
}

/** An administrator edits a procedure: processing time, fee, documents, receiving agencies… (audited). */
export async function updateProcedure(
  app: AppContext,
  actor: Actor,
  id: number,
  patch: TProcedureUpdate,
): Promise<TProcedureView> {
  requireRole(actor, ['admin'], 'edit procedures');
  return app.db.transaction().execute(async (tx) => {
    const before = await procedureQuery(tx).where('p.id', '=', id).forUpdate().executeTakeFirst();
    if (!before) {
      throw NotFound('procedure', String(id), 'Không tìm thấy thủ tục.');
    }
    const name = patch.name === undefined ? undefined : cleanText(patch.name);
    if (name === '') {
      throw invalid('name', 'name is required', 'Vui lòng nhập tên thủ tục.');
    }
    const cutoffBasis = patch.cutoffBasis === undefined ? undefined : cleanText(patch.cutoffBasis);
    const cutoffAfter = patch.cutoffTime === undefined ? before.cutoff_time : patch.cutoffTime;
    const basisAfter = cutoffBasis ?? before.cutoff_basis;
    if (
      (patch.cutoffTime !== undefined || cutoffBasis !== undefined) &&
      cutoffAfter !== null &&
      !basisAfter
    ) {
      throw invalid(
        'cutoffBasis',
        'cutoffBasis is required with a cutoffTime: the legal basis of the cut-off',
        'Vui lòng ghi căn cứ pháp lý của giờ chốt tiếp nhận (ví dụ: Luật Hộ tịch 2014, Điều 5 khoản 3).',
      );
    }
    await tx
      .updateTable('procedure')
      .set({
        ...(name !== undefined && { name }),
        ...(patch.field !== undefined && { field: cleanText(patch.field) }),
        ...(patch.processingDays !== undefined && { processing_days: patch.processingDays }),
        ...(patch.deadlineUnit !== undefined && { deadline_unit: patch.deadlineUnit }),
        ...(patch.feeVnd !== undefined && { fee_vnd: patch.feeVnd }),
        ...(patch.feeNote !== undefined && { fee_note: cleanText(patch.feeNote) }),
        ...(patch.documents !== undefined && {
          documents: JSON.stringify(
            patch.documents.map((d) => ({ ...d, name: cleanText(d.name), form: cleanText(d.form) })),
          ),
        }),
        ...(patch.authority !== undefined && { authority: cleanText(patch.authority) }),
        ...(patch.cutoffTime !== undefined && { cutoff_time: patch.cutoffTime }),
        ...(cutoffBasis !== undefined && { cutoff_basis: cutoffBasis }),
        ...(patch.supplementRule !== undefined && { supplement_rule: patch.supplementRule }),
        ...(patch.active !== undefined && { active: patch.active }),
        updated_at: app.clock(),
      })
      .where('id', '=', id)
      .execute();
    if (patch.agencyIds) {
      const known = await tx.selectFrom('agency').select('id').where('id', 'in', patch.agencyIds).execute();
      if (known.length !== new Set(patch.agencyIds).size) {
        throw invalid('agencyIds', 'unknown agency id', 'Có cơ quan tiếp nhận không tồn tại.');
      }
      await tx.deleteFrom('procedure_agency').where('procedure_id', '=', id).execute();
      await tx
        .insertInto('procedure_agency')
        .values([...new Set(patch.agencyIds)].map((agency_id) => ({ procedure_id: id, agency_id })))
        .execute();
    }
    const after = await procedureQuery(tx).where('p.id', '=', id).executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      actor,
      'procedure.update',
      { type: 'procedure', id },
      { before: present(before), patch },
    );
    return present(after);
  });
}

export async function listAgencies(app: AppContext) {
  return app.db
    .selectFrom('agency')
    .select([
      'id',
      'code',
      'name',
      'parent_name as parentName',
      'commune_code as communeCode',
      'address',
      'hotline',
    ])
    .orderBy('id')
    .execute();
}

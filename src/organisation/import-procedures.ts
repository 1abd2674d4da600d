import { type Actor, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { limitLabel } from '../contracts/procedures.ts';
import { foldForSearch } from '../contracts/text.ts';
import type { Queryable } from '../db/pool.ts';
import type { DocumentSpec } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../record-audit.ts';
import { type CatalogueRow, parseCatalogue, type RowProblem } from './parse-catalogue.ts';

/**
 * Administrators load the province's procedure list from the national catalogue's Excel export: a preview
 * of what would be added and changed, every row problem in Vietnamese, and an import that writes all of it
 * in one transaction or nothing at all when any row is invalid. Procedures missing from the file are listed
 * and left as they are.
 */

interface Existing {
  id: number;
  code: string;
  name: string;
  field: string;
  level: 'tinh' | 'xa';
  processing_days: number;
  deadline_unit: 'working_days' | 'calendar_days';
  fee_vnd: number;
  fee_note: string;
  documents: unknown;
  authority: string;
  cutoff_time: string | null;
  cutoff_basis: string;
  active: boolean;
}

/** The columns a catalogue row always sets, on creation and on update alike. */
function catalogueColumns(r: CatalogueRow) {
  return {
    name: r.name,
    field: r.field,
    level: r.level,
    processing_days: r.days,
    deadline_unit: r.unit,
    fee_vnd: r.feeVnd,
    fee_note: r.feeNote,
  };
}

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

function loadExisting(db: Queryable, lock = false) {
  const q = db
    .selectFrom('procedure')
    .select([
      'id',
      'code',
      'name',
      'field',
      'level',
      'processing_days',
      'deadline_unit',
      'fee_vnd',
      'fee_note',
      'documents',
      'authority',
      'cutoff_time',
      'cutoff_basis',
      'active',
    ]);
  return (lock ? q.forUpdate() : q).execute() as Promise<Existing[]>;
}

const LEVELS = { tinh: 'Cấp tỉnh', xa: 'Cấp xã' } as const;
const docsText = (docs: DocumentSpec[]) => docs.map((d) => `${d.name} (${d.form})`).join('; ');

/** What importing the row would change on the procedure, in the officer's words. */
function changesOf(row: CatalogueRow, p: Existing): FieldChange[] {
  const changes: FieldChange[] = [];
  const diff = (field: string, label: string, before: string, after: string) => {
    if (before !== after) {
      changes.push({ field, label, before, after });
    }
  };
  diff('name', 'Tên thủ tục', p.name, row.name);
  diff('field', 'Lĩnh vực', p.field, row.field);
  diff('level', 'Cấp thực hiện', LEVELS[p.level], LEVELS[row.level]);
  diff('limit', 'Thời hạn', limitLabel(p.processing_days, p.deadline_unit), limitLabel(row.days, row.unit));
  diff('feeVnd', 'Lệ phí (đồng)', String(Number(p.fee_vnd)), String(row.feeVnd));
  diff('feeNote', 'Ghi chú lệ phí', p.fee_note, row.feeNote);
  if (row.documents) {
    diff('documents', 'Thành phần hồ sơ', docsText(p.documents as DocumentSpec[]), docsText(row.documents));
  }
  if (row.authority) {
    diff('authority', 'Cơ quan thực hiện', p.authority, row.authority);
  }
  diff('active', 'Trạng thái', p.active ? 'Đang áp dụng' : 'Ngừng áp dụng', 'Đang áp dụng');
  // The afternoon cut-off follows the law's scope: on for a procedure that becomes same-day, off for one
  // that stops being same-day.
  if (row.days === 0 && p.processing_days !== 0 && p.cutoff_time === null && row.cutoff) {
    changes.push({ field: 'cutoff', label: 'Giờ chốt tiếp nhận', before: 'Không', after: row.cutoff.time });
  }
  if (row.days > 0 && p.processing_days === 0 && p.cutoff_time !== null) {
    changes.push({
      field: 'cutoff',
      label: 'Giờ chốt tiếp nhận',
      before: p.cutoff_time.slice(0, 5),
      after: 'Không',
    });
  }
  return changes;
}

async function plan(db: Queryable, file: Buffer, lock = false) {
  const { rows, problems } = await parseCatalogue(file);
  const existing = await loadExisting(db, lock);
  const byCode = new Map(existing.map((p) => [p.code, p]));
  const created: CatalogueRow[] = [];
  const changed: { row: CatalogueRow; procedure: Existing; changes: FieldChange[] }[] = [];
  let unchanged = 0;
  for (const row of rows) {
    const p = byCode.get(row.code);
    if (!p) {
      created.push(row);
      continue;
    }
    const changes = changesOf(row, p);
    if (changes.length > 0) {
      changed.push({ row, procedure: p, changes });
    } else {
      unchanged++;
    }
  }
  const inFile = new Set(rows.map((r) => r.code));
  const notInFile = existing.filter((p) => p.active && !inFile.has(p.code));
  return { rows, problems, created, changed, unchanged, notInFile };
}

/** The receiving desks of a new procedure: the agencies the file names, else every desk of its level. */
async function receivingAgencies(db: Queryable, actor: Actor, row: CatalogueRow) {
  const agencies = await db
    .selectFrom('agency')
    .select(['id', 'name', 'commune_code'])
    .orderBy('id')
    .execute();
  const authority = foldForSearch(row.authority);
  const named = authority ? agencies.filter((a) => authority.includes(foldForSearch(a.name))) : [];
  if (named.length > 0) {
    return named;
  }
  // The provincial centre receives every procedure of the province (NĐ 118/2025); commune desks the
  // commune-level ones.
  const byLevel = row.level === 'xa' ? agencies : agencies.filter((a) => a.commune_code === null);
  return byLevel.length > 0 ? byLevel : agencies.filter((a) => a.id === actor.agencyId);
}

export async function previewImport(app: AppContext, actor: Actor, file: Buffer) {
  requireRole(actor, ['admin'], 'import procedures');
  const p = await plan(app.db, file);
  return {
    valid: p.problems.length === 0,
    rowsRead: p.rows.length,
    problems: p.problems,
    created: await Promise.all(
      p.created.map(async (r) => ({
        row: r.row,
        code: r.code,
        name: r.name,
        field: r.field,
        limit: limitLabel(r.days, r.unit),
        feeVnd: r.feeVnd,
        cutoff: r.cutoff,
        receivingAgencies: (await receivingAgencies(app.db, actor, r)).map((a) => a.name),
      })),
    ),
    changed: p.changed.map((c) => ({
      row: c.row.row,
      code: c.row.code,
      name: c.row.name,
      changes: c.changes,
    })),
    unchanged: p.unchanged,
    notInFile: p.notInFile.map((x) => ({ code: x.code, name: x.name })),
  };
}

export function importInvalid(problems: RowProblem[]): AppError {
  return new AppError(
    'import_invalid',
    `${problems.length} row problem(s); nothing was imported`,
    `Tệp có ${problems.length} lỗi; chưa có thủ tục nào được ghi. Vui lòng sửa tệp rồi nhập lại.`,
    problems.map((p) => ({
      field: `row ${p.row}`,
      row: p.row,
      column: p.column,
      message: p.message,
      userMessage: p.userMessage,
    })),
  );
}

/** Writes the whole file in one transaction, or nothing when any row is invalid (audited). */
export async function applyImport(app: AppContext, actor: Actor, file: Buffer) {
  requireRole(actor, ['admin'], 'import procedures');
  return app.db.transaction().execute(async (tx) => {
    const p = await plan(tx, file, true);
    if (p.problems.length > 0) {
      throw importInvalid(p.problems);
    }
    const now = app.clock();
    for (const r of p.created) {
      const { id } = await tx
        .insertInto('procedure')
        .values({
          code: r.code,
          ...catalogueColumns(r),
          documents: JSON.stringify(r.documents ?? []),
          authority: r.authority,
          cutoff_time: r.cutoff?.time ?? null,
          cutoff_basis: r.cutoff?.basis ?? '',
          supplement_rule: 'restart',
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const agencies = await receivingAgencies(tx, actor, r);
      await tx
        .insertInto('procedure_agency')
        .values(agencies.map((a) => ({ procedure_id: id, agency_id: a.id })))
        .execute();
    }
    for (const { row: r, procedure, changes } of p.changed) {
      const cutoff = changes.find((c) => c.field === 'cutoff');
      await tx
        .updateTable('procedure')
        .set({
          ...catalogueColumns(r),
          ...(r.documents && { documents: JSON.stringify(r.documents) }),
          ...(r.authority && { authority: r.authority }),
          ...(cutoff && {
            cutoff_time: r.days === 0 ? (r.cutoff?.time ?? null) : null,
            cutoff_basis: r.days === 0 ? (r.cutoff?.basis ?? '') : '',
          }),
          active: true,
          updated_at: now,
        })
        .where('id', '=', procedure.id)
        .execute();
    }
    const result = { created: p.created.length, updated: p.changed.length, unchanged: p.unchanged };
    await recordAudit(
      tx,
      actor,
      'procedure.import',
      { type: 'procedure', id: 'import' },
      {
        ...result,
        createdCodes: p.created.map((r) => r.code),
        updatedCodes: p.changed.map((c) => c.row.code),
        notInFile: p.notInFile.map((x) => x.code),
      },
    );
    return result;
  });
}

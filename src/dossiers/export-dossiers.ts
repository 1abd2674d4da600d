import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { formatVnDate, loadCalendar, vnDateOf } from '../calendar/index.ts';
import { displayStoredPhone } from '../contracts/phone.ts';
import { STATUSES, type StatusCode } from '../contracts/statuses.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError } from '../errors.ts';
import { type ListFilters, toRepoFilters } from './find-dossiers.ts';
import { filterDossiers } from './repo.ts';

/** More rows than this is no longer a list for a desk: ask for narrower filters. */
export const EXPORT_MAX_ROWS = 100_000;

/** Rows fetched from the server-side cursor at a time: the export never holds more in memory. */
const CURSOR_CHUNK = 1000;

export interface DossierExport {
  /** The finished workbook; its file is already unlinked and disappears when the stream closes. */
  stream: Readable;
  size: number;
}

/**
 * The filtered list as an Excel workbook. Rows come from a server-side cursor (`pg-cursor`) a thousand at a
 * time and go straight into exceljs' streaming writer, which writes the workbook to a temporary file: memory
 * stays flat whatever the list's length. Only a complete workbook is sent, so anything that fails on the way
 * (the database, a row that cannot be written) becomes an error answer with a Vietnamese message the officer
 * sees, instead of a 200 whose body stops midway and a spreadsheet that will not open.
 */
export async function exportDossiers(app: AppContext, actor: Actor, f: ListFilters): Promise<DossierExport> {
  const today = vnDateOf(app.clock());
  const calendar = await loadCalendar(app);
  const filters = toRepoFilters(actor, f, today, calendar);
  const { n } = await filterDossiers(app.db, filters)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(n) > EXPORT_MAX_ROWS) {
    throw new AppError(
      'export_too_large',
      `The filters match ${n} dossiers; at most ${EXPORT_MAX_ROWS} can be exported`,
      `Bộ lọc có ${Number(n).toLocaleString('vi-VN')} hồ sơ, vượt quá ${EXPORT_MAX_ROWS.toLocaleString('vi-VN')} hồ sơ. Vui lòng thu hẹp điều kiện lọc.`,
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'motcua-export-'));
  try {
    const file = path.join(dir, 'danh-sach-ho-so.xlsx');
    await writeWorkbook(app, filters, today, file);
    // Opened, then unlinked: the open file lives until the answer has been sent (or the client went away).
    const handle = await open(file);
    const { size } = await handle.stat();
    return { stream: handle.createReadStream(), size };
  } catch (err) {
    if (err instanceof AppError || isDatabaseUnavailable(err)) {
      throw err;
    }
    app.logger.error({ err }, 'dossier export failed');
    throw new AppError(
      'export_failed',
      `The export failed: ${(err as Error).message}`,
      'Không xuất được danh sách hồ sơ ra Excel do lỗi hệ thống. Vui lòng thử lại sau ít phút.',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeWorkbook(
  app: AppContext,
  filters: ReturnType<typeof toRepoFilters>,
  today: string,
  file: string,
): Promise<void> {
  const out = createWriteStream(file);
  try {
    await writeRows(
      app,
      new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true }),
      filters,
      today,
    );
  } finally {
    out.destroy();
  }
}

async function writeRows(
  app: AppContext,
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  filters: ReturnType<typeof toRepoFilters>,
  today: string,
): Promise<void> {
  const sheet = workbook.addWorksheet('Danh sách hồ sơ');
  sheet.columns = [
    { header: 'STT', key: 'no', width: 6 },
    { header: 'Mã hồ sơ', key: 'code', width: 28 },
    { header: 'Thủ tục hành chính', key: 'procedure', width: 50 },
    { header: 'Người nộp', key: 'name', width: 26 },
    { header: 'Số CCCD', key: 'idNumber', width: 15 },
    { header: 'Điện thoại', key: 'phone', width: 15 },
    { header: 'Ngày tiếp nhận', key: 'received', width: 14 },
    { header: 'Ngày hẹn trả', key: 'due', width: 14 },
    { header: 'Trạng thái', key: 'status', width: 30 },
    { header: 'Quá hạn', key: 'overdue', width: 9 },
    { header: 'Nhận thông báo Zalo', key: 'zalo', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const rows = filterDossiers(app.db, filters)
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .select([
      'd.code',
      'p.name as procedure',
      'd.applicant_name',
      'd.applicant_id_number',
      'd.phone',
      'd.received_at',
      'd.due_date',
      'd.status',
      'd.finished_at',
      'd.clock_paused_at',
      'd.notify_by_zalo',
    ])
    .orderBy('d.received_at', 'desc')
    .orderBy('d.id', 'desc')
    .stream(CURSOR_CHUNK);
  let no = 0;
  for await (const d of rows) {
    sheet
      .addRow({
        no: ++no,
        code: d.code,
        procedure: d.procedure,
        name: d.applicant_name,
        idNumber: d.applicant_id_number,
        phone: displayStoredPhone(d.phone),
        received: formatVnDate(vnDateOf(new Date(d.received_at))),
        due: formatVnDate(d.due_date),
        status: STATUSES[d.status as StatusCode].label,
        overdue: d.finished_at === null && d.clock_paused_at === null && d.due_date < today ? 'Có' : '',
        zalo: d.notify_by_zalo ? 'Có' : '',
      })
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { formatVnDate, vnDateOf } from '../calendar/dates.ts';
import { loadCalendar } from '../calendar/repo.ts';
import { displayStoredPhone } from '../contracts/phone.ts';
import { STATUSES, type StatusCode } from '../contracts/statuses.ts';
import { AppError } from '../errors.ts';
import { type ListFilters, toRepoFilters } from './find-dossiers.ts';
import { filterDossiers } from './repo.ts';

/** More rows than this is no longer a list for a desk: ask for narrower filters. */
export const EXPORT_MAX_ROWS = 100_000;

/** The filtered list as an Excel workbook, streamed row by row. */
export async function exportDossiers(app: AppContext, actor: Actor, f: ListFilters): Promise<PassThrough> {
  const today = vnDateOf(app.clock());
  const calendar = await loadCalendar(app.db);
  const filters = toRepoFilters(actor, f, today, calendar);
  const { n } = await filterDossiers(app.db, filters)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(n) > EXPORT_MAX_ROWS) {
    throw new AppError(
      'export_too_large',
      400,
      `The filters match ${n} dossiers; at most ${EXPORT_MAX_ROWS} can be exported`,
      `Bộ lọc có ${n} hồ sơ, vượt quá ${EXPORT_MAX_ROWS.toLocaleString('vi-VN')} hồ sơ. Vui lòng thu hẹp điều kiện lọc.`,
    );
  }
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
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
    { header: 'Trạng thái', key: 'status', width: 24 },
    { header: 'Quá hạn', key: 'overdue', width: 9 },
    { header: 'Nhận thông báo Zalo', key: 'zalo', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  void (async () => {
    try {
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
        .stream(1000);
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
    } catch (err) {
      app.logger.error({ err }, 'dossier export failed');
      out.destroy(err as Error);
    }
  })();
  return out;
}

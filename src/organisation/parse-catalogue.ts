import ExcelJS from 'exceljs';
import type { DeadlineUnit } from '../calendar/index.ts';
import { cleanText, foldForSearch } from '../contracts/text.ts';
import type { DocumentSpec } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import {
  defaultCutoff,
  type Read,
  readCode,
  readDocuments,
  readFee,
  readLevel,
  readLimit,
} from './catalogue-rules.ts';

/**
 * Reads the province's procedure list as the national catalogue exports it to Excel: the header row is
 * found by its titles (Mã thủ tục, Tên thủ tục, Lĩnh vực, Thời hạn giải quyết, Phí/Lệ phí, Thành phần hồ
 * sơ, Cơ quan thực hiện, Cấp thực hiện — in any order, with or without diacritics), then every row below
 * it is read, each problem named with its row and column in Vietnamese.
 */
export interface CatalogueRow {
  /** The worksheet row number, as Excel shows it. */
  row: number;
  code: string;
  name: string;
  field: string;
  level: 'tinh' | 'xa';
  days: number;
  unit: DeadlineUnit;
  limitText: string;
  feeVnd: number;
  feeNote: string;
  /** Null when the file has no documents column: documents are then left as they are. */
  documents: DocumentSpec[] | null;
  authority: string;
  /** For a new same-day procedure: the 15:00 cut-off and its basis. */
  cutoff: { time: string; basis: string } | null;
}

export interface RowProblem {
  row: number;
  column: string;
  message: string;
  userMessage: string;
}

type Column = 'code' | 'name' | 'field' | 'limit' | 'fee' | 'documents' | 'authority' | 'level';

const TITLES: Record<Column, { label: string; match: RegExp }> = {
  code: { label: 'Mã thủ tục', match: /^(ma (thu tuc|tthc|so tthc|so thu tuc)|ma)$/ },
  name: { label: 'Tên thủ tục', match: /^ten (thu tuc|tthc)/ },
  field: { label: 'Lĩnh vực', match: /^linh vuc/ },
  limit: { label: 'Thời hạn giải quyết', match: /^thoi han/ },
  fee: { label: 'Phí, lệ phí', match: /^(phi|le phi)/ },
  documents: { label: 'Thành phần hồ sơ', match: /^thanh phan ho so/ },
  authority: { label: 'Cơ quan thực hiện', match: /^co quan (thuc hien|giai quyet|co tham quyen)/ },
  level: { label: 'Cấp thực hiện', match: /^cap (thuc hien|giai quyet)/ },
};
const REQUIRED: Column[] = ['code', 'name', 'field', 'limit'];
/** The header is among the first rows (exports put a title above it). */
const HEADER_SEARCH_ROWS = 15;
export const MAX_ROWS = 5000;

function badFile(message: string, userMessage: string): AppError {
  return new AppError('import_file_invalid', message, userMessage);
}

/** The text of a cell whatever Excel stored: rich text, a formula's result, a number, a hyperlink. */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) {
    return '';
  }
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown };
    if (o.richText) {
      return o.richText.map((r) => r.text).join('');
    }
    if ('result' in o) {
      return String(o.result ?? '');
    }
    if (typeof o.text === 'string') {
      return o.text;
    }
  }
  return String(v);
}

export async function parseCatalogue(
  file: Buffer,
): Promise<{ rows: CatalogueRow[]; problems: RowProblem[] }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw badFile(
      'the file is not an Excel .xlsx workbook',
      'Tệp không phải bảng tính Excel (.xlsx). Nếu tệp là .xls, hãy mở bằng Excel và lưu lại dạng .xlsx.',
    );
  }
  for (const sheet of workbook.worksheets) {
    const found = findHeader(sheet);
    if (found) {
      return readRows(sheet, found.row, found.columns);
    }
  }
  throw badFile(
    'no header row with the columns Mã thủ tục, Tên thủ tục, Lĩnh vực, Thời hạn giải quyết',
    `Không tìm thấy dòng tiêu đề có các cột ${REQUIRED.map((c) => `“${TITLES[c].label}”`).join(', ')}.`,
  );
}

function findHeader(
  sheet: ExcelJS.Worksheet,
): { row: number; columns: Partial<Record<Column, number>> } | undefined {
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount); r++) {
    const columns: Partial<Record<Column, number>> = {};
    sheet.getRow(r).eachCell((cell, c) => {
      const title = foldForSearch(cellText(cell))
        .replace(/[^a-z0-9 ]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      for (const [key, t] of Object.entries(TITLES) as [Column, (typeof TITLES)[Column]][]) {
        if (columns[key] === undefined && t.match.test(title)) {
          columns[key] = c;
          break;
        }
      }
    });
    if (REQUIRED.every((k) => columns[k] !== undefined)) {
      return { row: r, columns };
    }
  }
  return undefined;
}

function readRows(sheet: ExcelJS.Worksheet, header: number, columns: Partial<Record<Column, number>>) {
  const rows: CatalogueRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  if (sheet.rowCount - header > MAX_ROWS) {
    throw badFile(
      `more than ${MAX_ROWS} rows`,
      `Tệp có hơn ${MAX_ROWS.toLocaleString('vi-VN')} dòng: vui lòng chia nhỏ danh mục.`,
    );
  }
  for (let r = header + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const get = (c: Column) => (columns[c] === undefined ? '' : cellText(row.getCell(columns[c]!)).trim());
    const cells = { code: get('code'), name: get('name'), field: get('field'), limit: get('limit') };
    // Blank rows and the section titles exports put between groups ("I. Lĩnh vực Hộ tịch") are skipped.
    if (!cells.code && (!cells.name || !cells.limit)) {
      continue;
    }
    const problem = (column: Column, read: { message: string; userMessage: string }) =>
      problems.push({
        row: r,
        column: TITLES[column].label,
        message: `row ${r}, ${column}: ${read.message}`,
        userMessage: `Dòng ${r}, cột “${TITLES[column].label}”: ${read.userMessage}`,
      });
    const missing = (column: Column): undefined => {
      problem(column, { message: 'missing', userMessage: 'còn trống.' });
      return undefined;
    };
    const required = (column: Column, value: string, max: number): string | undefined => {
      const v = cleanText(value);
      if (!v) {
        return missing(column);
      }
      if (v.length > max) {
        problem(column, { message: `longer than ${max} characters`, userMessage: `dài quá ${max} ký tự.` });
        return undefined;
      }
      return v;
    };
    const take = <T>(column: Column, read: Read<T>): T | undefined => {
      if (read.ok) {
        return read.value;
      }
      problem(column, read);
      return undefined;
    };
    const code = cells.code ? take('code', readCode(cells.code)) : missing('code');
    const name = required('name', cells.name, 500);
    const field = required('field', cells.field, 200);
    const limit = cells.limit ? take('limit', readLimit(cells.limit)) : missing('limit');
    const fee = take('fee', readFee(get('fee')));
    const documents =
      columns.documents === undefined ? null : take('documents', readDocuments(get('documents')));
    const authority = cleanText(get('authority')).slice(0, 300);
    const level = take('level', readLevel(get('level'), authority));
    if (code) {
      const earlier = seen.get(code);
      if (earlier !== undefined) {
        problem('code', {
          message: `code ${code} is also on row ${earlier}`,
          userMessage: `mã ${code} trùng với dòng ${earlier}.`,
        });
      } else {
        seen.set(code, r);
      }
    }
    if (
      code === undefined ||
      name === undefined ||
      field === undefined ||
      limit === undefined ||
      fee === undefined ||
      documents === undefined ||
      level === undefined
    ) {
      continue;
    }
    rows.push({
      row: r,
      code,
      name,
      field,
      level,
      days: limit.days,
      unit: limit.unit,
      limitText: cleanText(cells.limit),
      feeVnd: fee.feeVnd,
      feeNote: fee.feeNote,
      documents,
      authority,
      cutoff: defaultCutoff(field, limit, cells.limit),
    });
  }
  if (rows.length === 0 && problems.length === 0) {
    throw badFile('no procedure below the header row', 'Tệp không có thủ tục nào dưới dòng tiêu đề.');
  }
  return { rows, problems };
}

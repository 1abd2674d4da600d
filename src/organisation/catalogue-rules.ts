import type { DeadlineUnit } from '../calendar/index.ts';
import { cleanText, foldForSearch } from '../contracts/text.ts';
import type { DocumentSpec } from '../db/schema.ts';

/**
 * How the national catalogue (Cơ sở dữ liệu quốc gia về TTHC) writes a procedure's cells, read into our
 * procedure fields. Pure text rules: each returns the value or a Vietnamese reason it cannot be read.
 */
export type Read<T> = { ok: true; value: T } | { ok: false; userMessage: string; message: string };

const fail = <T>(message: string, userMessage: string): Read<T> => ({ ok: false, message, userMessage });

/** "1.001612", or its variants "1.001612.000.00.00.H50" / "1.012784.H21": the procedure code is the first two parts. */
export function readCode(cell: string): Read<string> {
  const m = /^(\d\.\d{6})(?:\.[0-9A-Z.]+)?$/.exec(cell.trim().toUpperCase());
  if (!m) {
    return fail(
      `code "${cell}" is not a national procedure code such as 1.001612`,
      `Mã thủ tục “${cell}” không đúng dạng (ví dụ đúng: 1.001612).`,
    );
  }
  return { ok: true, value: m[1]! };
}

export interface Limit {
  days: number;
  unit: DeadlineUnit;
  /** The text names the afternoon cut-off ("sau 15 giờ"). */
  mentionsCutoff: string | null;
}

/**
 * "03 ngày làm việc", "Không quá 10 ngày", "15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ", "Trong ngày",
 * "Ngay trong ngày tiếp nhận; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp
 * theo". The first limit stated is the procedure's; later ones are exceptions (verification, etc.).
 */
export function readLimit(cell: string): Read<Limit> {
  const text = foldForSearch(cell);
  const cutoff = /sau (\d{1,2}) ?(?:gio|h)\b/.exec(text);
  const mentionsCutoff = cutoff ? `${cutoff[1]!.padStart(2, '0')}:00` : null;
  const days = /(\d{1,3}) ?ngay( lam viec)?/.exec(text);
  const sameDay = /(trong ngay|ngay sau khi|giai quyet ngay|tra ket qua ngay)/.exec(text);
  if (days && (!sameDay || days.index < sameDay.index)) {
    const n = Number(days[1]);
    if (n > 365) {
      return fail(`limit "${cell}" is over 365 days`, `Thời hạn giải quyết “${cell}” quá 365 ngày.`);
    }
    return { ok: true, value: { days: n, unit: days[2] ? 'working_days' : 'calendar_days', mentionsCutoff } };
  }
  if (sameDay) {
    return { ok: true, value: { days: 0, unit: 'working_days', mentionsCutoff } };
  }
  if (/\d+ ?(gio|h)\b/.test(text)) {
    return fail(
      `limit "${cell}" is in hours; give it in days`,
      `Thời hạn giải quyết “${cell}” tính theo giờ: vui lòng ghi “Trong ngày” hoặc số ngày.`,
    );
  }
  return fail(
    `limit "${cell}" could not be read`,
    `Không đọc được thời hạn giải quyết “${cell}” (ví dụ đúng: “03 ngày làm việc”, “Không quá 10 ngày”, “Trong ngày”).`,
  );
}

/** "100.000 đồng/lần", "Lệ phí: 50.000đ", "Không", "Theo Nghị quyết của HĐND tỉnh" (amount unknown: 0, with the note). */
export function readFee(cell: string): Read<{ feeVnd: number; feeNote: string }> {
  const note = cleanText(cell);
  if (note.length > 500) {
    return fail('fee is longer than 500 characters', 'Ô phí, lệ phí dài quá 500 ký tự.');
  }
  const folded = foldForSearch(note);
  if (note === '' || /^(khong|khong co|mien|mien phi|mien le phi)\.?$/.test(folded)) {
    return { ok: true, value: { feeVnd: 0, feeNote: note } };
  }
  const amount = /(\d{1,3}(?:[.,]\d{3})+|\d+) ?(?:dong|d\b|vnd)/.exec(folded);
  if (!amount) {
    return { ok: true, value: { feeVnd: 0, feeNote: note } };
  }
  const feeVnd = Number(amount[1]!.replace(/[.,]/g, ''));
  if (feeVnd > 1_000_000_000) {
    return fail(`fee "${cell}" is over 1 000 000 000`, `Lệ phí “${cell}” vượt quá 1.000.000.000 đồng.`);
  }
  return { ok: true, value: { feeVnd, feeNote: note } };
}

/** One document per line; bullets and numbering dropped; the form (bản chính / sao / chụp) from the words. */
export function readDocuments(cell: string): Read<DocumentSpec[]> {
  const lines = cell
    .split(/\r?\n|;\s*(?=\S)/)
    .map((l) => cleanText(l.replace(/^\s*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))\s*/iu, '')))
    .filter((l) => l.length > 0);
  if (lines.length > 50) {
    return fail('more than 50 documents', 'Thành phần hồ sơ có quá 50 giấy tờ.');
  }
  const tooLong = lines.find((l) => l.length > 300);
  if (tooLong) {
    return fail(
      'a document name is longer than 300 characters',
      `Tên giấy tờ dài quá 300 ký tự: “${tooLong.slice(0, 60)}…”.`,
    );
  }
  return {
    ok: true,
    value: lines.map((name) => {
      const f = foldForSearch(name);
      const form = /ban chup/.test(f) ? 'Bản chụp' : /ban sao/.test(f) ? 'Bản sao' : 'Bản chính';
      return { name, form, quantity: 1 };
    }),
  };
}

/** "Cấp Tỉnh" / "Cấp Xã"; the district level no longer exists since 1/7/2025. */
export function readLevel(cell: string, authority: string): Read<'tinh' | 'xa'> {
  const level = foldForSearch(cell);
  if (/huyen/.test(level)) {
    return fail(
      'the district level no longer exists since 1/7/2025',
      'Cấp huyện không còn từ ngày 01/07/2025: vui lòng ghi Cấp tỉnh hoặc Cấp xã.',
    );
  }
  if (/\bxa\b|phuong|dac khu/.test(level)) {
    return { ok: true, value: 'xa' };
  }
  if (/tinh|trung uong|bo\b/.test(level)) {
    return { ok: true, value: 'tinh' };
  }
  return {
    ok: true,
    value: /\b(cap xa|ubnd xa|ubnd phuong|xa|phuong)\b/.test(foldForSearch(authority)) ? 'xa' : 'tinh',
  };
}

/**
 * The afternoon cut-off a new same-day procedure gets, with its legal basis: the law's 15:00 rule is for
 * matters resolved on the day of receipt; multi-day limits have none.
 */
export function defaultCutoff(
  field: string,
  limit: Limit,
  limitText: string,
): { time: string; basis: string } | null {
  if (limit.days !== 0) {
    return null;
  }
  const f = foldForSearch(field);
  if (limit.mentionsCutoff) {
    return { time: limit.mentionsCutoff, basis: `Thời hạn công bố: “${cleanText(limitText).slice(0, 250)}”` };
  }
  if (/ho tich/.test(f)) {
    return { time: '15:00', basis: 'Luật Hộ tịch 2014, Điều 5 khoản 3' };
  }
  if (/chung thuc/.test(f)) {
    return { time: '15:00', basis: 'Nghị định số 23/2015/NĐ-CP, Điều 7' };
  }
  if (/giao dich bao dam|bien phap bao dam/.test(f)) {
    return { time: '15:00', basis: 'Nghị định số 99/2022/NĐ-CP, Điều 16 khoản 1' };
  }
  return { time: '15:00', basis: 'Thủ tục giải quyết trong ngày (quyết định công bố thủ tục hành chính)' };
}

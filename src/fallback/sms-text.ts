import { formatVnDate } from '../calendar/index.ts';
import type { StatusCode } from '../contracts/statuses.ts';
import { stripMarks } from '../contracts/text.ts';

/**
 * SMS texts and their cost. Vietnamese with diacritics cannot be written in GSM-7, so one such letter makes
 * the whole message UCS-2: 70 characters per SMS instead of 160. Brandname SMS are billed per segment, hence
 * the unaccented variant and the segment count recorded on every message.
 */

export interface SmsFacts {
  dossierCode: string;
  status: StatusCode;
  action: string;
  dueDate: string | null;
  amountVnd?: number | undefined;
  /** The signed rating link, on the status change that invited the citizen to rate (src/ratings). */
  ratingUrl?: string | null | undefined;
}

/** What each status means for the citizen, short enough that code + meaning fit one GSM-7 SMS. */
const MEANING: Record<StatusCode, (f: SmsFacts) => string> = {
  1: () => 'đã được gửi, đang chờ tiếp nhận.',
  2: (f) => `đã được tiếp nhận.${due(f)}`,
  3: () => 'không được tiếp nhận. Vui lòng liên hệ Bộ phận Một cửa.',
  4: (f) => `đang được xử lý.${due(f)}`,
  5: () => 'cần bổ sung giấy tờ. Vui lòng liên hệ Bộ phận Một cửa.',
  6: (f) =>
    `cần nộp phí, lệ phí${f.amountVnd ? ` ${new Intl.NumberFormat('vi-VN').format(f.amountVnd)} đồng` : ''}.`,
  7: () => 'đã ghi nhận yêu cầu rút hồ sơ.',
  8: () => 'đã dừng xử lý. Vui lòng liên hệ Bộ phận Một cửa.',
  9: () => 'đã có kết quả. Mời ông/bà đến nhận kết quả.',
  10: () => 'đã trả kết quả. Cảm ơn ông/bà.',
};

function due(f: SmsFacts): string {
  return f.dueDate ? ` Hẹn trả kết quả ngày ${formatVnDate(f.dueDate)}.` : '';
}

/** The SMS for a status change: dossier code, what the status means, the appointment date when relevant. */
export function smsText(f: SmsFacts, opts: { unaccented: boolean }): string {
  const meaning =
    f.action === 'apologise' && f.dueDate
      ? `được hẹn lại ngày trả kết quả: ${formatVnDate(f.dueDate)}. Xin lỗi ông/bà vì sự chậm trễ.`
      : MEANING[f.status](f);
  const text = `Hồ sơ ${f.dossierCode} ${meaning}${f.ratingUrl ? ` Mời đánh giá: ${f.ratingUrl}` : ''}`;
  return opts.unaccented ? removeDiacritics(text) : text;
}

/** "Hồ sơ đã được tiếp nhận" → "Ho so da duoc tiep nhan". đ/Đ are letters of their own and mapped explicitly. */
export function removeDiacritics(text: string): string {
  // Back to NFC: what is left still decomposes without marks (Hangul syllables into jamo).
  return stripMarks(text).normalize('NFC');
}

/** The GSM 03.38 default alphabet (one septet each) and its extension table (escape + one septet). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

export interface SmsCost {
  encoding: 'gsm7' | 'ucs2';
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/**
 * Encoding and number of SMS segments: GSM-7 carries 160 septets in one SMS or 153 per part of a long one
 * (the rest is the concatenation header), UCS-2 70 characters or 67 per part. An escape sequence or a
 * surrogate pair is never split between two parts, so a part may hold one unit less.
 */
export function smsCost(text: string): SmsCost {
  const chars = [...text];
  const gsm = chars.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c));
  const sizes = gsm ? chars.map((c) => (GSM7_EXTENSION.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  const units = sizes.reduce((a, b) => a + b, 0);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  if (units <= single) {
    return { encoding: gsm ? 'gsm7' : 'ucs2', units, segments: 1 };
  }
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding: gsm ? 'gsm7' : 'ucs2', units, segments };
}

import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { vnDateOf, vnTimeOf } from '../calendar/index.ts';

/**
 * Shared layout of the official forms: A4, Be Vietnam Pro (a full TTF: every Vietnamese letter and tone mark,
 * and fast to embed), the two-column header with the national motto.
 */
/**
 * Fonts are parsed once per process and shared by every document (pdfkit accepts a fontkit font and
 * subsets it per document): parsing them for each PDF was most of the render time. The files are vendored
 * under their licence in ./fonts (OFL 1.1).
 */
const font = (style: string) =>
  fontkit.create(readFileSync(new URL(`./fonts/BeVietnamPro-${style}.ttf`, import.meta.url)));
const FONTS = {
  regular: font('Regular'),
  bold: font('Bold'),
  italic: font('Italic'),
};

export const MARGIN = 56;
export const PAGE_WIDTH = 595.28;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;

export type Doc = PDFKit.PDFDocument;

export function newDocument(title: string): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: title, Producer: 'motcua-zalo' },
  });
  doc.registerFont('R', FONTS.regular as unknown as Buffer);
  doc.registerFont('B', FONTS.bold as unknown as Buffer);
  doc.registerFont('I', FONTS.italic as unknown as Buffer);
  doc.font('R').fontSize(12);
  return doc;
}

export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export interface HeaderInfo {
  parentName: string;
  agencyName: string;
  place: string;
  date: Date;
  number?: string;
}

/** Left: the parent body and the desk; right: the national motto and "<place>, ngày … tháng … năm …". */
export function header(doc: Doc, h: HeaderInfo): void {
  const top = doc.y;
  const leftWidth = 220;
  const rightX = MARGIN + 230;
  const rightWidth = CONTENT_WIDTH - 230;
  doc
    .font('R')
    .fontSize(11)
    .text(h.parentName.toUpperCase(), MARGIN, top, { width: leftWidth, align: 'center' });
  doc.font('B').fontSize(11).text(h.agencyName.toUpperCase(), { width: leftWidth, align: 'center' });
  const leftBottom = doc.y;
  line(doc, MARGIN + leftWidth / 2 - 30, leftBottom + 2, 60);
  if (h.number) {
    doc
      .font('R')
      .fontSize(10)
      .text(`Số: ${h.number}`, MARGIN, leftBottom + 8, { width: leftWidth, align: 'center' });
  }
  const leftEnd = doc.y;

  doc
    .font('B')
    .fontSize(11)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: rightWidth, align: 'center' });
  doc.font('B').fontSize(12).text('Độc lập - Tự do - Hạnh phúc', { width: rightWidth, align: 'center' });
  const mottoBottom = doc.y;
  line(doc, rightX + rightWidth / 2 - 75, mottoBottom + 2, 150);
  doc
    .font('I')
    .fontSize(11)
    .text(`${h.place}, ${vietnameseDate(h.date)}`, rightX, mottoBottom + 8, {
      width: rightWidth,
      align: 'center',
    });
  doc.x = MARGIN;
  doc.y = Math.max(doc.y, leftEnd) + 18;
}

export function title(doc: Doc, text: string, subtitle?: string): void {
  doc.font('B').fontSize(14).text(text, MARGIN, doc.y, { width: CONTENT_WIDTH, align: 'center' });
  if (subtitle) {
    doc.font('B').fontSize(12).text(subtitle, { width: CONTENT_WIDTH, align: 'center' });
  }
  doc.moveDown(0.8);
}

/** "Label: value" with the label in regular and the value in bold. */
export function field(doc: Doc, label: string, value: string, opts: { width?: number } = {}): void {
  doc
    .font('R')
    .fontSize(12)
    .text(`${label}: `, { continued: true, width: opts.width ?? CONTENT_WIDTH })
    .font('B')
    .text(value || '…………………………');
}

export function paragraph(doc: Doc, text: string, font: 'R' | 'B' | 'I' = 'R'): void {
  doc.font(font).fontSize(12).text(text, MARGIN, doc.y, { width: CONTENT_WIDTH, align: 'justify' });
}

/** A bordered table with a header row; column widths in points. */
export function table(
  doc: Doc,
  columns: { title: string; width: number; align?: 'left' | 'center' }[],
  rows: string[][],
): void {
  const padding = 4;
  let y = doc.y + 4;
  const drawRow = (cells: string[], font: 'R' | 'B') => {
    doc.font(font).fontSize(11);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: columns[i]!.width - 2 * padding }));
    const h = Math.max(...heights) + 2 * padding;
    if (y + h > doc.page.height - MARGIN) {
      doc.addPage();
      y = MARGIN;
    }
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const col = columns[i]!;
      doc.rect(x, y, col.width, h).stroke();
      doc.text(cell, x + padding, y + padding, {
        width: col.width - 2 * padding,
        align: col.align ?? 'left',
      });
      x += col.width;
    });
    y += h;
  };
  drawRow(
    columns.map((c) => c.title),
    'B',
  );
  for (const row of rows) {
    drawRow(row, 'R');
  }
  doc.x = MARGIN;
  doc.y = y + 8;
}

/** Two signature blocks side by side. */
export function signatures(
  doc: Doc,
  left: { title: string; name?: string },
  right: { title: string; name?: string },
): void {
  if (doc.y > doc.page.height - MARGIN - 110) {
    doc.addPage();
  }
  const y = doc.y + 12;
  const w = CONTENT_WIDTH / 2;
  for (const [i, s] of [left, right].entries()) {
    const x = MARGIN + i * w;
    doc.font('B').fontSize(12).text(s.title, x, y, { width: w, align: 'center' });
    doc.font('I').fontSize(10).text('(Ký và ghi rõ họ tên)', x, doc.y, { width: w, align: 'center' });
    if (s.name) {
      doc
        .font('B')
        .fontSize(12)
        .text(s.name, x, y + 80, { width: w, align: 'center' });
    }
  }
  doc.x = MARGIN;
  doc.y = y + 110;
}

function line(doc: Doc, x: number, y: number, width: number): void {
  doc
    .moveTo(x, y)
    .lineTo(x + width, y)
    .lineWidth(0.8)
    .stroke();
}

/** "ngày 05 tháng 03 năm 2026" */
export function vietnameseDate(instant: Date): string {
  const [y, m, d] = vnDateOf(instant).split('-');
  return `ngày ${d} tháng ${m} năm ${y}`;
}

/** "14 giờ 05 phút, ngày 05 tháng 03 năm 2026" */
export function vietnameseDateTime(instant: Date): string {
  const [hh, mm] = vnTimeOf(instant).split(':');
  return `${hh} giờ ${mm} phút, ${vietnameseDate(instant)}`;
}

export function formatMoney(amount: number): string {
  return `${new Intl.NumberFormat('vi-VN').format(amount)} đồng`;
}

/**
 * A QR code as an 8-bit greyscale PNG without alpha: pdfkit embeds such a PNG's compressed data as it is,
 * where an RGBA one (what the qrcode package writes) is decoded and re-encoded for every document.
 */
export function qrPng(text: string, scale = 4, margin = 1): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const size = (n + 2 * margin) * scale;
  const grey = Buffer.alloc(size * size, 255);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (qr.modules.get(y, x)) {
        for (let dy = 0; dy < scale; dy++) {
          const row = ((y + margin) * scale + dy) * size;
          grey.fill(0, row + (x + margin) * scale, row + (x + margin + 1) * scale);
        }
      }
    }
  }
  const png = new PNG({ width: size, height: size, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = grey;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

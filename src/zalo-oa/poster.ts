import { createHash } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { CONTENT_WIDTH, MARGIN, newDocument, PAGE_WIDTH, toBuffer } from '../pdf/index.ts';
import { oaQrJpeg, type SiteInfo, siteInfo } from './oa-qr.ts';

interface PosterAgency {
  id: number;
  name: string;
  address: string;
  hotline: string;
}

/** Posters rendered, per database and agency: the key says what each shows, the PDF is shared by all. */
function posterRenders(): WeakMap<object, Map<string, { key: string; pdf: Promise<Buffer> }>> {
  return new WeakMap();
}

/**
 * The desk poster as a PDF and its ETag. The poster is public and costs ~100 ms of CPU to draw, so it is drawn
 * once per change of what it shows (province, agency, uploaded OA QR, the day of the example code) and kept;
 * concurrent requests wait for the same drawing. Deciding costs two small reads.
 */
export async function posterPdf(
  app: AppContext,
  agencyCode?: string,
): Promise<{ pdf: Buffer; etag: string }> {
  const [site, agency, uploaded] = await Promise.all([
    siteInfo(app),
    app.db
      .selectFrom('agency')
      .select(['id', 'name', 'address', 'hotline'])
      .$if(agencyCode !== undefined, (q) => q.where('code', '=', agencyCode!))
      .orderBy((eb) => eb('commune_code', 'is', null), 'desc')
      .orderBy('id')
      .executeTakeFirst(),
    app.db.selectFrom('oa_qr_image').select('uploaded_at').executeTakeFirst(),
  ]);
  const key = JSON.stringify([site, agency, uploaded?.uploaded_at, app.config.http.publicBaseUrl]);
  const rendered = app.caches.of(posterRenders);
  let byAgency = rendered.get(app.db);
  if (!byAgency) {
    byAgency = new Map();
    rendered.set(app.db, byAgency);
  }
  const slot = String(agency?.id ?? 'none');
  let entry = byAgency.get(slot);
  if (entry?.key !== key) {
    const pdf = renderPoster(app, site, agency);
    entry = { key, pdf };
    byAgency.set(slot, entry);
    pdf.catch(() => byAgency.delete(slot));
  }
  return {
    pdf: await entry.pdf,
    etag: `"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`,
  };
}

/**
 * The A4 poster for the desk, "Tra cứu hồ sơ qua Zalo": the OA's QR, the three steps, the look-up address and
 * the desk's hotline (the provincial centre's unless an agency is asked for).
 */
async function renderPoster(
  app: AppContext,
  site: SiteInfo,
  agency: PosterAgency | undefined,
): Promise<Buffer> {
  const qr = await oaQrJpeg(app);
  const doc = newDocument('Tra cứu hồ sơ qua Zalo');
  doc.font('B').fontSize(30).fillColor('#0068ff').text('TRA CỨU HỒ SƠ QUA ZALO', { align: 'center' });
  doc.moveDown(0.3);
  doc.font('R').fontSize(15).fillColor('#111111').text(`Zalo OA “${site.oaName}”`, { align: 'center' });
  doc.moveDown(0.8);
  const qrSize = 250;
  doc.image(qr, (PAGE_WIDTH - qrSize) / 2, doc.y, { width: qrSize, height: qrSize });
  doc.y += qrSize + 16;
  const steps = [
    ['Quét mã QR', `Mở Zalo, quét mã QR ở trên (hoặc tìm “${site.oaName}”) và bấm “Quan tâm”.`],
    [
      'Gửi mã hồ sơ',
      `Gõ mã hồ sơ in trên Giấy tiếp nhận hồ sơ vào khung chat, ví dụ ${site.exampleCode}, hoặc quét mã QR trên Giấy tiếp nhận.`,
    ],
    [
      'Nhận kết quả ngay',
      'Zalo trả lời tình trạng hồ sơ, ngày hẹn trả và việc cần làm. Bấm “Theo dõi hồ sơ này” để được báo khi hồ sơ có thay đổi.',
    ],
  ];
  for (const [i, [head, text]] of steps.entries()) {
    const top = doc.y;
    doc.circle(MARGIN + 18, top + 16, 16).fill('#0068ff');
    doc
      .font('B')
      .fontSize(18)
      .fillColor('#ffffff')
      .text(String(i + 1), MARGIN, top + 5, { width: 36, align: 'center' });
    doc
      .fillColor('#111111')
      .font('B')
      .fontSize(15)
      .text(head!, MARGIN + 50, top, { width: CONTENT_WIDTH - 50 });
    doc
      .font('R')
      .fontSize(13)
      .text(text!, MARGIN + 50, doc.y + 2, { width: CONTENT_WIDTH - 50 });
    doc.y += 14;
  }
  doc.moveDown(0.5);
  doc
    .font('R')
    .fontSize(12)
    .fillColor('#111111')
    .text(`Tra cứu trên trang web: ${app.config.http.publicBaseUrl}/tra-cuu`, MARGIN, doc.y, {
      width: CONTENT_WIDTH,
      align: 'center',
    });
  if (agency) {
    doc.moveDown(0.4);
    doc.font('B').text(agency.name, { width: CONTENT_WIDTH, align: 'center' });
    if (agency.address) {
      doc.font('R').text(agency.address, { width: CONTENT_WIDTH, align: 'center' });
    }
    if (agency.hotline) {
      doc
        .font('B')
        .fontSize(14)
        .text(`Đường dây nóng: ${agency.hotline}`, { width: CONTENT_WIDTH, align: 'center' });
    }
  }
  return toBuffer(doc);
}

import type { AppContext } from '../app-context.ts';
import { CONTENT_WIDTH, MARGIN, newDocument, PAGE_WIDTH, toBuffer } from '../forms/pdf.ts';
import { oaQrJpeg, siteInfo } from './oa-qr.ts';

/**
 * The A4 poster for the desk, "Tra cứu hồ sơ qua Zalo": the OA's QR, the three steps, the look-up address and
 * the desk's hotline. `agencyCode` picks whose hotline; by default the provincial centre's.
 */
export async function renderPoster(app: AppContext, agencyCode?: string): Promise<Buffer> {
  const site = await siteInfo(app);
  const agency = await app.db
    .selectFrom('agency')
    .select(['name', 'address', 'hotline'])
    .$if(agencyCode !== undefined, (q) => q.where('code', '=', agencyCode!))
    .orderBy((eb) => eb('commune_code', 'is', null), 'desc')
    .orderBy('id')
    .executeTakeFirst();
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

import { vnDateOf, vnInstant } from '../calendar/index.ts';
import { displayStoredPhone } from '../contracts/phone.ts';
import { limitLabel } from '../contracts/procedures.ts';
import { CHANNELS } from '../contracts/statuses.ts';
import type { ReceivedDocument } from '../db/schema.ts';
import { formRuleSet } from '../dossiers/index.ts';
import {
  CONTENT_WIDTH,
  field,
  formatMoney,
  header,
  MARGIN,
  newDocument,
  paragraph,
  qrPng,
  signatures,
  table,
  toBuffer,
  vietnameseDateTime,
} from '../pdf/index.ts';
import type { FormData } from './form-data.ts';

const QR_SIZE = 92;

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the signed look-up QR and the Zalo guidance. */
export async function renderReceipt(f: FormData): Promise<Buffer> {
  const d = f.dossier;
  const receivedAt = new Date(d.received_at);
  const rules = formRuleSet(vnDateOf(receivedAt));
  const doc = newDocument(`${rules.titles.receipt} ${d.code}`);
  header(doc, {
    parentName: d.agency_parent_name,
    agencyName: d.agency_name,
    place: f.place,
    date: receivedAt,
  });

  const qr = qrPng(f.lookupUrl);
  const qrTop = doc.y;
  doc.image(qr, MARGIN + CONTENT_WIDTH - QR_SIZE, qrTop, { width: QR_SIZE });
  doc
    .font('I')
    .fontSize(8)
    .text('Quét mã để tra cứu', MARGIN + CONTENT_WIDTH - QR_SIZE - 10, qrTop + QR_SIZE + 2, {
      width: QR_SIZE + 20,
      align: 'center',
    });
  doc.y = qrTop;
  doc.x = MARGIN;
  const textWidth = CONTENT_WIDTH - QR_SIZE - 12;
  doc
    .font('B')
    .fontSize(14)
    .text(rules.titles.receipt, MARGIN, qrTop + 10, { width: textWidth, align: 'center' });
  doc.font('B').fontSize(13).text(`Mã hồ sơ: ${d.code}`, { width: textWidth, align: 'center' });
  doc.y = Math.max(doc.y, qrTop + QR_SIZE + 14);
  doc.x = MARGIN;

  paragraph(doc, `${d.agency_name} tiếp nhận hồ sơ của:`);
  field(doc, 'Ông/Bà', d.applicant_name);
  field(doc, 'Số CCCD/Định danh cá nhân', d.applicant_id_number);
  field(doc, 'Địa chỉ', d.applicant_address);
  field(doc, 'Số điện thoại', displayStoredPhone(d.phone));
  field(doc, 'Email', d.email ?? '');
  field(doc, 'Nội dung yêu cầu giải quyết', d.procedure_name);

  paragraph(doc, '1. Thành phần hồ sơ:');
  const documents = d.received_documents as unknown as ReceivedDocument[];
  table(
    doc,
    [
      { title: 'TT', width: 30, align: 'center' },
      { title: 'Tên giấy tờ', width: CONTENT_WIDTH - 30 - 100 - 60 },
      { title: 'Hình thức', width: 100, align: 'center' },
      { title: 'Số lượng', width: 60, align: 'center' },
    ],
    documents.map((doc, i) => [String(i + 1), doc.name, doc.form, String(doc.quantity)]),
  );
  paragraph(doc, `2. Số lượng hồ sơ: ${d.copies} (bộ)`);
  paragraph(
    doc,
    `3. Thời gian giải quyết hồ sơ theo quy định: ${limitLabel(d.procedure_days, d.procedure_deadline_unit)}`,
  );
  paragraph(doc, `4. Thời gian nhận hồ sơ: ${vietnameseDateTime(receivedAt)}`);
  doc
    .font('R')
    .text('5. Thời gian trả kết quả giải quyết hồ sơ: ', { continued: true })
    .font('B')
    .text(vietnameseDateTime(vnInstant(d.due_date, f.officeClosesAt)));
  paragraph(doc, `6. Đăng ký nhận kết quả tại: ${d.agency_name} (${CHANNELS[d.channel].toLowerCase()})`);
  if (d.procedure_fee_vnd > 0) {
    paragraph(
      doc,
      `Phí, lệ phí: ${formatMoney(d.procedure_fee_vnd)}${d.procedure_fee_note ? ` (${d.procedure_fee_note})` : ''}`,
    );
  }
  paragraph(doc, 'Vào Sổ theo dõi hồ sơ, Quyển số: ……… Số thứ tự: ………');
  doc.moveDown(0.4);
  paragraph(
    doc,
    `Tra cứu tình trạng hồ sơ qua Zalo: quét mã QR trên phiếu này, hoặc tìm và nhấn "Quan tâm" trang Zalo "${f.oaName}", ` +
      `rồi gửi mã hồ sơ ${d.code}.`,
    'I',
  );
  if (d.notify_by_zalo) {
    paragraph(
      doc,
      `Ông/Bà đã đăng ký nhận thông báo trạng thái hồ sơ qua Zalo theo số điện thoại ${displayStoredPhone(d.phone)}.`,
      'I',
    );
  }
  if (d.procedure_cutoff) {
    paragraph(
      doc,
      `Hồ sơ tiếp nhận sau ${d.procedure_cutoff.slice(0, 5).replace(':', ' giờ ')} ${
        d.procedure_days === 0
          ? 'được trả kết quả trong ngày làm việc tiếp theo'
          : 'được tính là tiếp nhận vào ngày làm việc tiếp theo'
      }` + `${d.procedure_cutoff_basis ? ` (${d.procedure_cutoff_basis})` : ''}.`,
      'I',
    );
  }
  const officer = f.journal.find((e) => e.seq === 1)?.actor_name;
  signatures(
    doc,
    { title: 'NGƯỜI NỘP HỒ SƠ', name: d.applicant_name },
    { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: officer?.startsWith('API:') ? undefined : officer },
  );
  doc
    .font('I')
    .fontSize(8)
    .text(`Mẫu số ${rules.formNumbers.receipt} – ${rules.basis}`, MARGIN, doc.y, { width: CONTENT_WIDTH });
  return toBuffer(doc);
}

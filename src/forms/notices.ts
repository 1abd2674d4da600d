import { formatVnDate, vnDateOf } from '../calendar/index.ts';
import { displayStoredPhone } from '../contracts/phone.ts';
import { formRuleSet } from '../dossiers/index.ts';
import { AppError } from '../errors.ts';
import {
  field,
  header,
  newDocument,
  paragraph,
  signatures,
  title,
  toBuffer,
  vietnameseDate,
} from '../pdf/index.ts';
import type { FormData } from './form-data.ts';

/**
 * Mẫu 02 (supplement), 03 (refusal), 04 (apology) and the stop notice (Mẫu 05 of TT 03/2025), built from the
 * journal entry of the action that issued them. Stopping a dossier, the citizen's withdrawal included, prints
 * the stop notice: the refusal slip is for refusing to receive or resolve only.
 */
export type NoticeKind = 'supplement' | 'refusal' | 'apology' | 'stop';

const ACTION_OF: Record<NoticeKind, string[]> = {
  supplement: ['request_supplement'],
  refusal: ['refuse'],
  apology: ['apologise'],
  stop: ['stop'],
};

function latestEntry(f: FormData, kind: NoticeKind) {
  const entry = [...f.journal].reverse().find((e) => ACTION_OF[kind].includes(e.action));
  if (!entry) {
    throw new AppError(
      'form_not_available',
      `The dossier has no ${kind} notice: no ${ACTION_OF[kind].join('/')} in its journal`,
      'Hồ sơ chưa có phiếu này.',
    );
  }
  return { ...entry, data: entry.data as unknown as Record<string, unknown> };
}

export async function renderNotice(f: FormData, kind: NoticeKind): Promise<Buffer> {
  const d = f.dossier;
  const entry = latestEntry(f, kind);
  const issuedAt = new Date(entry.at);
  const rules = formRuleSet(vnDateOf(new Date(d.received_at)));
  const doc = newDocument(`${rules.titles[kind]} ${d.code}`);
  header(doc, {
    parentName: d.agency_parent_name,
    agencyName: d.agency_name,
    place: f.place,
    date: issuedAt,
  });
  title(doc, rules.titles[kind], `Mã hồ sơ: ${d.code}`);

  const identity = () => {
    field(doc, 'Địa chỉ', d.applicant_address);
    field(doc, 'Số điện thoại', displayStoredPhone(d.phone));
    field(doc, 'Email', d.email ?? '');
  };
  // Supplement and refusal name the applicant under the agency's receipt; stop and apology are addressed to them.
  const applicantReceived = () => {
    paragraph(doc, `${d.agency_name} tiếp nhận hồ sơ của:`);
    field(doc, 'Ông/Bà', d.applicant_name);
    field(doc, 'Nội dung yêu cầu giải quyết', d.procedure_name);
    identity();
    doc.moveDown(0.4);
  };
  const addressedToApplicant = () => {
    field(doc, 'Kính gửi', `Ông/Bà ${d.applicant_name}`);
    identity();
    doc.moveDown(0.4);
  };
  const receivedOn =
    `Ngày ${formatVnDate(vnDateOf(new Date(d.received_at)))}, ${d.agency_name} tiếp nhận hồ sơ đề nghị giải quyết thủ tục ` +
    `"${d.procedure_name}" của Ông/Bà, mã hồ sơ ${d.code}.`;
  const reason = String(entry.data.reason ?? '');

  if (kind === 'supplement') {
    applicantReceived();
    paragraph(doc, 'Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:');
    const missing = (entry.data.missingDocuments as string[] | undefined) ?? [];
    for (const [i, m] of missing.entries()) {
      paragraph(doc, `${i + 1}. ${m}`);
    }
    field(doc, 'Lý do', reason);
    doc.moveDown(0.4);
    paragraph(
      doc,
      `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${d.agency_name}` +
        `${d.agency_hotline ? `, số điện thoại ${d.agency_hotline}` : ''} để được hướng dẫn.`,
    );
    signatures(
      doc,
      { title: 'NGƯỜI NỘP HỒ SƠ', name: d.applicant_name },
      { title: 'NGƯỜI HƯỚNG DẪN', name: entry.actor_name },
    );
  } else if (kind === 'refusal') {
    applicantReceived();
    paragraph(
      doc,
      `Qua xem xét, ${d.agency_name} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`,
    );
    paragraph(doc, reason, 'B');
    doc.moveDown(0.4);
    paragraph(doc, 'Xin thông báo cho Ông/Bà được biết và thực hiện.');
    signatures(
      doc,
      { title: 'NGƯỜI NỘP HỒ SƠ', name: d.applicant_name },
      { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: entry.actor_name },
    );
  } else if (kind === 'stop') {
    addressedToApplicant();
    paragraph(doc, receivedOn);
    // A stop that follows the citizen's withdrawal request (status 7) says so.
    const withdrawn = entry.from_status === 7;
    paragraph(
      doc,
      withdrawn
        ? `Theo đề nghị rút hồ sơ của Ông/Bà, ${d.agency_name} thông báo dừng giải quyết hồ sơ nêu trên.`
        : `${d.agency_name} thông báo dừng giải quyết hồ sơ nêu trên với lý do như sau:`,
    );
    field(doc, 'Lý do', reason);
    doc.moveDown(0.4);
    paragraph(
      doc,
      `Ông/Bà liên hệ ${d.agency_name}${d.agency_hotline ? ` (số điện thoại ${d.agency_hotline})` : ''} ` +
        'để nhận lại hồ sơ đã nộp và được hướng dẫn.',
    );
    paragraph(doc, 'Xin thông báo cho Ông/Bà được biết.');
    signatures(doc, { title: '' }, { title: 'THỦ TRƯỞNG CƠ QUAN', name: entry.actor_name });
  } else {
    const previous = String(entry.data.previousDueDate ?? d.original_due_date ?? '');
    const next = String(entry.data.newDueDate ?? d.due_date);
    addressedToApplicant();
    paragraph(
      doc,
      `${receivedOn} Thời gian hẹn trả kết quả giải quyết hồ sơ là ` +
        `ngày ${previous ? formatVnDate(previous) : '…'}.`,
    );
    paragraph(
      doc,
      'Tuy nhiên, đến nay hồ sơ chưa được giải quyết đúng thời hạn như đã ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.',
    );
    field(doc, 'Lý do', reason);
    // TT 03/2025 renamed the form: the agency apologises and asks to extend the time, to a new date.
    paragraph(
      doc,
      rules.apologyAsksExtension
        ? `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. ${d.agency_name} xin lỗi Ông/Bà ` +
            `và đề nghị gia hạn thời gian giải quyết hồ sơ đến ngày ${formatVnDate(next)}.`
        : `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. ${d.agency_name} xin lỗi Ông/Bà ` +
            `và sẽ trả kết quả giải quyết hồ sơ vào ngày ${formatVnDate(next)}.`,
    );
    paragraph(doc, 'Xin trân trọng cảm ơn sự hợp tác của Ông/Bà.');
    signatures(doc, { title: '' }, { title: 'THỦ TRƯỞNG CƠ QUAN', name: entry.actor_name });
  }
  const number = rules.formNumbers[kind];
  doc
    .font('I')
    .fontSize(8)
    .text(
      `${number ? `Mẫu số ${number} – ${rules.basis}` : `Căn cứ ${rules.decree.name}`}. Lập ${vietnameseDate(issuedAt)}.`,
    );
  return toBuffer(doc);
}

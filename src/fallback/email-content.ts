import { formatVnDate } from '../calendar/index.ts';
import { STATUSES, type StatusCode, stepStatusLabel } from '../contracts/statuses.ts';
import { escapeHtml } from '../http/html.ts';

export interface EmailFacts {
  applicantName: string;
  dossierCode: string;
  procedureName: string;
  agencyName: string;
  agencyHotline: string;
  status: StatusCode;
  action: string;
  dueDate: string | null;
  lookupUrl: string;
  /** The signed rating link, on the status change that invited the citizen to rate (src/ratings). */
  ratingUrl?: string | null | undefined;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** The status email in Vietnamese, as plain text and HTML with the same content. */
export function emailContent(f: EmailFacts): EmailContent {
  const status = STATUSES[f.status];
  const label = stepStatusLabel(f.action, f.status);
  const lines: [string, string][] = [
    ['Mã hồ sơ', f.dossierCode],
    ['Thủ tục', f.procedureName],
    ['Trạng thái', label],
    ...(f.dueDate && !status.final
      ? [['Ngày hẹn trả kết quả', formatVnDate(f.dueDate)] as [string, string]]
      : []),
  ];
  const paragraphs = [status.citizenMeaning, status.citizenNextStep].filter(Boolean);
  const subject = `Hồ sơ ${f.dossierCode}: ${label}`;
  const text = [
    `Kính gửi ông/bà ${f.applicantName},`,
    '',
    ...lines.map(([k, v]) => `${k}: ${v}`),
    '',
    ...paragraphs,
    '',
    `Tra cứu tình trạng hồ sơ: ${f.lookupUrl}`,
    ...(f.ratingUrl ? [`Mời ông/bà đánh giá mức độ hài lòng: ${f.ratingUrl}`] : []),
    '',
    `${f.agencyName}${f.agencyHotline ? ` · Điện thoại: ${f.agencyHotline}` : ''}`,
    'Đây là thư tự động, vui lòng không trả lời thư này.',
  ].join('\n');
  const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, sans-serif; color: #1f2937; line-height: 1.5">
<p>Kính gửi ông/bà <b>${escapeHtml(f.applicantName)}</b>,</p>
<table style="border-collapse: collapse">${lines
    .map(
      ([k, v]) =>
        `<tr><td style="padding: 2px 12px 2px 0; color: #6b7280">${escapeHtml(k)}</td><td><b>${escapeHtml(v)}</b></td></tr>`,
    )
    .join('')}</table>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p><a href="${escapeHtml(f.lookupUrl)}">Tra cứu tình trạng hồ sơ</a></p>${
    f.ratingUrl ? `\n<p><a href="${escapeHtml(f.ratingUrl)}">Mời ông/bà đánh giá mức độ hài lòng</a></p>` : ''
  }
<p style="color: #6b7280; font-size: 13px">${escapeHtml(f.agencyName)}${
    f.agencyHotline ? ` · Điện thoại: ${escapeHtml(f.agencyHotline)}` : ''
  }<br>Đây là thư tự động, vui lòng không trả lời thư này.</p>
</body></html>`;
  return { subject, text, html };
}

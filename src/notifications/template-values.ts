import { formatVnDate } from '../calendar/index.ts';
import { STATUSES, type StatusCode, stepStatusLabel } from '../contracts/statuses.ts';
import type { TemplateParamBinding } from '../db/schema.ts';

/**
 * The values a ZBS template parameter can take from a dossier and its status change, and the safe
 * shortening that keeps every value within its parameter's maximum length (Zalo rejects longer ones: -1121).
 */
export interface NotificationFacts {
  applicantName: string;
  dossierCode: string;
  procedureName: string;
  agencyName: string;
  status: StatusCode;
  action: string;
  dueDate: string;
  data: Record<string, unknown>;
}

/** The facts of one status change of a dossier, from its rows. */
export function statusChangeFacts(
  d: { applicant_name: string; code: string; procedure_name: string; agency_name: string; due_date: string },
  j: { action: string; to_status: number; data: unknown },
): NotificationFacts {
  return {
    applicantName: d.applicant_name,
    dossierCode: d.code,
    procedureName: d.procedure_name,
    agencyName: d.agency_name,
    status: j.to_status as StatusCode,
    action: j.action,
    dueDate: d.due_date,
    data: j.data as Record<string, unknown>,
  };
}

export const VALUE_SOURCES: Record<string, { label: string; value: (f: NotificationFacts) => string }> = {
  applicant_name: { label: 'Họ tên người nộp', value: (f) => f.applicantName },
  dossier_code: { label: 'Mã hồ sơ', value: (f) => f.dossierCode },
  procedure_name: { label: 'Tên thủ tục', value: (f) => f.procedureName },
  agency_name: { label: 'Cơ quan tiếp nhận', value: (f) => f.agencyName },
  status_label: {
    label: 'Trạng thái (ngắn)',
    // The one wording of every channel (src/contracts/statuses.ts), within the parameter's 30 characters.
    value: (f) => stepStatusLabel(f.action, f.status),
  },
  due_date: { label: 'Ngày hẹn trả', value: (f) => formatVnDate(f.dueDate) },
  next_step: {
    label: 'Việc cần làm',
    value: (f) => STATUSES[f.status].citizenNextStep || STATUSES[f.status].citizenMeaning,
  },
  missing_documents: {
    label: 'Giấy tờ cần bổ sung',
    value: (f) => ((f.data.missingDocuments as string[] | undefined) ?? []).join('; '),
  },
  amount: {
    label: 'Số tiền phải nộp',
    value: (f) =>
      typeof f.data.amountVnd === 'number'
        ? `${new Intl.NumberFormat('vi-VN').format(f.data.amountVnd)} đồng`
        : '',
  },
  reason: { label: 'Lý do', value: (f) => String(f.data.reason ?? '') },
};

/** Cuts at a word boundary and marks the cut with "…", never exceeding `max` characters. */
export function shorten(value: string, max: number): string {
  const chars = [...value.normalize('NFC').replace(/\s+/g, ' ').trim()];
  if (chars.length <= max) {
    return chars.join('');
  }
  const cut = chars.slice(0, Math.max(1, max - 1)).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;.:-]+$/, '')}…`;
}

/** What an empty value shows in the citizen's message, unless its parameter's binding says otherwise. */
export const DEFAULT_PLACEHOLDER = '—';

/**
 * template_data for a binding: every parameter of it, each value from its source within its parameter's length.
 * An empty value (no amount outside a fee notice, no reason, no missing documents) is sent as the parameter's
 * placeholder ("—" by default), never left out: Zalo refuses a message that lacks a parameter (-1122), and a
 * visible mark reads better than a gap in the sentence.
 */
export function templateData(
  params: TemplateParamBinding[],
  facts: NotificationFacts,
): Record<string, string> {
  const data: Record<string, string> = {};
  for (const p of params) {
    const source = VALUE_SOURCES[p.source];
    const value = source ? source.value(facts).trim() : '';
    data[p.name] = shorten(value === '' ? p.placeholder || DEFAULT_PLACEHOLDER : value, p.maxLength);
  }
  return data;
}

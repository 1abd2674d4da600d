import { formatVnDate, vnDateOf, vnTimeOf } from '../calendar/index.ts';
import type { LookupView } from './lookup-dossier.ts';

/** Words shared by the look-up page and the Zalo bot, so a citizen reads the same thing on both. */

export function vnDateTime(iso: string): string {
  const t = new Date(iso);
  return `${vnTimeOf(t).slice(0, 5)} ${formatVnDate(vnDateOf(t))}`;
}

export function vnDate(iso: string): string {
  return formatVnDate(vnDateOf(new Date(iso)));
}

/** "Còn 3 ngày làm việc", "Quá hạn 2 ngày làm việc", … */
export function deadlineText(v: LookupView): string {
  if (v.finished) {
    return 'Đã kết thúc giải quyết';
  }
  if (v.clockPaused) {
    return 'Tạm dừng tính thời hạn trong khi chờ người nộp';
  }
  const p = v.progress;
  if (!p) {
    return '';
  }
  if (p.overdue) {
    return `Quá hạn ${p.overdueWorkingDays} ngày làm việc`;
  }
  return p.workingDaysLeft === 0 ? 'Đến hạn trả kết quả hôm nay' : `Còn ${p.workingDaysLeft} ngày làm việc`;
}

/** What the citizen should expect to do next, including what was asked of them when they proved who they are. */
export function nextStepText(v: LookupView): string {
  const asked = v.details;
  if (v.status === 5 && asked?.missingDocuments.length) {
    return `${v.nextStep} Giấy tờ cần bổ sung: ${asked.missingDocuments.join('; ')}.`;
  }
  if (v.status === 6 && asked?.amountVnd !== null && asked?.amountVnd !== undefined) {
    return `${v.nextStep} Số tiền: ${new Intl.NumberFormat('vi-VN').format(asked.amountVnd)} đồng.`;
  }
  return v.nextStep;
}

/** The format a citizen should type, for answers to unreadable messages (`exampleCode`: SiteInfo's). */
export function codeFormatHint(exampleCode: string): string {
  return `Mã hồ sơ in trên Giấy tiếp nhận hồ sơ, dạng ${exampleCode} (mã cơ quan - ngày nhận - số thứ tự).`;
}

import type { TDossierView } from '@contracts/dossier-view.ts';
import { STATUSES, type StatusCode } from '@contracts/statuses.ts';
import { Tag } from 'antd';

const COLORS: Record<number, string> = {
  1: 'default',
  2: 'blue',
  3: 'red',
  4: 'processing',
  5: 'orange',
  6: 'gold',
  7: 'purple',
  8: 'volcano',
  9: 'green',
  10: 'success',
};

export function StatusTag({ status }: { status: number }) {
  return <Tag color={COLORS[status]}>{STATUSES[status as StatusCode]?.label ?? status}</Tag>;
}

/** "Còn 3 ngày", "Hạn hôm nay", "Quá hạn 2 ngày", "Tạm dừng", "Trễ hạn, đã xin lỗi". */
export function ProgressTag({
  dossier,
}: {
  dossier: Pick<TDossierView, 'progress' | 'clockPaused' | 'onTime' | 'finishedAt' | 'apologyIssued'>;
}) {
  if (dossier.clockPaused) {
    return <Tag color="default">Tạm dừng tính thời hạn</Tag>;
  }
  if (dossier.finishedAt) {
    if (dossier.onTime) {
      return <Tag color="green">Đúng hạn</Tag>;
    }
    return <Tag color="red">{dossier.apologyIssued ? 'Trễ hạn, đã xin lỗi' : 'Trễ hạn'}</Tag>;
  }
  const p = dossier.progress;
  if (!p) {
    return null;
  }
  if (p.overdue) {
    return (
      <Tag color="red">Quá hạn{p.overdueWorkingDays > 0 ? ` ${p.overdueWorkingDays} ngày làm việc` : ''}</Tag>
    );
  }
  if (p.workingDaysLeft === 0) {
    return <Tag color="orange">Hạn trả hôm nay</Tag>;
  }
  return <Tag color={p.workingDaysLeft <= 2 ? 'gold' : 'default'}>Còn {p.workingDaysLeft} ngày làm việc</Tag>;
}

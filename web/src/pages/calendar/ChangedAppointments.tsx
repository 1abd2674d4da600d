import type { TChangedAppointments } from '@contracts/calendar.ts';
import { useQuery } from '@tanstack/react-query';
import { Card, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDate } from '../../ui/format.ts';

type Item = TChangedAppointments['items'][number];

/**
 * Hồ sơ cần báo lại ngày hẹn: open dossiers of the desk whose printed appointment the current calendar would
 * give differently (after a year was confirmed or edited). The printed date stays; the desk calls the citizen.
 */
export function ChangedAppointments() {
  const changed = useQuery({
    queryKey: ['changed-appointments'],
    queryFn: () => api.get<TChangedAppointments>('/api/calendar/changed-appointments'),
  });
  const c = changed.data;
  if (!c || c.total === 0) {
    return null;
  }
  return (
    <Card
      type="inner"
      title={`Hồ sơ cần báo lại ngày hẹn (${c.ownAgency})`}
      style={{ marginBottom: 16 }}
      data-testid="changed-appointments"
    >
      <Typography.Paragraph type="secondary">
        Lịch làm việc đã thay đổi sau khi các hồ sơ này được hẹn ngày trả. Ngày hẹn đã in không tự thay đổi:
        vui lòng liên hệ người nộp.
        {c.total > c.ownAgency && ` Toàn tỉnh: ${c.total} hồ sơ.`}
      </Typography.Paragraph>
      <Table<Item>
        rowKey="code"
        size="small"
        dataSource={c.items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: 'Không có hồ sơ của cơ quan' }}
        columns={[
          {
            title: 'Mã hồ sơ',
            dataIndex: 'code',
            render: (code: string) => <Link to={`/ho-so/${encodeURIComponent(code)}`}>{code}</Link>,
          },
          { title: 'Người nộp', dataIndex: 'applicantName' },
          { title: 'Điện thoại', dataIndex: 'phoneDisplay', width: 130 },
          { title: 'Thủ tục', dataIndex: 'procedureName', ellipsis: true },
          { title: 'Ngày hẹn đã in', render: (_, i) => formatDate(i.appointmentDate), width: 120 },
          {
            title: 'Theo lịch hiện tại',
            render: (_, i) => <b>{formatDate(i.recomputedAppointmentDate)}</b>,
            width: 130,
          },
        ]}
      />
    </Card>
  );
}

import type { TCalendarDay, TChangedAppointments, TYearConfirmed, TYearStatus } from '@contracts/calendar.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { errorText } from '../../ui/QueryState.tsx';

/**
 * "Đã xác nhận" or "Dự kiến" for the year shown. A proposed year's lunar holidays are the product's proposal:
 * administrators confirm the year once they have entered the Prime Minister's decision (swap days included).
 */
export function YearStatus({
  year,
  days,
  isAdmin,
  onChanged,
}: {
  year: number;
  days: TCalendarDay[];
  isAdmin: boolean;
  onChanged: (changed: TChangedAppointments) => void;
}) {
  const status = useQuery({
    queryKey: ['calendar-year', year],
    queryFn: () => api.get<TYearStatus>(`/api/calendar/years/${year}`),
  });
  const [confirming, setConfirming] = useState(false);
  const s = status.data;
  if (!s) {
    return null;
  }
  if (s.status === 'confirmed') {
    return (
      <Alert
        type="success"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="year-status"
        message={
          <span>
            Lịch năm {year}: <Tag color="green">Đã xác nhận</Tag>
            {s.decision && <>Căn cứ: {s.decision}. </>}
            {s.confirmedAt && (
              <Typography.Text type="secondary">
                Xác nhận {formatDateTime(s.confirmedAt)}
                {s.confirmedBy ? ` · ${s.confirmedBy}` : ''}
              </Typography.Text>
            )}
          </span>
        }
      />
    );
  }
  return (
    <>
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="year-status"
        message={
          <span>
            Lịch năm {year}: <Tag color="orange">Dự kiến</Tag>
            Ngày nghỉ Tết, Giỗ Tổ và ngày liền kề 2/9 được tính theo thông lệ, chưa theo quyết định chính
            thức. Ngày hẹn trả tính qua năm này được báo là dự kiến.
          </span>
        }
        action={
          isAdmin ? (
            <Button type="primary" onClick={() => setConfirming(true)}>
              Xác nhận lịch năm {year}
            </Button>
          ) : undefined
        }
      />
      {confirming && (
        <ConfirmDialog
          year={year}
          days={days}
          onClose={() => setConfirming(false)}
          onDone={(changed) => {
            setConfirming(false);
            onChanged(changed);
          }}
        />
      )}
    </>
  );
}

function ConfirmDialog({
  year,
  days,
  onClose,
  onDone,
}: {
  year: number;
  days: TCalendarDay[];
  onClose: () => void;
  onDone: (changed: TChangedAppointments) => void;
}) {
  const [form] = Form.useForm<{ decision: string }>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: (v: { decision: string }) =>
      api.post<TYearConfirmed>(`/api/calendar/years/${year}/confirm`, v),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['calendar-year', year] });
      await queryClient.invalidateQueries({ queryKey: ['calendar', year] });
      await queryClient.invalidateQueries({ queryKey: ['changed-appointments'] });
      void message.success(`Đã xác nhận lịch năm ${year}.`);
      onDone(result.changedAppointments);
    },
  });
  const weekday = (d: TCalendarDay) => {
    const w = new Date(`${d.date}T00:00:00Z`).getUTCDay();
    return w !== 0 && w !== 6;
  };
  const daysOff = days.filter((d) => !d.working && weekday(d));
  const worked = days.filter((d) => d.working && !weekday(d));
  return (
    <Modal
      open
      width={640}
      title={`Xác nhận lịch nghỉ năm ${year}`}
      okText="Xác nhận"
      cancelText="Hủy"
      confirmLoading={confirm.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => confirm.mutate(v))}
    >
      <Typography.Paragraph>
        Kiểm tra từng ngày dưới đây với quyết định của Thủ tướng Chính phủ (kể cả ngày hoán đổi, làm bù). Sửa
        ngày nào chưa đúng trên lịch trước khi xác nhận. Ngày hẹn đã in cho công dân không thay đổi.
      </Typography.Paragraph>
      <Space align="start" size={32} wrap>
        <div>
          <Typography.Text strong>Ngày nghỉ trong tuần ({daysOff.length})</Typography.Text>
          <ul data-testid="confirm-days-off">
            {daysOff.map((d) => (
              <li key={d.date}>
                {formatDate(d.date)} — {d.reason}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <Typography.Text strong>Ngày làm bù ({worked.length})</Typography.Text>
          <ul>
            {worked.map((d) => (
              <li key={d.date}>
                {formatDate(d.date)} — {d.reason}
              </li>
            ))}
          </ul>
        </div>
      </Space>
      {confirm.error && <Alert type="error" showIcon message={errorText(confirm.error)} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="decision"
          label="Căn cứ (số, ngày quyết định hoặc thông báo lịch nghỉ)"
          rules={[{ required: true, whitespace: true, message: 'Vui lòng nhập căn cứ.' }]}
        >
          <Input maxLength={300} placeholder="Ví dụ: Thông báo số …/TB-BNV ngày … của Bộ Nội vụ" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

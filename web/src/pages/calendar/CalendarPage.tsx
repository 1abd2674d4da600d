import type { TCalendarDay, TCalendarDayChanged, TChangedAppointments } from '@contracts/calendar.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { useMe } from '../../api/hooks.ts';
import { formatDate, vnToday } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';
import { ChangedAppointments } from './ChangedAppointments.tsx';
import { YearStatus } from './YearStatus.tsx';

const WEEKDAYS = ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'];
const MONTHS = Array.from({ length: 12 }, (_, m) => m);

/**
 * Lịch làm việc: the year with lunar dates, confirmed from the government's decision or proposed; the open
 * dossiers whose printed date a later change would move; administrators edit days and confirm years.
 * The year is in the URL (?nam=2027).
 */
export function CalendarPage() {
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  // The Vietnamese year: between 17:00 and 24:00 UTC on 31 December a browser in another zone is a year behind.
  const year = Number(params.get('nam')) || Number(vnToday().slice(0, 4));
  const setYear = (y: number) => setParams({ nam: String(y) }, { replace: true });
  const [editing, setEditing] = useState<TCalendarDay>();
  const onChanged = (changed: TChangedAppointments) => {
    if (changed.ownAgency > 0) {
      void message.warning(
        `${changed.ownAgency} hồ sơ đang giải quyết có ngày hẹn khác với lịch mới: xem danh sách cần báo lại công dân.`,
      );
    }
  };
  const days = useQuery({
    queryKey: ['calendar', year],
    queryFn: () => api.get<TCalendarDay[]>(`/api/calendar/${year}`),
  });
  const offDays = (days.data ?? []).filter((d) => !d.working && d.source !== 'weekend');
  const workedWeekends = (days.data ?? []).filter(
    (d) => d.working && (d.source === 'exception' || d.source === 'official'),
  );

  return (
    <Card
      title="Lịch làm việc"
      extra={
        <Space>
          <Button onClick={() => setYear(year - 1)} aria-label="Năm trước">
            ‹
          </Button>
          <InputNumber
            value={year}
            min={2000}
            max={2100}
            onChange={(v) => v && setYear(v)}
            aria-label="Năm"
          />
          <Button onClick={() => setYear(year + 1)} aria-label="Năm sau">
            ›
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        Mỗi năm Chính phủ quyết định lịch nghỉ Tết, Quốc khánh và ngày làm bù. Năm chưa có quyết định được đề
        xuất theo thông lệ (âm lịch Việt Nam):{' '}
        {isAdmin
          ? 'bấm vào một ngày để đặt ngày nghỉ hoặc ngày làm việc bù, rồi xác nhận lịch của năm.'
          : 'quản trị viên nhập quyết định và xác nhận lịch của năm.'}
      </Typography.Paragraph>
      <ChangedAppointments />
      <YearStatus year={year} days={days.data ?? []} isAdmin={isAdmin} onChanged={onChanged} />
      <QueryState loading={days.isLoading} error={days.error} retry={() => void days.refetch()}>
        <Row gutter={[16, 16]}>
          {MONTHS.map((m) => (
            <Col xs={24} sm={12} lg={8} xl={6} key={m}>
              <Month
                month={m}
                days={(days.data ?? []).filter((d) => Number(d.date.slice(5, 7)) === m + 1)}
                onPick={isAdmin ? setEditing : undefined}
              />
            </Col>
          ))}
        </Row>
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col xs={24} md={12}>
            <Typography.Title level={5}>Ngày nghỉ trong tuần ({offDays.length})</Typography.Title>
            <ul>
              {offDays.map((d) => (
                <li key={d.date}>
                  {formatDate(d.date)} — {d.reason}
                </li>
              ))}
            </ul>
          </Col>
          <Col xs={24} md={12}>
            <Typography.Title level={5}>Ngày làm việc bù ({workedWeekends.length})</Typography.Title>
            <ul>
              {workedWeekends.map((d) => (
                <li key={d.date}>
                  {formatDate(d.date)} — {d.reason}
                </li>
              ))}
            </ul>
          </Col>
        </Row>
      </QueryState>
      {editing && (
        <ExceptionDialog
          day={editing}
          year={year}
          onClose={() => setEditing(undefined)}
          onChanged={onChanged}
        />
      )}
    </Card>
  );
}

function Month({
  month,
  days,
  onPick,
}: {
  month: number;
  days: TCalendarDay[];
  onPick?: (d: TCalendarDay) => void;
}) {
  const first = days[0];
  const offset = first ? (new Date(`${first.date}T00:00:00Z`).getUTCDay() + 6) % 7 : 0;
  return (
    <div>
      <Typography.Text strong>Tháng {month + 1}</Typography.Text>
      <div className="calendar-grid" style={{ marginTop: 4 }}>
        {WEEKDAYS.map((w) => (
          <div key={w} style={{ textAlign: 'center', fontSize: 12, color: '#8c8c8c' }}>
            {w}
          </div>
        ))}
        {WEEKDAYS.slice(0, offset).map((w) => (
          <div key={`pad-${w}`} />
        ))}
        {days.map((d) => {
          const kind =
            d.source === 'weekend'
              ? 'weekend'
              : !d.working
                ? 'off'
                : d.source === 'exception' || d.source === 'official'
                  ? 'worked'
                  : '';
          return (
            <button
              type="button"
              key={d.date}
              title={d.reason || undefined}
              className={`calendar-cell ${kind} ${d.source === 'exception' ? 'exception' : ''} ${onPick ? 'clickable' : ''}`}
              onClick={onPick ? () => onPick(d) : undefined}
              disabled={!onPick}
              data-date={d.date}
            >
              {Number(d.date.slice(8))}
              <span className="lunar">{d.lunar}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}

function ExceptionDialog({
  day,
  year,
  onClose,
  onChanged,
}: {
  day: TCalendarDay;
  year: number;
  onClose: () => void;
  onChanged: (changed: TChangedAppointments) => void;
}) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const done = async (text: string) => {
    await queryClient.invalidateQueries({ queryKey: ['calendar', year] });
    await queryClient.invalidateQueries({ queryKey: ['changed-appointments'] });
    void message.success(text);
    onClose();
  };
  const save = useMutation({
    mutationFn: (v: { kind: string; reason: string }) =>
      api.put<TCalendarDayChanged>(`/api/calendar/exceptions/${day.date}`, v),
    onSuccess: async (result) => {
      await done('Đã cập nhật lịch làm việc.');
      onChanged(result.changedAppointments);
    },
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/calendar/exceptions/${day.date}`),
    onSuccess: () => done('Đã bỏ điều chỉnh của ngày này.'),
  });
  return (
    <Modal
      open
      title={`Ngày ${formatDate(day.date)}`}
      onCancel={onClose}
      okText="Lưu"
      cancelText="Hủy"
      confirmLoading={save.isPending}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
    >
      <Typography.Paragraph>
        Hiện tại: <b>{day.working ? 'ngày làm việc' : 'ngày nghỉ'}</b>
        {day.reason && ` (${day.reason})`}
      </Typography.Paragraph>
      {(save.error || remove.error) && (
        <Alert type="error" showIcon message={errorText(save.error ?? remove.error)} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: day.working ? 'day_off' : 'working_day', reason: '' }}
      >
        <Form.Item name="kind" label="Đặt thành">
          <Radio.Group
            options={[
              { value: 'day_off', label: 'Ngày nghỉ' },
              { value: 'working_day', label: 'Ngày làm việc (làm bù)' },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label="Lý do / căn cứ"
          rules={[{ required: true, whitespace: true, message: 'Vui lòng nhập lý do.' }]}
        >
          <Input maxLength={200} placeholder="Ví dụ: Nghỉ bù Tết theo Thông báo số …" />
        </Form.Item>
      </Form>
      {day.source === 'exception' && (
        <Button danger onClick={() => remove.mutate()} loading={remove.isPending}>
          Bỏ điều chỉnh, dùng lịch tính tự động
        </Button>
      )}
    </Modal>
  );
}

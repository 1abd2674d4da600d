import type { TActiveAlert, TPastAlert, TSystemStatus, TTestMailSent } from '@contracts/operations.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { errorText } from '../../ui/QueryState.tsx';

const LEVEL = {
  error: <Tag color="red">Lỗi</Tag>,
  warning: <Tag color="gold">Cảnh báo</Tag>,
};

/** The open alerts: what, since when, whether the administrators were e-mailed, where to fix it. */
export function ActiveAlerts({ alerts }: { alerts: TActiveAlert[] }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const resolve = useMutation({
    mutationFn: (key: string) => api.post('/api/admin/alerts/resolve', { key }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['system-status'] });
      await queryClient.invalidateQueries({ queryKey: ['alerts'] });
      void message.success('Đã đánh dấu đã xử lý. Cảnh báo sẽ xuất hiện lại nếu sự cố vẫn còn.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  return (
    <Card title="Cảnh báo đang mở" data-testid="active-alerts">
      <Table<TActiveAlert>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={alerts}
        locale={{ emptyText: 'Không có cảnh báo nào: hệ thống đang hoạt động bình thường.' }}
        columns={[
          { title: 'Mức', width: 90, render: (_, a) => LEVEL[a.level] },
          {
            title: 'Cảnh báo',
            render: (_, a) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{a.title}</Typography.Text>
                <Typography.Text>{a.message}</Typography.Text>
                <Typography.Text type="secondary">Cần làm: {a.todo}</Typography.Text>
              </Space>
            ),
          },
          { title: 'Từ lúc', width: 150, render: (_, a) => formatDateTime(a.firstAt) },
          { title: 'Số lần', dataIndex: 'count', width: 80 },
          {
            title: 'Email',
            width: 160,
            render: (_, a) =>
              a.mailedAt ? (
                `Đã gửi ${formatDateTime(a.mailedAt)}`
              ) : a.mailError ? (
                <Typography.Text type="danger">Chưa gửi được: {a.mailError}</Typography.Text>
              ) : (
                'Đang chờ gửi'
              ),
          },
          {
            title: '',
            width: 170,
            render: (_, a) => (
              <Space>
                <Link to={a.page}>Xử lý</Link>
                <Button size="small" onClick={() => resolve.mutate(a.key)} loading={resolve.isPending}>
                  Đã xử lý
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

export function AlertHistory({ history }: { history: TPastAlert[] }) {
  return (
    <Card title="Lịch sử cảnh báo" data-testid="alert-history">
      <Table<TPastAlert>
        size="small"
        rowKey={(a) => `${a.key}-${a.resolvedAt}`}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={history}
        locale={{ emptyText: 'Chưa có cảnh báo nào đã kết thúc.' }}
        columns={[
          { title: 'Mức', width: 90, render: (_, a) => LEVEL[a.level] },
          { title: 'Cảnh báo', render: (_, a) => `${a.title}: ${a.message}` },
          { title: 'Bắt đầu', width: 150, render: (_, a) => formatDateTime(a.firstAt) },
          { title: 'Kết thúc', width: 150, render: (_, a) => formatDateTime(a.resolvedAt) },
          { title: 'Số lần', dataIndex: 'count', width: 80 },
          { title: 'Đã email', width: 90, render: (_, a) => (a.mailed ? 'Có' : 'Không') },
        ]}
      />
    </Card>
  );
}

/** Who is e-mailed about alerts: the addresses set here, ALERT_EMAILS, or by default the agencies' e-mail. */
export function AlertRecipients({ recipients }: { recipients: TSystemStatus['recipients'] }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [emails, setEmails] = useState(recipients.set);
  useEffect(() => setEmails(recipients.set), [recipients.set]);
  const save = useMutation({
    mutationFn: () => api.put('/api/admin/alert-recipients', { emails }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['system-status'] });
      void message.success('Đã lưu danh sách email nhận cảnh báo.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  const test = useMutation({
    mutationFn: () => api.post<TTestMailSent>('/api/admin/alerts/test-mail'),
    onSuccess: (r) => void message.success(`Đã gửi thư thử tới ${r.sentTo.join(', ')}.`),
    onError: (err) => message.error(errorText(err)),
  });
  return (
    <Card title="Email nhận cảnh báo">
      <Typography.Paragraph type="secondary">
        Khi có sự cố, hệ thống gửi email một lần, nhắc lại khi sự cố kéo dài và báo khi đã trở lại bình
        thường. Để trống thì dùng email của cơ quan có tài khoản quản trị.
      </Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          mode="tags"
          value={emails}
          onChange={setEmails}
          tokenSeparators={[',', ';', ' ']}
          placeholder="Nhập địa chỉ email rồi nhấn Enter"
          style={{ width: '100%', maxWidth: 640 }}
          aria-label="Email nhận cảnh báo"
          open={false}
        />
        {recipients.fromConfig.length > 0 && (
          <Typography.Text type="secondary">
            Cấu hình máy chủ (ALERT_EMAILS): {recipients.fromConfig.join(', ')}
          </Typography.Text>
        )}
        <Typography.Text data-testid="alert-recipients">
          Đang gửi tới: {recipients.effective.length > 0 ? recipients.effective.join(', ') : 'chưa có ai'}
        </Typography.Text>
        <Space>
          <Button type="primary" onClick={() => save.mutate()} loading={save.isPending}>
            Lưu
          </Button>
          <Button onClick={() => test.mutate()} loading={test.isPending}>
            Gửi thư thử
          </Button>
        </Space>
      </Space>
    </Card>
  );
}

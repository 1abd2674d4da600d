import type {
  TFailedStatusChange,
  TNotificationChannel,
  TNotificationStats,
  TStatusChangesRetried,
} from '@contracts/notifications.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Popconfirm,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tooltip,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';

type Channel = TNotificationChannel;
const CHANNEL_LABELS: Record<Channel, string> = {
  zalo_phone: 'Zalo',
  zalo_uid: 'Zalo (OA)',
  sms: 'SMS',
  email: 'Email',
};
const CHANNEL_FILTER = [
  { value: '', label: 'Tất cả kênh' },
  { value: 'zalo_phone', label: 'Zalo' },
  { value: 'sms', label: 'SMS' },
  { value: 'email', label: 'Email' },
];

const ms = (v: number | null) =>
  v === null ? '—' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;

/**
 * Thông báo (administrators): status changes whose messages could not be planned, queue, daily counts, latency,
 * failures by reason, stuck messages.
 */
export function NotificationsPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState('');
  const stats = useQuery({
    queryKey: ['notification-stats', channel],
    queryFn: () => api.get<TNotificationStats>(`/api/admin/notifications/stats${query({ channel })}`),
    refetchInterval: 15_000,
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: number; action: 'retry' | 'cancel' }) =>
      api.post(`/api/admin/notifications/${id}/${action}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['notification-stats'] });
      void message.success('Đã cập nhật.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  const givenUp = useQuery({
    queryKey: ['status-changes-given-up'],
    queryFn: () => api.get<TFailedStatusChange[]>('/api/admin/status-changes/failed'),
    refetchInterval: 15_000,
  });
  const planAgain = useMutation({
    mutationFn: (journalId?: number) =>
      api.post<TStatusChangesRetried>('/api/admin/status-changes/retry', journalId ? { journalId } : {}),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: ['status-changes-given-up'] });
      await queryClient.invalidateQueries({ queryKey: ['notification-stats'] });
      void message.success(`Đã đưa ${r.retried} lần chuyển trạng thái vào lập thông báo lại.`);
    },
    onError: (err) => message.error(errorText(err)),
  });
  const s = stats.data;
  return (
    <QueryState loading={stats.isLoading} error={stats.error} retry={() => void stats.refetch()}>
      {s && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {givenUp.data && givenUp.data.length > 0 && (
            <Card
              title="Chưa lập được thông báo"
              data-testid="status-changes-given-up"
              extra={
                <Button loading={planAgain.isPending} onClick={() => planAgain.mutate(undefined)}>
                  Lập lại tất cả
                </Button>
              }
            >
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                message="Hệ thống đã thử nhiều lần nhưng chưa lập được tin nhắn cho các lần chuyển trạng thái dưới đây, nên người dân chưa được báo. Khắc phục nguyên nhân (xem cột Lỗi) rồi bấm “Lập lại”."
              />
              <Table
                size="small"
                rowKey="journalId"
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                dataSource={givenUp.data}
                columns={[
                  {
                    title: 'Hồ sơ',
                    render: (_, c) => (
                      <Link to={`/ho-so/${encodeURIComponent(c.dossierCode)}`}>{c.dossierCode}</Link>
                    ),
                  },
                  { title: 'Chuyển sang', dataIndex: 'toStatus' },
                  { title: 'Số lần thử', dataIndex: 'attempts' },
                  { title: 'Lỗi', dataIndex: 'lastError' },
                  { title: 'Dừng thử lúc', render: (_, c) => formatDateTime(c.failedAt) },
                  {
                    title: '',
                    render: (_, c) => (
                      <Button size="small" onClick={() => planAgain.mutate(c.journalId)}>
                        Lập lại
                      </Button>
                    ),
                  },
                ]}
              />
            </Card>
          )}
          <Segmented
            options={CHANNEL_FILTER}
            value={channel}
            onChange={(v) => setChannel(String(v))}
            aria-label="Lọc theo kênh"
          />
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title="Đang chờ gửi" value={s.queue.queued} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title="Tạm hoãn"
                  value={s.queue.waiting}
                  valueStyle={{ color: s.queue.waiting ? '#d48806' : undefined }}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={
                    <Tooltip title="Từ lúc hồ sơ chuyển trạng thái đến lúc nhà cung cấp (Zalo, SMS, email) nhận tin, trong 24 giờ qua: một nửa số tin (trung vị, p50) và 95% số tin (p95) nhanh hơn mức này.">
                      <span>Thời gian tới nhà cung cấp: trung vị / 95% số tin</span>
                    </Tooltip>
                  }
                  value={`${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p95)}`}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={
                    <Tooltip title="99% số tin trong 24 giờ qua tới nhà cung cấp nhanh hơn mức này (p99).">
                      <span>99% số tin (24 giờ)</span>
                    </Tooltip>
                  }
                  value={ms(s.latencyMs.p99)}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card title="Theo ngày (14 ngày)">
                <Table
                  size="small"
                  rowKey="day"
                  pagination={false}
                  dataSource={s.perDay}
                  locale={{ emptyText: 'Chưa có thông báo' }}
                  columns={[
                    { title: 'Ngày', dataIndex: 'day', render: (day: string) => formatDate(day) },
                    { title: 'Đã gửi', dataIndex: 'sent' },
                    { title: 'Đã nhận', dataIndex: 'delivered' },
                    { title: 'Thất bại', dataIndex: 'failed' },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="Lý do thất bại (7 ngày)">
                <Table
                  size="small"
                  rowKey="reason"
                  pagination={false}
                  dataSource={s.failures}
                  locale={{ emptyText: 'Không có thông báo thất bại' }}
                  columns={[
                    { title: 'Lý do', dataIndex: 'reason' },
                    { title: 'Số tin', dataIndex: 'n', width: 90 },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          <Card title="Tin nhắn chờ quá 10 phút">
            <Table
              size="small"
              rowKey="id"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={s.stuck}
              locale={{ emptyText: 'Không có tin nhắn nào bị kẹt' }}
              columns={[
                {
                  title: 'Hồ sơ',
                  render: (_, n) => (
                    <Link to={`/ho-so/${encodeURIComponent(n.dossierCode)}`}>{n.dossierCode}</Link>
                  ),
                },
                { title: 'Kênh', render: (_, n) => CHANNEL_LABELS[n.channel] },
                { title: 'Trạng thái', dataIndex: 'state' },
                { title: 'Lý do', dataIndex: 'reason' },
                { title: 'Số lần thử', dataIndex: 'attempts' },
                { title: 'Tạo lúc', render: (_, n) => formatDateTime(n.createdAt) },
                { title: 'Thử lại lúc', render: (_, n) => formatDateTime(n.nextAttemptAt) },
                {
                  title: '',
                  render: (_, n) => (
                    <Space>
                      <Button size="small" onClick={() => act.mutate({ id: n.id, action: 'retry' })}>
                        Gửi lại ngay
                      </Button>
                      <Popconfirm
                        title="Hủy tin nhắn này?"
                        okText="Hủy tin"
                        cancelText="Không"
                        onConfirm={() => act.mutate({ id: n.id, action: 'cancel' })}
                      >
                        <Button size="small" danger>
                          Hủy
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </Space>
      )}
    </QueryState>
  );
}

import type { TSystemStatus } from '@contracts/operations.ts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { Chart } from '../../ui/Chart.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { QueryState } from '../../ui/QueryState.tsx';
import { ActiveAlerts, AlertHistory, AlertRecipients } from './AlertCards.tsx';
import { duration } from './duration.ts';

const CONNECTION = {
  connected: { color: 'green', label: 'Đã kết nối' },
  broken: { color: 'red', label: 'Mất kết nối' },
  disconnected: { color: 'default', label: 'Chưa kết nối' },
} as const;

const PROVIDERS: Record<string, string> = {
  http: 'Cổng SMS thương hiệu',
  sandbox: 'SMS sandbox (thử nghiệm)',
  smtp: 'Máy chủ SMTP',
  catcher: 'Hộp thư thử nghiệm',
  none: 'Chưa cấu hình',
};

/** "07:00" in Vietnam time. */
const hourLabel = (iso: string) =>
  `${new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', hourCycle: 'h23' }).format(new Date(iso))}:00`;

/**
 * Tình trạng hệ thống (administrators): OA connection and tokens, queues, sends and failures per hour by cause,
 * webhook lag, worker nodes, gateways, alerts and their history, who is e-mailed. Refreshed every 30 s.
 */
export function SystemStatusPage() {
  const status = useQuery({
    queryKey: ['system-status'],
    queryFn: () => api.get<TSystemStatus>('/api/admin/system-status'),
    refetchInterval: 30_000,
  });
  const s = status.data;
  return (
    <QueryState loading={status.isLoading} error={status.error} retry={() => void status.refetch()}>
      {s && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            Tình trạng hệ thống
          </Typography.Title>
          {s.alerts.active.length === 0 ? (
            <Alert type="success" showIcon message="Hệ thống đang hoạt động bình thường." />
          ) : (
            <Alert
              type="error"
              showIcon
              message={`Có ${s.alerts.active.length} cảnh báo cần xử lý.`}
              data-testid="status-summary"
            />
          )}
          <ActiveAlerts alerts={s.alerts.active} />
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Connection c={s.connection} warnDays={s.thresholds.refreshWarnDays} />
            </Col>
            <Col xs={24} lg={12}>
              <Queues s={s} />
            </Col>
          </Row>
          <Sends s={s} />
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <Card title="Webhook Zalo" style={{ height: '100%' }}>
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label="Sự kiện gần nhất">
                    {formatDateTime(s.webhooks.lastReceivedAt) || 'Chưa nhận'}
                  </Descriptions.Item>
                  <Descriptions.Item label="Thời gian xử lý (TB / tối đa)">
                    {s.webhooks.processingAvgMs === null
                      ? '—'
                      : `${duration(s.webhooks.processingAvgMs / 1000)} / ${duration((s.webhooks.processingMaxMs ?? 0) / 1000)}`}
                  </Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Workers s={s} />
            </Col>
            <Col xs={24} lg={8}>
              <Gateways s={s} />
            </Col>
          </Row>
          <AlertHistory history={s.alerts.history} />
          <AlertRecipients recipients={s.recipients} />
          <Typography.Text type="secondary">Cập nhật lúc {formatDateTime(s.generatedAt)}.</Typography.Text>
        </Space>
      )}
    </QueryState>
  );
}

function Connection({ c, warnDays }: { c: TSystemStatus['connection']; warnDays: number }) {
  const expiring =
    c.refreshTokenExpiresAt !== null &&
    new Date(c.refreshTokenExpiresAt).getTime() - Date.now() < warnDays * 86_400_000;
  return (
    <Card title="Kết nối Zalo OA" extra={<Link to="/zalo">Quản lý</Link>} style={{ height: '100%' }}>
      <Descriptions size="small" column={1} data-testid="status-connection">
        <Descriptions.Item label="Trạng thái">
          <Tag color={CONNECTION[c.status].color}>{CONNECTION[c.status].label}</Tag>
          {c.sandbox && <Tag>Zalo sandbox</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label="Làm mới mã lần cuối">
          {formatDateTime(c.lastRefreshAt) || '—'}
        </Descriptions.Item>
        <Descriptions.Item label="Mã truy cập hết hạn">
          {formatDateTime(c.accessExpiresAt) || '—'}
        </Descriptions.Item>
        <Descriptions.Item label="Mã làm mới hết hạn">
          <Typography.Text type={expiring ? 'danger' : undefined}>
            {formatDateTime(c.refreshTokenExpiresAt) || '—'}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="Gửi thành công lần cuối">
          {formatDateTime(c.lastSuccessAt) || '—'}
        </Descriptions.Item>
        {c.lastError && (
          <Descriptions.Item label="Lỗi gần nhất">
            <Typography.Text type="danger">
              {c.lastError} ({formatDateTime(c.lastErrorAt)})
            </Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

function Queues({ s }: { s: TSystemStatus }) {
  const limit = s.thresholds.queueMinutes * 60;
  return (
    <Card title="Hàng đợi" style={{ height: '100%' }}>
      <Table
        size="small"
        rowKey="lane"
        pagination={false}
        dataSource={s.queues}
        data-testid="status-queues"
        columns={[
          { title: 'Hàng đợi', dataIndex: 'label' },
          { title: 'Đang chờ', dataIndex: 'depth', align: 'right' },
          {
            title: 'Mục cũ nhất',
            align: 'right',
            render: (_, q) =>
              q.oldestSeconds !== null && q.oldestSeconds > limit && q.lane !== 'zalo_waiting' ? (
                <Tag color="red">{duration(q.oldestSeconds)}</Tag>
              ) : (
                duration(q.oldestSeconds)
              ),
          },
        ]}
      />
    </Card>
  );
}

/** Messages accepted and failed per hour (bars), and failures or holds by cause per hour (a table). */
function Sends({ s }: { s: TSystemStatus }) {
  const option = useMemo(() => {
    const hours = [...new Set(s.sendsByHour.map((h) => h.hour))].sort();
    const sum = (hour: string, f: 'sent' | 'failed') =>
      s.sendsByHour.filter((h) => h.hour === hour).reduce((a, h) => a + h[f], 0);
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['Đã gửi', 'Thất bại'] },
      grid: { left: 40, right: 16, top: 40, bottom: 24 },
      xAxis: { type: 'category', data: hours.map(hourLabel) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: 'Đã gửi',
          type: 'bar',
          stack: 'all',
          data: hours.map((h) => sum(h, 'sent')),
          color: '#389e0d',
        },
        {
          name: 'Thất bại',
          type: 'bar',
          stack: 'all',
          data: hours.map((h) => sum(h, 'failed')),
          color: '#cf1322',
        },
      ],
    };
  }, [s.sendsByHour]);
  return (
    <Card title="Tin nhắn 24 giờ qua">
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          {s.sendsByHour.length > 0 ? (
            <Chart option={option} label="Tin nhắn đã gửi và thất bại theo giờ" height={240} />
          ) : (
            <Typography.Text type="secondary">Chưa có tin nhắn nào trong 24 giờ qua.</Typography.Text>
          )}
        </Col>
        <Col xs={24} lg={10}>
          <Table
            size="small"
            rowKey={(r) => `${r.hour}-${r.cause}`}
            pagination={{ pageSize: 8, hideOnSinglePage: true }}
            dataSource={[...s.failuresByHour].reverse()}
            data-testid="failures-by-cause"
            locale={{ emptyText: 'Không có tin nhắn lỗi hoặc tạm hoãn.' }}
            columns={[
              { title: 'Giờ', width: 70, render: (_, r) => hourLabel(r.hour) },
              { title: 'Nguyên nhân', dataIndex: 'cause' },
              { title: 'Số tin', dataIndex: 'n', align: 'right', width: 70 },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}

function Workers({ s }: { s: TSystemStatus }) {
  return (
    <Card title="Tiến trình xử lý nền (worker)" style={{ height: '100%' }}>
      {s.workers.nodes.length === 0 ? (
        <Typography.Text type="danger">
          Không có tiến trình nào đang chạy
          {s.workers.lastSeenAt ? ` (lần cuối ${formatDateTime(s.workers.lastSeenAt)})` : ''}.
        </Typography.Text>
      ) : (
        <Descriptions size="small" column={1} data-testid="status-workers">
          {s.workers.nodes.map((n) => (
            <Descriptions.Item key={`${n.hostname}-${n.pid}`} label={`${n.hostname} (pid ${n.pid})`}>
              thấy lúc {formatDateTime(n.lastSeenAt)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Card>
  );
}

function Gateways({ s }: { s: TSystemStatus }) {
  return (
    <Card title="Cổng SMS và email" style={{ height: '100%' }}>
      <Descriptions size="small" column={1}>
        {s.gateways.map((g) => (
          <Descriptions.Item key={g.channel} label={g.channel === 'sms' ? 'SMS' : 'Email'}>
            <Space direction="vertical" size={0}>
              <span>{PROVIDERS[g.provider] ?? g.provider}</span>
              <Typography.Text type="secondary">
                Thành công lần cuối: {formatDateTime(g.lastSuccessAt) || '—'}
              </Typography.Text>
              {g.failuresInRow > 0 && (
                <Typography.Text type="danger">
                  Lỗi {g.failuresInRow} lần liên tiếp{g.lastError ? `: ${g.lastError}` : ''}
                </Typography.Text>
              )}
            </Space>
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Card>
  );
}

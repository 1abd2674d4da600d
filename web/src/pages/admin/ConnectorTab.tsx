import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, query } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';

/** What /api/admin/connector answers (src/connector/routes.ts). */
interface ConnectorState {
  mode: 'own' | 'connected';
  modeLabel: string;
  subscriptions: { id: number; url: string; events: string[]; active: boolean; createdAt: string }[];
}

interface DeliveryRow {
  id: number;
  subscriptionId: number;
  url: string;
  type: string;
  dossierCode: string | null;
  state: 'pending' | 'delivered' | 'given_up';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string | null;
}

const STATES: Record<DeliveryRow['state'], { label: string; color: string }> = {
  pending: { label: 'Đang chờ gửi', color: 'gold' },
  delivered: { label: 'Đã gửi', color: 'green' },
  given_up: { label: 'Đã dừng thử lại', color: 'red' },
};

const EVENT_LABELS: Record<string, string> = {
  'notification.sent': 'Zalo đã nhận tin',
  'notification.delivered': 'Tin đã đến điện thoại',
  'notification.failed': 'Tin gửi không thành công',
  'fallback.sent': 'Đã gửi SMS/e-mail thay thế',
  'citizen.followed_dossier': 'Công dân theo dõi hồ sơ',
  'citizen.rated_dossier': 'Công dân đánh giá hồ sơ',
};

/**
 * Kết nối phần mềm một cửa: whether the agency runs its own desk here or is connected to the province's
 * one-stop software (audited), the callback subscriptions of its API keys, and their delivery log with "Gửi lại".
 */
export function ConnectorTab() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [state, setState] = useState<DeliveryRow['state']>();
  const connector = useQuery({
    queryKey: ['connector'],
    queryFn: () => api.get<ConnectorState>('/api/admin/connector'),
  });
  const deliveries = useQuery({
    queryKey: ['connector-deliveries', state],
    queryFn: () =>
      api.get<{ items: DeliveryRow[] }>(`/api/admin/connector/deliveries${query({ state, limit: 200 })}`),
    refetchInterval: 10_000,
  });
  const setMode = useMutation({
    mutationFn: (mode: ConnectorState['mode']) => api.put('/api/admin/connector/mode', { mode }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['connector'] });
      await queryClient.invalidateQueries({ queryKey: ['desk-mode'] });
      void message.success('Đã lưu chế độ vận hành.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  const resend = useMutation({
    mutationFn: (id: number) => api.post(`/api/admin/connector/deliveries/${id}/resend`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['connector-deliveries'] });
      void message.success('Đã đưa vào hàng đợi gửi lại.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  const mode = connector.data?.mode;
  return (
    <QueryState loading={connector.isLoading} error={connector.error} retry={() => void connector.refetch()}>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <div>
          <Typography.Title level={5}>Chế độ vận hành của cơ quan</Typography.Title>
          <Space wrap>
            <Typography.Text strong data-testid="desk-mode">
              {connector.data?.modeLabel}
            </Typography.Text>
            <Popconfirm
              title="Đổi chế độ vận hành?"
              description={
                mode === 'own'
                  ? 'Cán bộ sẽ không tiếp nhận, chuyển trạng thái hồ sơ tại đây nữa.'
                  : 'Cán bộ sẽ tiếp nhận và chuyển trạng thái hồ sơ tại đây.'
              }
              okText="Đổi"
              cancelText="Hủy"
              onConfirm={() => setMode.mutate(mode === 'own' ? 'connected' : 'own')}
            >
              <Button loading={setMode.isPending}>
                {mode === 'own'
                  ? 'Chuyển sang kết nối phần mềm một cửa của tỉnh'
                  : 'Chuyển sang vận hành một cửa trên phần mềm này'}
              </Button>
            </Popconfirm>
          </Space>
          {mode === 'connected' && (
            <Alert
              style={{ marginTop: 12 }}
              type="info"
              showIcon
              message="Phần mềm một cửa của tỉnh gửi hồ sơ và trạng thái qua API (/api/v1). Cán bộ xem hồ sơ, lịch sử, thông báo và thống kê."
            />
          )}
        </div>
        <div>
          <Typography.Title level={5}>Đăng ký nhận callback</Typography.Title>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={connector.data?.subscriptions ?? []}
            locale={{
              emptyText: 'Chưa có đăng ký nào (phần mềm một cửa đăng ký qua POST /api/v1/callbacks).',
            }}
            columns={[
              { title: 'Địa chỉ nhận', dataIndex: 'url' },
              {
                title: 'Sự kiện',
                dataIndex: 'events',
                render: (events: string[]) => events.map((e) => <Tag key={e}>{EVENT_LABELS[e] ?? e}</Tag>),
              },
              {
                title: 'Trạng thái',
                dataIndex: 'active',
                render: (active: boolean) =>
                  active ? <Tag color="green">Đang dùng</Tag> : <Tag>Đã dừng</Tag>,
              },
            ]}
          />
        </div>
        <div>
          <Space style={{ marginBottom: 8 }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              Nhật ký gửi callback
            </Typography.Title>
            <Select
              allowClear
              placeholder="Mọi trạng thái"
              style={{ width: 180 }}
              value={state}
              onChange={setState}
              options={Object.entries(STATES).map(([value, s]) => ({ value, label: s.label }))}
            />
          </Space>
          <Table<DeliveryRow>
            rowKey="id"
            size="small"
            loading={deliveries.isLoading}
            dataSource={deliveries.data?.items ?? []}
            locale={{ emptyText: 'Chưa có lần gửi nào' }}
            columns={[
              {
                title: 'Thời điểm',
                dataIndex: 'createdAt',
                render: (v: string | null) => (v ? formatDateTime(v) : ''),
              },
              { title: 'Sự kiện', dataIndex: 'type', render: (t: string) => EVENT_LABELS[t] ?? t },
              { title: 'Mã hồ sơ', dataIndex: 'dossierCode' },
              {
                title: 'Trạng thái',
                dataIndex: 'state',
                render: (s: DeliveryRow['state']) => <Tag color={STATES[s].color}>{STATES[s].label}</Tag>,
              },
              { title: 'Số lần thử', dataIndex: 'attempts' },
              {
                title: 'Kết quả lần cuối',
                render: (_: unknown, r: DeliveryRow) =>
                  r.lastError ? (
                    <Typography.Text type="danger">{r.lastError}</Typography.Text>
                  ) : r.lastStatus ? (
                    `HTTP ${r.lastStatus}`
                  ) : (
                    ''
                  ),
              },
              {
                title: '',
                render: (_: unknown, r: DeliveryRow) => (
                  <Button size="small" loading={resend.isPending} onClick={() => resend.mutate(r.id)}>
                    Gửi lại
                  </Button>
                ),
              },
            ]}
          />
        </div>
      </Space>
    </QueryState>
  );
}

import type { TOAuthStart, TZaloConnection } from '@contracts/zalo.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';
import { OaQrCode } from './OaQrCode.tsx';
import { Templates } from './Templates.tsx';

type Connection = TZaloConnection;

const STATUS: Record<Connection['status'], { color: string; label: string }> = {
  connected: { color: 'green', label: 'Đã kết nối' },
  broken: { color: 'red', label: 'Mất kết nối' },
  disconnected: { color: 'default', label: 'Chưa kết nối' },
};

/** Kết nối Zalo OA: connection health, the OAuth flow or a pasted refresh token, and the template registry. */
export function ZaloPage() {
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const connection = useQuery({
    queryKey: ['zalo-connection'],
    queryFn: () => api.get<Connection>('/api/zalo/connection'),
    refetchInterval: 30_000,
  });
  const [refreshToken, setRefreshToken] = useState('');
  const start = useMutation({
    mutationFn: () => api.post<TOAuthStart>('/api/zalo/oauth/start'),
    onSuccess: ({ url }) => {
      window.location.href = url;
    },
    onError: (err) => message.error(errorText(err)),
  });
  const paste = useMutation({
    mutationFn: () => api.post('/api/zalo/connection/refresh-token', { refreshToken }),
    onSuccess: async () => {
      setRefreshToken('');
      await queryClient.invalidateQueries({ queryKey: ['zalo-connection'] });
      void message.success('Đã kết nối Zalo OA.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  const c = connection.data;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {params.get('ket-noi') === 'thanh-cong' && (
        <Alert type="success" showIcon message="Đã kết nối Zalo OA." />
      )}
      {params.get('ket-noi') === 'that-bai' && (
        <Alert type="error" showIcon message="Kết nối Zalo OA không thành công. Vui lòng thử lại." />
      )}
      <Card title="Kết nối Zalo OA">
        <QueryState loading={connection.isLoading} error={connection.error}>
          {c && (
            <>
              {c.sandbox && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 12 }}
                  message="Đang dùng Zalo sandbox tích hợp: không có tin nhắn nào tới Zalo thật."
                  description={
                    <span>
                      Xem tin nhắn công dân nhận được tại <a href="/sandbox/phone">điện thoại mô phỏng</a>.
                    </span>
                  }
                />
              )}
              <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
                <Descriptions.Item label="Trạng thái">
                  <Tag color={STATUS[c.status].color} data-testid="zalo-status">
                    {STATUS[c.status].label}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label="Mã OA">{c.oaId}</Descriptions.Item>
                <Descriptions.Item label="Mã truy cập hết hạn">
                  {formatDateTime(c.accessExpiresAt) || '—'}
                </Descriptions.Item>
                <Descriptions.Item label="Làm mới lần cuối">
                  {formatDateTime(c.lastRefreshAt) || '—'}
                </Descriptions.Item>
                <Descriptions.Item label="Mã làm mới hết hạn">
                  {formatDateTime(c.refreshTokenExpiresAt) || '—'}
                </Descriptions.Item>
                <Descriptions.Item label="Gửi thành công lần cuối">
                  {formatDateTime(c.lastSuccessAt) || '—'}
                </Descriptions.Item>
                <Descriptions.Item label="Hạn mức ZBS trong ngày">
                  {c.quotaDaily === null
                    ? '—'
                    : `còn ${c.quotaRemaining?.toLocaleString('vi-VN')} / ${c.quotaDaily.toLocaleString('vi-VN')}`}
                </Descriptions.Item>
                {c.lastError ? (
                  <Descriptions.Item label="Lỗi gần nhất" span={2}>
                    <Typography.Text type="danger">
                      {c.lastError} ({formatDateTime(c.lastErrorAt)})
                    </Typography.Text>
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
              <Space direction="vertical" style={{ marginTop: 16, width: '100%' }}>
                <Typography.Text>
                  Địa chỉ callback cần khai báo trong ứng dụng Zalo:{' '}
                  <Typography.Text code copyable>
                    {c.callbackUrl}
                  </Typography.Text>
                </Typography.Text>
                <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>
                  Kết nối qua Zalo (OAuth)
                </Button>
                <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
                  <Input.Password
                    value={refreshToken}
                    onChange={(e) => setRefreshToken(e.target.value)}
                    placeholder="Hoặc dán refresh token lấy từ API Explorer của Zalo"
                    aria-label="Mã làm mới (refresh token)"
                  />
                  <Button
                    onClick={() => paste.mutate()}
                    loading={paste.isPending}
                    disabled={!refreshToken.trim()}
                  >
                    Kết nối
                  </Button>
                </Space.Compact>
              </Space>
            </>
          )}
        </QueryState>
      </Card>
      <Templates />
      <OaQrCode />
    </Space>
  );
}

import type {
  TOAuthStart,
  TTemplateBinding,
  TTemplatePreview,
  TTemplateRegistry,
  TZaloConnection,
} from '@contracts/zalo.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, query } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';

type Connection = TZaloConnection;
type Binding = TTemplateBinding;

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

/** The OA's QR code on the look-up page, the help page and the desk poster: generated, or uploaded. */
function OaQrCode() {
  const { message } = App.useApp();
  // A new URL after each change makes the browser fetch the image again.
  const [version, setVersion] = useState(0);
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const res = await fetch('/api/zalo/oa-qr', {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': file.type },
        body: file,
      });
      if (!res.ok) {
        const problem = (await res.json().catch(() => ({}))) as { userMessage?: string };
        throw new Error(problem.userMessage ?? 'Không tải được ảnh lên.');
      }
    },
    onSuccess: async () => {
      setVersion((v) => v + 1);
      void message.success('Đã cập nhật mã QR của OA.');
    },
    onError: (err) => message.error(err.message),
  });
  const reset = useMutation({
    mutationFn: () => api.delete('/api/zalo/oa-qr'),
    onSuccess: async () => {
      setVersion((v) => v + 1);
      void message.success('Đã chuyển về mã QR tạo tự động từ đường dẫn OA.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  return (
    <Card title="Mã QR của OA">
      <Space align="start" size={16} wrap>
        <img src={`/qrcode/zalo-qrcode.jpg?v=${version}`} alt="Mã QR của OA" width={160} height={160} />
        <Space direction="vertical">
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0, maxWidth: 520 }}>
            Mặc định mã QR được tạo từ đường dẫn zalo.me của OA (khi dùng Zalo sandbox: địa chỉ điện thoại mô
            phỏng). Có thể thay bằng ảnh mã QR tải từ trang quản lý OA (JPEG hoặc PNG, tối đa 1 MB). Mã QR
            xuất hiện trên trang tra cứu, trang hướng dẫn và áp phích.
          </Typography.Paragraph>
          <Space wrap>
            <Button loading={upload.isPending} onClick={() => document.getElementById('oa-qr-file')?.click()}>
              Tải ảnh mã QR lên
            </Button>
            <input
              id="oa-qr-file"
              type="file"
              accept="image/jpeg,image/png"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) {
                  upload.mutate(file);
                }
              }}
            />
            <Button loading={reset.isPending} onClick={() => reset.mutate()}>
              Dùng mã QR tạo tự động
            </Button>
            <Button href="/qrcode/tra-cuu-zalo.pdf" target="_blank">
              In áp phích A4
            </Button>
          </Space>
        </Space>
      </Space>
    </Card>
  );
}

function Templates() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const data = useQuery({
    queryKey: ['zalo-templates'],
    queryFn: () => api.get<TTemplateRegistry>('/api/zalo/templates'),
  });
  const [editing, setEditing] = useState<Binding>();
  const [previewCode, setPreviewCode] = useState('');
  const preview = useMutation({
    mutationFn: () => api.get<TTemplatePreview>(`/api/zalo/templates/preview${query({ code: previewCode })}`),
  });
  const save = useMutation({
    mutationFn: (b: Binding) =>
      api.put(`/api/zalo/templates/${b.key}`, { templateId: b.templateId, params: b.params }),
    onSuccess: async () => {
      setEditing(undefined);
      await queryClient.invalidateQueries({ queryKey: ['zalo-templates'] });
      void message.success('Đã lưu mẫu tin.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  const sources = data.data?.sources ?? [];
  return (
    <Card title="Mẫu tin Zalo (ZBS) theo trạng thái hồ sơ">
      <Typography.Paragraph type="secondary">
        Mỗi lần hồ sơ chuyển trạng thái, người nộp nhận một tin theo mẫu đã được Zalo duyệt. Mẫu mặc định dùng
        cho mọi trạng thái; có thể gán mẫu riêng cho một trạng thái hoặc một thao tác. Giá trị dài hơn giới
        hạn của tham số được rút gọn trước khi gửi; tham số không có giá trị (ví dụ số tiền khi không phải nộp
        phí) được gửi bằng ký hiệu thay thế, mặc định “—”.
      </Typography.Paragraph>
      <QueryState loading={data.isLoading} error={data.error}>
        <Table<Binding>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={data.data?.bindings}
          columns={[
            {
              title: 'Áp dụng cho',
              width: 260,
              render: (_, b) => (
                <Tooltip title={`Khóa kỹ thuật: ${b.key}`}>
                  <span>{b.label}</span>
                </Tooltip>
              ),
            },
            { title: 'Mã mẫu tin', dataIndex: 'templateId', width: 120 },
            {
              title: 'Nội dung gửi',
              render: (_, b) => (
                <Space size={[4, 4]} wrap>
                  {b.params.map((p) => (
                    <Tooltip key={p.name} title={`Tham số ${p.name} của mẫu tin`}>
                      <Tag>
                        {sources.find((s) => s.key === p.source)?.label ?? p.source} (tối đa {p.maxLength} ký
                        tự; khi trống: {p.placeholder || '—'})
                      </Tag>
                    </Tooltip>
                  ))}
                </Space>
              ),
            },
            {
              title: '',
              render: (_, b) => <Button onClick={() => setEditing(structuredClone(b))}>Sửa</Button>,
            },
          ]}
        />
      </QueryState>
      {editing && (
        <Card size="small" title={`Sửa mẫu tin: ${editing.label}`} style={{ marginTop: 12 }}>
          <Form layout="vertical" onFinish={() => save.mutate(editing)}>
            <Form.Item label="Mã mẫu tin" tooltip="Mã Zalo cấp cho mẫu tin đã duyệt (template ID).">
              <Input
                value={editing.templateId}
                onChange={(e) => setEditing({ ...editing, templateId: e.target.value })}
              />
            </Form.Item>
            {editing.params.map((p, i) => (
              <Space key={p.name} wrap style={{ marginBottom: 8 }}>
                <Input
                  value={p.name}
                  style={{ width: 160 }}
                  onChange={(e) =>
                    setEditing({
                      ...editing,
                      params: editing.params.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)),
                    })
                  }
                  aria-label="Tên tham số"
                />
                <Select
                  value={p.source}
                  aria-label="Giá trị lấy từ"
                  style={{ width: 220 }}
                  options={sources.map((s) => ({ value: s.key, label: s.label }))}
                  onChange={(v) =>
                    setEditing({
                      ...editing,
                      params: editing.params.map((x, j) => (j === i ? { ...x, source: v } : x)),
                    })
                  }
                />
                <InputNumber
                  value={p.maxLength}
                  min={1}
                  max={400}
                  onChange={(v) =>
                    setEditing({
                      ...editing,
                      params: editing.params.map((x, j) => (j === i ? { ...x, maxLength: v ?? 30 } : x)),
                    })
                  }
                  aria-label="Độ dài tối đa"
                />
                <Input
                  value={p.placeholder ?? ''}
                  placeholder="Khi trống: —"
                  style={{ width: 160 }}
                  maxLength={50}
                  onChange={(e) =>
                    setEditing({
                      ...editing,
                      params: editing.params.map((x, j) =>
                        j === i ? { ...x, placeholder: e.target.value || undefined } : x,
                      ),
                    })
                  }
                  aria-label="Ký hiệu khi trống"
                />
              </Space>
            ))}
            <Space>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                Lưu
              </Button>
              <Button onClick={() => setEditing(undefined)}>Hủy</Button>
            </Space>
          </Form>
        </Card>
      )}
      <Space style={{ marginTop: 16 }} wrap>
        <Input
          placeholder="Mã hồ sơ để xem trước"
          aria-label="Mã hồ sơ để xem trước"
          value={previewCode}
          onChange={(e) => setPreviewCode(e.target.value)}
          style={{ width: 300 }}
        />
        <Button onClick={() => preview.mutate()} disabled={!previewCode.trim()} loading={preview.isPending}>
          Xem trước tin nhắn
        </Button>
      </Space>
      {preview.error && <Alert type="error" style={{ marginTop: 8 }} message={errorText(preview.error)} />}
      {preview.data && (
        <Descriptions
          bordered
          size="small"
          column={1}
          style={{ marginTop: 8 }}
          data-testid="template-preview"
          title={`Tin sẽ gửi cho hồ sơ ${preview.data.code}`}
        >
          <Descriptions.Item label="Mẫu tin">
            {preview.data.templateId
              ? `${preview.data.label} · mã ${preview.data.templateId}`
              : 'Chưa gán mẫu tin cho trạng thái này'}
          </Descriptions.Item>
          {preview.data.parameters.map((p) => (
            <Descriptions.Item
              key={p.name}
              label={
                <Tooltip title={`Tham số ${p.name}, tối đa ${p.maxLength} ký tự`}>
                  <span>{p.label}</span>
                </Tooltip>
              }
            >
              {p.value || <Typography.Text type="secondary">(trống)</Typography.Text>}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Card>
  );
}

import type { TTemplateBinding, TTemplatePreview, TTemplateRegistry } from '@contracts/zalo.ts';
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
import { api, query } from '../../api/client.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';

type Binding = TTemplateBinding;

export function Templates() {
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

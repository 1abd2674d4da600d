import { FileExcelOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { limitLabel, type TProcedureView } from '@contracts/procedures.ts';
import { matchesSearch } from '@contracts/text.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TimePicker,
  Tooltip,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { useAgencies, useMe, useProcedures } from '../../api/hooks.ts';
import { formatMoney } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';
import { ImportDialog } from './ImportDialog.tsx';

/** Thủ tục hành chính: the catalogue; administrators edit time limits, fees, documents and receiving agencies. */
export function ProceduresPage() {
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  const procedures = useProcedures(isAdmin);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<TProcedureView>();
  const [importing, setImporting] = useState(false);
  const rows = (procedures.data ?? []).filter((p) => matchesSearch(`${p.code} ${p.name} ${p.field}`, search));
  return (
    <Card
      title="Thủ tục hành chính"
      extra={
        <Space>
          <Input.Search
            allowClear
            placeholder="Tìm thủ tục (không cần dấu)"
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 280 }}
          />
          {isAdmin && (
            <Button icon={<FileExcelOutlined />} onClick={() => setImporting(true)}>
              Nhập từ Excel
            </Button>
          )}
        </Space>
      }
    >
      <QueryState
        loading={procedures.isLoading}
        error={procedures.error}
        retry={() => void procedures.refetch()}
      >
        <Table<TProcedureView>
          rowKey="id"
          size="middle"
          dataSource={rows}
          locale={{ emptyText: 'Không có thủ tục phù hợp' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: 'Mã', dataIndex: 'code', width: 100 },
            { title: 'Tên thủ tục', dataIndex: 'name' },
            { title: 'Lĩnh vực', dataIndex: 'field', width: 180 },
            {
              title: 'Thời hạn',
              width: 150,
              render: (_, p) => (
                <>
                  {limitLabel(p.processingDays, p.deadlineUnit).replace(/^t/, 'T')}
                  {p.cutoffTime && (
                    <Tooltip title={p.cutoffBasis || 'Chưa ghi căn cứ pháp lý'}>
                      <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                        Sau {p.cutoffTime}: ngày làm việc sau
                      </div>
                    </Tooltip>
                  )}
                </>
              ),
            },
            {
              title: 'Lệ phí',
              width: 120,
              render: (_, p) => (p.feeVnd > 0 ? formatMoney(p.feeVnd) : 'Không'),
            },
            { title: '', width: 90, render: (_, p) => (p.active ? null : <Tag>Ngừng</Tag>) },
            ...(isAdmin
              ? [
                  {
                    title: '',
                    width: 90,
                    render: (_: unknown, p: TProcedureView) => (
                      <Button onClick={() => setEditing(p)}>Sửa</Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </QueryState>
      {editing && <ProcedureEditor procedure={editing} onClose={() => setEditing(undefined)} />}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </Card>
  );
}

function ProcedureEditor({ procedure, onClose }: { procedure: TProcedureView; onClose: () => void }) {
  const [form] = Form.useForm();
  const agencies = useAgencies();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) =>
      api.patch<TProcedureView>(`/api/procedures/${procedure.id}`, patch),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
      void message.success('Đã lưu thủ tục.');
      onClose();
    },
  });
  const submit = async () => {
    const v = await form.validateFields();
    save.mutate({ ...v, cutoffTime: v.cutoffTime ? v.cutoffTime.format('HH:mm') : null });
  };
  return (
    <Drawer
      open
      width={640}
      title={`Sửa thủ tục ${procedure.code}`}
      onClose={onClose}
      extra={
        <Button type="primary" onClick={() => void submit()} loading={save.isPending}>
          Lưu
        </Button>
      }
    >
      {save.error && (
        <Alert type="error" showIcon message={errorText(save.error)} style={{ marginBottom: 12 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          ...procedure,
          cutoffTime: procedure.cutoffTime ? dayjs(procedure.cutoffTime, 'HH:mm') : null,
        }}
      >
        <Form.Item
          name="name"
          label="Tên thủ tục"
          rules={[{ required: true, whitespace: true, message: 'Vui lòng nhập tên thủ tục.' }]}
        >
          <Input.TextArea autoSize maxLength={500} />
        </Form.Item>
        <Form.Item
          name="field"
          label="Lĩnh vực"
          rules={[{ required: true, message: 'Vui lòng nhập lĩnh vực.' }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="authority" label="Cơ quan thực hiện (cơ quan có thẩm quyền giải quyết)">
          <Input maxLength={300} />
        </Form.Item>
        <Space wrap>
          <Form.Item
            name="processingDays"
            label="Thời hạn giải quyết (0 = trong ngày)"
            rules={[{ required: true }]}
          >
            <InputNumber min={0} max={365} />
          </Form.Item>
          <Form.Item name="deadlineUnit" label="Đơn vị thời hạn">
            <Radio.Group
              options={[
                { value: 'working_days', label: 'Ngày làm việc' },
                { value: 'calendar_days', label: 'Ngày (theo lịch)' },
              ]}
            />
          </Form.Item>
        </Space>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="Thời hạn tính từ ngày hôm sau ngày tiếp nhận (Bộ luật Dân sự, Điều 147). Thời hạn tính theo ngày mà ngày cuối cùng là ngày nghỉ thì kết thúc vào ngày làm việc tiếp theo (Điều 148)."
        />
        <Space wrap align="start">
          <Form.Item
            name="cutoffTime"
            label="Giờ chốt tiếp nhận trong ngày"
            extra="Thường chỉ áp dụng cho thủ tục giải quyết trong ngày (hộ tịch, chứng thực)."
          >
            <TimePicker format="HH:mm" minuteStep={5} placeholder="Không áp dụng" />
          </Form.Item>
          <Form.Item
            name="cutoffBasis"
            label="Căn cứ pháp lý của giờ chốt"
            dependencies={['cutoffTime']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v: string | undefined) =>
                  getFieldValue('cutoffTime') && !v?.trim()
                    ? Promise.reject(new Error('Vui lòng ghi căn cứ pháp lý của giờ chốt tiếp nhận.'))
                    : Promise.resolve(),
              }),
            ]}
          >
            <Input
              maxLength={300}
              placeholder="Ví dụ: Luật Hộ tịch 2014, Điều 5 khoản 3"
              style={{ width: 300 }}
            />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="feeVnd" label="Lệ phí (đồng)">
            <InputNumber<number>
              min={0}
              style={{ width: 180 }}
              formatter={(v) => (v ? new Intl.NumberFormat('vi-VN').format(Number(v)) : '0')}
              parser={(v) => Number((v ?? '').replace(/\D/g, ''))}
            />
          </Form.Item>
          <Form.Item name="active" label="Đang áp dụng" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="feeNote" label="Ghi chú lệ phí">
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="supplementRule" label="Khi công dân bổ sung hồ sơ">
          <Radio.Group
            options={[
              { value: 'restart', label: 'Tính lại thời hạn từ đầu khi nhận đủ hồ sơ bổ sung' },
              { value: 'extend', label: 'Cộng thêm thời gian chờ bổ sung' },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="agencyIds"
          label="Cơ quan tiếp nhận"
          rules={[{ required: true, message: 'Chọn ít nhất một cơ quan.' }]}
        >
          <Select
            mode="multiple"
            loading={agencies.isLoading}
            options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          />
        </Form.Item>
        <Form.List name="documents">
          {(fields, { add, remove }) => (
            <>
              <div style={{ marginBottom: 8, fontWeight: 600 }}>Thành phần hồ sơ</div>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item
                    name={[f.name, 'name']}
                    rules={[{ required: true, message: 'Nhập tên giấy tờ' }]}
                  >
                    <Input placeholder="Tên giấy tờ" style={{ width: 300 }} maxLength={300} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'form']} rules={[{ required: true }]}>
                    <Select
                      style={{ width: 120 }}
                      options={['Bản chính', 'Bản sao', 'Bản chụp'].map((v) => ({ value: v }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'quantity']} rules={[{ required: true }]}>
                    <InputNumber min={1} max={99} style={{ width: 70 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="Bỏ giấy tờ" />
                </Space>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ name: '', form: 'Bản chính', quantity: 1 })}
              >
                Thêm giấy tờ
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

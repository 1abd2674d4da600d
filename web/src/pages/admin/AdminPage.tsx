import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { passwordProblem } from '@contracts/password.ts';
import { ROLES } from '@contracts/statuses.ts';
import type { TApiKeyCreated, TApiKeyRow, TUserRow } from '@contracts/users.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { useAgencies, useMe } from '../../api/hooks.ts';
import { formatDateTime } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';
import { AuditLog } from './AuditLog.tsx';
import { ConnectorTab } from './ConnectorTab.tsx';

const roleOptions = Object.entries(ROLES).map(([value, label]) => ({ value, label }));

/**
 * Người dùng & khóa API: accounts, roles, agencies, integration keys shown once at creation, and the audit
 * journal (who did what).
 */
export function AdminPage() {
  return (
    <Card title="Người dùng & khóa API">
      <Tabs
        items={[
          { key: 'users', label: 'Người dùng', children: <Users /> },
          { key: 'keys', label: 'Khóa API tích hợp', children: <ApiKeys /> },
          { key: 'audit', label: 'Nhật ký hệ thống', children: <AuditLog /> },
          { key: 'connector', label: 'Kết nối phần mềm một cửa', children: <ConnectorTab /> },
        ]}
      />
    </Card>
  );
}

function Users() {
  const me = useMe();
  const agencies = useAgencies();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.get<TUserRow[]>('/api/users') });
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<TUserRow>();
  const update = useMutation({
    mutationFn: ({ id, ...patch }: { id: number } & Record<string, unknown>) =>
      api.patch<TUserRow>(`/api/users/${id}`, patch),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      void message.success('Đã cập nhật người dùng.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  return (
    <>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => setCreating(true)}
        style={{ marginBottom: 12 }}
      >
        Thêm người dùng
      </Button>
      <QueryState loading={users.isLoading} error={users.error} retry={() => void users.refetch()}>
        <Table<TUserRow>
          rowKey="id"
          size="middle"
          dataSource={users.data}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: 'Tên đăng nhập', dataIndex: 'username' },
            { title: 'Họ và tên', dataIndex: 'fullName' },
            { title: 'Cơ quan', dataIndex: 'agencyName' },
            {
              title: 'Vai trò',
              width: 240,
              render: (_, u) => (
                <Select
                  value={u.role}
                  options={roleOptions}
                  style={{ width: 220 }}
                  disabled={u.id === me.data?.id}
                  onChange={(role) => update.mutate({ id: u.id, role })}
                />
              ),
            },
            {
              title: 'Hoạt động',
              width: 100,
              render: (_, u) => (
                <Popconfirm
                  title={
                    u.disabled
                      ? 'Mở khóa tài khoản này?'
                      : 'Khóa tài khoản này? Các phiên đăng nhập sẽ kết thúc.'
                  }
                  okText="Đồng ý"
                  cancelText="Hủy"
                  disabled={u.id === me.data?.id}
                  onConfirm={() => update.mutate({ id: u.id, disabled: !u.disabled })}
                >
                  <Switch checked={!u.disabled} disabled={u.id === me.data?.id} />
                </Popconfirm>
              ),
            },
            {
              title: '',
              width: 130,
              render: (_, u) => <Button onClick={() => setResetting(u)}>Đặt mật khẩu</Button>,
            },
          ]}
        />
      </QueryState>
      {creating && <CreateUser agencies={agencies.data ?? []} onClose={() => setCreating(false)} />}
      {resetting && (
        <ResetPassword
          user={resetting}
          busy={update.isPending}
          onSave={(password) =>
            update.mutate({ id: resetting.id, password }, { onSuccess: () => setResetting(undefined) })
          }
          onClose={() => setResetting(undefined)}
        />
      )}
    </>
  );
}

function ResetPassword({
  user,
  busy,
  onSave,
  onClose,
}: {
  user: TUserRow;
  busy: boolean;
  onSave: (password: string) => void;
  onClose: () => void;
}) {
  const [password, setPassword] = useState('');
  const problem = password ? passwordProblem(password, { username: user.username }) : undefined;
  const valid = password !== '' && problem === undefined;
  return (
    <Modal
      open
      title={`Đặt mật khẩu mới cho ${user.username}`}
      okText="Lưu"
      cancelText="Hủy"
      okButtonProps={{ disabled: !valid }}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => onSave(password)}
    >
      <Input.Password
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="new-password"
        placeholder="Ít nhất 8 ký tự, có chữ và số"
        status={problem ? 'error' : undefined}
      />
      {problem && <Typography.Text type="danger">{problem.userMessage}</Typography.Text>}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        Các phiên đăng nhập hiện tại của người dùng sẽ kết thúc.
      </Typography.Paragraph>
    </Modal>
  );
}

function CreateUser({
  agencies,
  onClose,
}: {
  agencies: { id: number; name: string }[];
  onClose: () => void;
}) {
  const [form] = Form.useForm();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const create = useMutation({
    mutationFn: (v: Record<string, unknown>) => api.post<TUserRow>('/api/users', v),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      void message.success('Đã thêm người dùng.');
      onClose();
    },
    onError: (err) => {
      const fields = (err as { fieldErrors?: () => Record<string, string> }).fieldErrors?.() ?? {};
      form.setFields(Object.entries(fields).map(([name, m]) => ({ name, errors: [m] })));
    },
  });
  return (
    <Modal
      open
      title="Thêm người dùng"
      okText="Thêm"
      cancelText="Hủy"
      onCancel={onClose}
      confirmLoading={create.isPending}
      onOk={() => void form.validateFields().then((v) => create.mutate(v))}
    >
      {create.error && (
        <Alert type="error" showIcon message={errorText(create.error)} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} layout="vertical" initialValues={{ role: 'desk_officer' }}>
        <Form.Item
          name="username"
          label="Tên đăng nhập"
          rules={[
            {
              required: true,
              pattern: /^[a-z0-9._-]{3,64}$/i,
              message: '3–64 ký tự: chữ không dấu, số, dấu chấm, gạch.',
            },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="fullName"
          label="Họ và tên"
          rules={[{ required: true, whitespace: true, message: 'Vui lòng nhập họ và tên.' }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="role" label="Vai trò" rules={[{ required: true }]}>
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item
          name="agencyId"
          label="Cơ quan"
          rules={[{ required: true, message: 'Vui lòng chọn cơ quan.' }]}
        >
          <Select options={agencies.map((a) => ({ value: a.id, label: a.name }))} />
        </Form.Item>
        <Form.Item
          name="password"
          label="Mật khẩu ban đầu"
          rules={[
            { required: true, message: 'Vui lòng nhập mật khẩu ban đầu.' },
            ({ getFieldValue }) => ({
              validator: (_, v: string | undefined) => {
                const problem = v ? passwordProblem(v, { username: getFieldValue('username') }) : undefined;
                return problem ? Promise.reject(new Error(problem.userMessage)) : Promise.resolve();
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ApiKeys() {
  const agencies = useAgencies();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => api.get<TApiKeyRow[]>('/api/api-keys') });
  const [form] = Form.useForm();
  const [created, setCreated] = useState<string>();
  const create = useMutation({
    mutationFn: (v: { agencyId: number; name: string }) => api.post<TApiKeyCreated>('/api/api-keys', v),
    onSuccess: async (res) => {
      setCreated(res.key);
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
    onError: (err) => message.error(errorText(err)),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.delete(`/api/api-keys/${id}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
      void message.success('Đã thu hồi khóa API.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  return (
    <>
      <Form form={form} layout="inline" onFinish={(v) => create.mutate(v)} style={{ marginBottom: 12 }}>
        <Form.Item name="agencyId" rules={[{ required: true, message: 'Chọn cơ quan' }]}>
          <Select
            placeholder="Cơ quan"
            style={{ width: 280 }}
            options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          />
        </Form.Item>
        <Form.Item name="name" rules={[{ required: true, whitespace: true, message: 'Nhập tên hệ thống' }]}>
          <Input placeholder="Tên hệ thống dùng khóa" style={{ width: 240 }} maxLength={200} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} icon={<PlusOutlined />}>
          Tạo khóa API
        </Button>
      </Form>
      {created && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setCreated(undefined)}
          style={{ marginBottom: 12 }}
          message="Khóa API mới — chỉ hiển thị một lần, hãy lưu lại ngay:"
          description={
            <Space>
              <Typography.Text code copyable={{ icon: <CopyOutlined /> }} data-testid="new-api-key">
                {created}
              </Typography.Text>
            </Space>
          }
        />
      )}
      <QueryState
        loading={keys.isLoading}
        error={keys.error}
        empty={keys.data?.length === 0}
        emptyText="Chưa có khóa API nào"
      >
        <Table<TApiKeyRow>
          rowKey="id"
          size="middle"
          dataSource={keys.data}
          pagination={false}
          columns={[
            { title: 'Tên', dataIndex: 'name' },
            {
              title: 'Khóa',
              dataIndex: 'prefix',
              render: (p: string) => <Typography.Text code>{p}</Typography.Text>,
            },
            { title: 'Cơ quan', dataIndex: 'agencyName' },
            { title: 'Tạo lúc', render: (_, k) => formatDateTime(k.createdAt) },
            { title: 'Dùng lần cuối', render: (_, k) => formatDateTime(k.lastUsedAt) || '—' },
            {
              title: '',
              render: (_, k) =>
                k.revokedAt ? (
                  <Tag>Đã thu hồi</Tag>
                ) : (
                  <Popconfirm
                    title="Thu hồi khóa này? Hệ thống đang dùng khóa sẽ không gọi được API nữa."
                    okText="Thu hồi"
                    cancelText="Hủy"
                    okButtonProps={{ danger: true }}
                    onConfirm={() => revoke.mutate(k.id)}
                  >
                    <Button danger>Thu hồi</Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </QueryState>
    </>
  );
}

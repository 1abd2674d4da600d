import { passwordProblem } from '@contracts/password.ts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { errorText } from '../../ui/QueryState.tsx';

/** Đổi mật khẩu: ends the officer's other sessions. */
export function AccountPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();

  const signOutEverywhere = async () => {
    try {
      await api.post('/api/auth/logout-everywhere');
      queryClient.clear();
      await navigate('/dang-nhap', { replace: true });
    } catch (err) {
      void message.error(errorText(err));
    }
  };

  const submit = async (values: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    try {
      await api.post('/api/auth/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      void message.success('Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.');
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ maxWidth: 480, width: '100%' }}>
      <Card title="Đổi mật khẩu">
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            label="Mật khẩu hiện tại"
            name="currentPassword"
            rules={[{ required: true, message: 'Vui lòng nhập mật khẩu hiện tại.' }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            label="Mật khẩu mới"
            name="newPassword"
            rules={[
              { required: true, message: 'Vui lòng nhập mật khẩu mới.' },
              {
                validator: (_, v: string | undefined) => {
                  const problem = v ? passwordProblem(v) : undefined;
                  return problem ? Promise.reject(new Error(problem.userMessage)) : Promise.resolve();
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label="Nhập lại mật khẩu mới"
            name="confirm"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: 'Vui lòng nhập lại mật khẩu mới.' },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error('Mật khẩu nhập lại không khớp.')),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            Đổi mật khẩu
          </Button>
        </Form>
      </Card>
      <Card title="Phiên đăng nhập">
        <Typography.Paragraph type="secondary">
          Nếu nghi ngờ tài khoản đã được dùng trên máy khác, hãy đăng xuất khỏi mọi thiết bị, kể cả máy này.
        </Typography.Paragraph>
        <Popconfirm
          title="Đăng xuất khỏi mọi thiết bị?"
          okText="Đăng xuất"
          cancelText="Hủy"
          onConfirm={() => void signOutEverywhere()}
        >
          <Button danger>Đăng xuất khỏi mọi thiết bị</Button>
        </Popconfirm>
      </Card>
    </Space>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { errorText } from '../../ui/QueryState.tsx';

/** Đổi mật khẩu: ends the officer's other sessions. */
export function AccountPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);

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
    <Card title="Đổi mật khẩu" style={{ maxWidth: 480 }}>
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
              pattern: /^(?=.*\p{L})(?=.*\d).{8,128}$/u,
              message: 'Mật khẩu phải có từ 8 ký tự, gồm ít nhất một chữ cái và một chữ số.',
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
  );
}

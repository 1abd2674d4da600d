import { LockOutlined, UserOutlined } from '@ant-design/icons';
import type { TMe } from '@contracts/users.ts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { errorText } from '../../ui/QueryState.tsx';

/** Đăng nhập: wrong password and rate-limit messages come from the server in Vietnamese. */
export function LoginPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Most sign-ins go on to the intake screen: fetch its code while the officer types, so that the screen is
  // there at once after "Đăng nhập" instead of loading then.
  useEffect(() => {
    void import('../intake/IntakePage.tsx');
  }, []);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const me = await api.post<TMe>('/api/auth/login', values);
      queryClient.setQueryData(['me'], me);
      const from = (location.state as { from?: string } | null)?.from;
      // The frame (AppLayout) sends '/' to the intake screen, or to the list where nobody receives here
      // (other roles, and every officer of an agency connected to the province's one-stop software).
      const home = ['desk_officer', 'admin'].includes(me.role) ? '/' : '/ho-so';
      navigate(from && from !== '/dang-nhap' ? from : home, { replace: true });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', color: '#b71c1c', marginBottom: 4 }}>
          Một cửa điện tử
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          Tiếp nhận và trả kết quả hồ sơ thủ tục hành chính
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            label="Tên đăng nhập"
            name="username"
            rules={[{ required: true, message: 'Vui lòng nhập tên đăng nhập.' }]}
          >
            <Input prefix={<UserOutlined />} autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item
            label="Mật khẩu"
            name="password"
            rules={[{ required: true, message: 'Vui lòng nhập mật khẩu.' }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            Đăng nhập
          </Button>
        </Form>
      </Card>
    </div>
  );
}

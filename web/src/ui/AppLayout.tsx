import {
  AppstoreOutlined,
  CalendarOutlined,
  DashboardOutlined,
  FileAddOutlined,
  HeartOutlined,
  LogoutOutlined,
  MailOutlined,
  MessageOutlined,
  NotificationOutlined,
  QuestionCircleOutlined,
  SettingOutlined,
  StarOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { alertKind } from '@contracts/alerts.ts';
import type { TAlertBanner } from '@contracts/operations.ts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Dropdown, Layout, Menu, Spin, Typography } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate, useNavigation } from 'react-router';
import { api, setUnauthenticatedHandler } from '../api/client.ts';
import { useDeskMode } from '../api/connector.ts';
import { useMe } from '../api/hooks.ts';

const { Header, Sider, Content } = Layout;

/** The frame of every signed-in screen: menu by role, the officer and the agency, logout. */
export function AppLayout() {
  const me = useMe();
  const alerts = useQuery({
    queryKey: ['alerts'],
    queryFn: () => api.get<TAlertBanner>('/api/alerts'),
    enabled: me.data !== undefined,
    refetchInterval: 60_000,
  });
  const deskMode = useDeskMode(me.data !== undefined);
  const navigate = useNavigate();
  const navigation = useNavigation();
  const location = useLocation();
  const queryClient = useQueryClient();

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      queryClient.clear();
      void navigate('/dang-nhap', { replace: true, state: { from: location.pathname } });
    });
  }, [navigate, queryClient, location.pathname]);

  if (me.isLoading) {
    return <Spin fullscreen tip="Đang tải…" />;
  }
  if (me.error || !me.data) {
    return <Navigate to="/dang-nhap" replace state={{ from: location.pathname }} />;
  }
  const user = me.data;
  const receiverRole = ['desk_officer', 'admin'].includes(user.role);
  // In a connected agency dossiers are received in the province's one-stop software: no "Tiếp nhận hồ sơ"
  // here (a typed /tiep-nhan still shows the page's notice saying where to receive).
  const canReceive = receiverRole && deskMode.data?.mode !== 'connected';
  const items = [
    canReceive && {
      key: '/tiep-nhan',
      icon: <FileAddOutlined />,
      label: <Link to="/tiep-nhan">Tiếp nhận hồ sơ</Link>,
    },
    { key: '/ho-so', icon: <UnorderedListOutlined />, label: <Link to="/ho-so">Danh sách hồ sơ</Link> },
    { key: '/tong-quan', icon: <DashboardOutlined />, label: <Link to="/tong-quan">Tổng quan</Link> },
    ['leader', 'admin'].includes(user.role) && {
      key: '/danh-gia-thap',
      icon: <StarOutlined />,
      label: <Link to="/danh-gia-thap">Đánh giá chưa hài lòng</Link>,
    },
    { key: '/lich', icon: <CalendarOutlined />, label: <Link to="/lich">Lịch làm việc</Link> },
    { key: '/thu-tuc', icon: <AppstoreOutlined />, label: <Link to="/thu-tuc">Thủ tục hành chính</Link> },
    user.role === 'admin' && {
      key: '/quan-tri',
      icon: <SettingOutlined />,
      label: <Link to="/quan-tri">Người dùng & khóa API</Link>,
    },
    user.role === 'admin' && {
      key: '/zalo',
      icon: <MessageOutlined />,
      label: <Link to="/zalo">Kết nối Zalo OA</Link>,
    },
    user.role === 'admin' && {
      key: '/thong-bao',
      icon: <NotificationOutlined />,
      label: <Link to="/thong-bao">Thông báo</Link>,
    },
    user.role === 'admin' && {
      key: '/tinh-trang',
      icon: <HeartOutlined />,
      label: <Link to="/tinh-trang">Tình trạng hệ thống</Link>,
    },
    user.role === 'admin' && {
      key: '/gui-thay-the',
      icon: <MailOutlined />,
      label: <Link to="/gui-thay-the">Gửi thay thế (SMS, email)</Link>,
    },
    { key: '/huong-dan', icon: <QuestionCircleOutlined />, label: <Link to="/huong-dan">Hướng dẫn</Link> },
  ].filter(Boolean) as { key: string; icon: ReactNode; label: ReactNode }[];
  const selected = items.find((i) => location.pathname.startsWith(i.key))?.key ?? '';

  if (location.pathname === '/' && receiverRole && deskMode.isLoading) {
    return <Spin fullscreen tip="Đang tải…" />;
  }
  if (location.pathname === '/' && !canReceive) {
    return <Navigate to="/ho-so" replace />;
  }

  const logout = async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    queryClient.clear();
    await navigate('/dang-nhap', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider breakpoint="lg" collapsedWidth={0} width={256} theme="light" className="no-print">
        <div style={{ padding: '16px 16px 8px', fontWeight: 600, color: '#b71c1c', lineHeight: 1.3 }}>
          Một cửa điện tử
          <div style={{ fontWeight: 400, fontSize: 12, color: '#595959' }}>{user.agency.name}</div>
        </div>
        <Menu mode="inline" selectedKeys={[selected]} items={items} />
      </Sider>
      <Layout>
        <Header
          className="no-print"
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            gap: 12,
          }}
        >
          <Dropdown
            menu={{
              items: [
                { key: 'account', icon: <UserOutlined />, label: <Link to="/tai-khoan">Đổi mật khẩu</Link> },
                { key: 'logout', icon: <LogoutOutlined />, label: 'Đăng xuất', onClick: () => void logout() },
              ],
            }}
          >
            <Button type="text" icon={<UserOutlined />} aria-label="Tài khoản">
              {user.fullName} · <Typography.Text type="secondary">{user.roleLabel}</Typography.Text>
            </Button>
          </Dropdown>
        </Header>
        <Content style={{ margin: 16 }}>
          {alerts.data?.map((a) => (
            <Alert
              key={a.key}
              className="no-print"
              type={a.level === 'error' ? 'error' : 'warning'}
              showIcon
              style={{ marginBottom: 12 }}
              message={a.message}
              action={user.role === 'admin' ? <Link to={alertKind(a.key).page}>Xem</Link> : undefined}
              data-testid="admin-alert"
            />
          ))}
          {user.mustChangePassword && location.pathname !== '/tai-khoan' && (
            <Alert
              className="no-print"
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message="Tài khoản đang dùng mật khẩu mặc định."
              action={<Link to="/tai-khoan">Đổi mật khẩu ngay</Link>}
            />
          )}
          {/* Each screen's code loads when first opened (router.tsx): on a slow connection the screen being left
              stays in view under a spinner until the next one is there. */}
          <Spin spinning={navigation.state === 'loading'} delay={200} tip="Đang tải…">
            <Outlet />
          </Spin>
        </Content>
      </Layout>
    </Layout>
  );
}

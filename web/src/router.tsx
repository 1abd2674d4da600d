import { Spin } from 'antd';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './ui/AppLayout.tsx';

/** What shows while the first screen's code loads (React Router asks for it when the app starts on a lazy route). */
function ScreenLoading() {
  return <Spin fullscreen tip="Đang tải…" />;
}

/** Screens load on demand so the first load stays small (login and intake come first). */
export const router = createBrowserRouter([
  {
    path: '/dang-nhap',
    HydrateFallback: ScreenLoading,
    lazy: async () => ({ Component: (await import('./pages/login/LoginPage.tsx')).LoginPage }),
  },
  {
    path: '/',
    Component: AppLayout,
    HydrateFallback: ScreenLoading,
    children: [
      { index: true, element: <Navigate to="/tiep-nhan" replace /> },
      {
        path: 'tiep-nhan',
        lazy: async () => ({ Component: (await import('./pages/intake/IntakePage.tsx')).IntakePage }),
      },
      {
        path: 'ho-so',
        lazy: async () => ({
          Component: (await import('./pages/dossiers/DossierListPage.tsx')).DossierListPage,
        }),
      },
      {
        path: 'ho-so/:code',
        lazy: async () => ({
          Component: (await import('./pages/dossiers/DossierDetailPage.tsx')).DossierDetailPage,
        }),
      },
      {
        path: 'tong-quan',
        lazy: async () => ({
          Component: (await import('./pages/dashboard/DashboardPage.tsx')).DashboardPage,
        }),
      },
      {
        path: 'danh-gia-thap',
        lazy: async () => ({
          Component: (await import('./pages/ratings/LowRatingsPage.tsx')).LowRatingsPage,
        }),
      },
      {
        path: 'lich',
        lazy: async () => ({ Component: (await import('./pages/calendar/CalendarPage.tsx')).CalendarPage }),
      },
      {
        path: 'thu-tuc',
        lazy: async () => ({
          Component: (await import('./pages/procedures/ProceduresPage.tsx')).ProceduresPage,
        }),
      },
      {
        path: 'quan-tri',
        lazy: async () => ({ Component: (await import('./pages/admin/AdminPage.tsx')).AdminPage }),
      },
      {
        path: 'zalo',
        lazy: async () => ({ Component: (await import('./pages/zalo/ZaloPage.tsx')).ZaloPage }),
      },
      {
        path: 'thong-bao',
        lazy: async () => ({
          Component: (await import('./pages/notifications/NotificationsPage.tsx')).NotificationsPage,
        }),
      },
      {
        path: 'gui-thay-the',
        lazy: async () => ({ Component: (await import('./pages/fallback/FallbackPage.tsx')).FallbackPage }),
      },
      {
        path: 'tinh-trang',
        lazy: async () => ({
          Component: (await import('./pages/system/SystemStatusPage.tsx')).SystemStatusPage,
        }),
      },
      {
        path: 'huong-dan',
        lazy: async () => ({ Component: (await import('./pages/help/HelpPage.tsx')).HelpPage }),
      },
      {
        path: 'tai-khoan',
        lazy: async () => ({ Component: (await import('./pages/account/AccountPage.tsx')).AccountPage }),
      },
      {
        path: '*',
        lazy: async () => ({ Component: (await import('./pages/NotFoundPage.tsx')).NotFoundPage }),
      },
    ],
  },
]);

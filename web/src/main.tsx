import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/600.css';
import './ui/app.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import viVN from 'antd/locale/vi_VN';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiError } from './api/client.ts';
import { meQuery, proceduresQuery } from './api/hooks.ts';
import { router } from './router.tsx';

dayjs.locale('vi');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// The desk's day starts on the intake screen: fetch who is signed in, the procedures and the screen's code
// while the app boots, rather than one after the other. Not on the login screen, where nobody is signed in
// yet and the answer would only be a 401 in the browser's console.
if (window.location.pathname !== '/dang-nhap') {
  void queryClient.prefetchQuery(meQuery);
}
if (['/', '/tiep-nhan'].includes(window.location.pathname)) {
  void import('./pages/intake/IntakePage.tsx');
  void queryClient.prefetchQuery(proceduresQuery(false));
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={viVN}
        theme={{
          token: {
            fontFamily: "'Be Vietnam Pro', system-ui, sans-serif",
            colorPrimary: '#b71c1c',
            borderRadius: 6,
          },
        }}
      >
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  </StrictMode>,
);

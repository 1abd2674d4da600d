import { Alert, Button, Empty, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

/** Loading, error and empty states, the same on every screen. */
export function QueryState({
  loading,
  error,
  empty,
  emptyText = 'Chưa có dữ liệu',
  retry,
  children,
}: {
  loading: boolean;
  error: unknown;
  empty?: boolean;
  emptyText?: string;
  retry?: () => void;
  children: ReactNode;
}) {
  if (loading) {
    return <Skeleton active paragraph={{ rows: 6 }} />;
  }
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        message="Không tải được dữ liệu"
        description={error instanceof ApiError ? error.userMessage : 'Có lỗi xảy ra.'}
        action={retry ? <Button onClick={retry}>Thử lại</Button> : undefined}
      />
    );
  }
  if (empty) {
    return <Empty description={emptyText} />;
  }
  return <>{children}</>;
}

export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.userMessage : 'Có lỗi xảy ra. Vui lòng thử lại.';
}

import { NOTIFICATION_STATES, type TNotificationView } from '@contracts/notifications.ts';
import { Tag, Tooltip, Typography } from 'antd';
import { formatDateTime } from '../../ui/format.ts';

const STATE_COLORS: Record<TNotificationView['state'], string> = {
  queued: 'default',
  waiting: 'orange',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
  superseded: 'default',
  cancelled: 'default',
};

const CHANNELS: Record<TNotificationView['channel'], string> = {
  zalo_phone: 'Zalo (số điện thoại)',
  zalo_uid: 'Zalo (người quan tâm OA)',
  sms: 'SMS',
  email: 'Email',
};

/** The messages sent for one status change, as the timeline shows them. */
export function NotificationList({ items }: { items: TNotificationView[] }) {
  if (items.length === 0) {
    return null;
  }
  return (
    <div style={{ marginTop: 4 }} data-testid="notifications">
      {items.map((n) => (
        <div key={n.id} style={{ fontSize: 13, marginTop: 2 }}>
          <Tooltip title={n.content}>
            <Tag color={STATE_COLORS[n.state]}>
              {CHANNELS[n.channel]}: {NOTIFICATION_STATES[n.state]}
            </Tag>
          </Tooltip>
          <Typography.Text type="secondary">
            {n.recipient}
            {n.deliveredAt
              ? ` · nhận lúc ${formatDateTime(n.deliveredAt)}`
              : n.sentAt
                ? ` · gửi lúc ${formatDateTime(n.sentAt)}`
                : ''}
          </Typography.Text>
          {n.reason && (
            <div>
              <Typography.Text type={n.state === 'failed' ? 'danger' : 'warning'}>{n.reason}</Typography.Text>
            </div>
          )}
        </div>
      ))}
    </div>
  );
}

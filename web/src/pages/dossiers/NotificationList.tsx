import { FALLBACK_REASON_LABELS } from '@contracts/fallback.ts';
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

/**
 * The messages sent for one status change, as the timeline shows them: each Zalo message with, under it,
 * the SMS / email that stood in for it (Zalo failed → SMS sent → delivered).
 */
export function NotificationList({ items }: { items: TNotificationView[] }) {
  if (items.length === 0) {
    return null;
  }
  const ids = new Set(items.map((n) => n.id));
  const roots = items.filter((n) => n.replacesId === null || !ids.has(n.replacesId));
  return (
    <div style={{ marginTop: 4 }} data-testid="notifications">
      {roots.map((n) => (
        <div key={n.id}>
          <Message n={n} />
          {items
            .filter((f) => f.replacesId === n.id)
            .map((f) => (
              <div key={f.id} style={{ marginLeft: 20 }} data-testid="fallback">
                <Message n={f} />
              </div>
            ))}
        </div>
      ))}
    </div>
  );
}

function Message({ n }: { n: TNotificationView }) {
  const fallback = n.fallbackReason !== null;
  const held = (n.state === 'queued' || n.state === 'waiting') && n.nextAttemptAt !== null;
  const times = [
    // Held back (the SMS quiet hours, a retry later): when it will go, not just "waiting".
    held && `sẽ gửi lúc ${formatDateTime(n.nextAttemptAt)}`,
    n.sentAt && `gửi lúc ${formatDateTime(n.sentAt)}`,
    n.deliveredAt && `nhận lúc ${formatDateTime(n.deliveredAt)}`,
  ].filter(Boolean);
  const sms =
    n.channel === 'sms' && n.smsSegments !== null
      ? `${n.smsSegments} tin, ${n.smsEncoding === 'gsm7' ? 'không dấu' : 'có dấu'}`
      : null;
  return (
    <div style={{ fontSize: 13, marginTop: 2 }}>
      {fallback && <Typography.Text type="secondary">↳ </Typography.Text>}
      <Tooltip title={n.content}>
        <Tag color={STATE_COLORS[n.state]}>
          {CHANNELS[n.channel]}
          {fallback ? ' thay thế' : ''}: {NOTIFICATION_STATES[n.state]}
        </Tag>
      </Tooltip>
      <Typography.Text type="secondary">
        {[n.recipient, ...times, sms].filter(Boolean).join(' · ')}
      </Typography.Text>
      {n.fallbackReason && (
        <div>
          <Typography.Text type="secondary">
            Lý do gửi: {FALLBACK_REASON_LABELS[n.fallbackReason]}
          </Typography.Text>
        </div>
      )}
      {n.reason && (
        <div>
          <Typography.Text type={n.state === 'failed' ? 'danger' : 'warning'}>{n.reason}</Typography.Text>
        </div>
      )}
    </div>
  );
}

import { Typography } from 'antd';
import type { PhoneInfo } from './phone-state.ts';

export function PhoneHint({ info }: { info: PhoneInfo }) {
  if (!info.ok) {
    return info.message ? (
      <Typography.Text type="danger" className="phone-hint">
        {info.message}
      </Typography.Text>
    ) : null;
  }
  return (
    <Typography.Text type="success" className="phone-hint" data-testid="phone-normalised">
      ✓ {info.display} · {info.mobile ? 'di động' : 'cố định'}
      {info.convertedFrom && ` · số 11 số cũ ${info.convertedFrom} đã đổi sang số 10 số`}
    </Typography.Text>
  );
}

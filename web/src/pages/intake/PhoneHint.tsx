import { normalisePhone, type PhoneResult } from '@contracts/phone.ts';
import { Typography } from 'antd';

export type PhoneInfo =
  | { ok: false; message: string | null }
  | { ok: true; display: string; mobile: boolean; convertedFrom?: string };

/** What the phone field holds, as the officer types: normalised, converted, or why not yet valid. */
export function phoneState(value: string): PhoneInfo {
  if (value.trim() === '') {
    return { ok: false, message: null };
  }
  const r: PhoneResult = normalisePhone(value);
  if (!r.ok) {
    // Do not shout while the number is still being typed.
    const digits = value.replace(/\D/g, '').length;
    return { ok: false, message: r.problem === 'characters' || digits >= 10 ? r.userMessage : null };
  }
  return {
    ok: true,
    display: r.display,
    mobile: r.mobile,
    ...(r.convertedFrom ? { convertedFrom: r.convertedFrom } : {}),
  };
}

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

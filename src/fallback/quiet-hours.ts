import type { TFallbackPolicy } from '../contracts/fallback.ts';

/** Vietnam has one time zone and no daylight saving: Asia/Ho_Chi_Minh is always UTC+7. */
const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When an SMS may go out: `now` itself outside the quiet hours, otherwise the end of the current quiet
 * window (a postponed SMS is sent then, never dropped). Windows may cross midnight (21:00–07:00).
 */
export function smsSendableAt(now: Date, quiet: TFallbackPolicy['sms']['quietHours']): Date {
  if (!quiet.enabled) {
    return now;
  }
  const local = now.getTime() + VN_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const m = (local - dayStart) / 60_000;
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  const overnight = start > end;
  const quietNow = overnight ? m >= start || m < end : m >= start && m < end;
  if (!quietNow) {
    return now;
  }
  // Past midnight the window ends today; in the evening part of an overnight window it ends tomorrow.
  const endDay = overnight && m >= start ? dayStart + DAY_MS : dayStart;
  return new Date(endDay + end * 60_000 - VN_OFFSET_MS);
}

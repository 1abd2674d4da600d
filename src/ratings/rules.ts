import type { StatusCode } from '../contracts/statuses.ts';
import { codeSignature, verifyCodeSignature } from '../http/signed-code.ts';

/**
 * The rules of a rating, as plain functions: who may rate (a dossier that ended), how long a rating may be
 * replaced, which reasons the province lists, and what counts as a low rating.
 */

/** A second rating replaces the first within this many days of the first one; later, the first one stays. */
export const REPLACE_WITHIN_DAYS = 7;
/** How long after the invitation a rating is accepted at all. */
export const RATING_OPEN_DAYS = 30;
/** A rating at or below this asks the agency's leader for an answer. */
export const LOW_RATING_MAX = 2;
export const COMMENT_MAX = 1000;

/** The reasons the citizen may tick (the province's list); the page and the API accept these only. */
export const RATING_REASONS = [
  { key: 'dung_hen', label: 'Đúng hẹn' },
  { key: 'thai_do_can_bo', label: 'Thái độ cán bộ' },
  { key: 'huong_dan_ro_rang', label: 'Hướng dẫn rõ ràng' },
  { key: 'di_lai_nhieu_lan', label: 'Phải đi lại nhiều lần' },
  { key: 'tre_hen', label: 'Trễ hẹn' },
  { key: 'thu_tuc_phuc_tap', label: 'Thủ tục phức tạp' },
] as const;
export type RatingReason = (typeof RATING_REASONS)[number]['key'];

export const STAR_LABELS: Record<number, string> = {
  1: 'Rất không hài lòng',
  2: 'Không hài lòng',
  3: 'Bình thường',
  4: 'Hài lòng',
  5: 'Rất hài lòng',
};

/**
 * The statuses whose first reaching invites the citizen to rate: refused (3), stopped (8), result handed over
 * (10) — the trigger of migration 20261207-22-01 says the same. "Đã xử lý xong" (9) is not one: the citizen
 * has not received the result yet.
 */
export const INVITING_STATUSES: readonly StatusCode[] = [3, 8, 10];

/** Known reason keys only, each once, in the list's order; labels (Zalo's feedbacks) are mapped back to keys. */
export function normaliseReasons(given: readonly string[]): RatingReason[] {
  const wanted = new Set(given.map((g) => g.trim().toLowerCase()));
  return RATING_REASONS.filter((r) => wanted.has(r.key) || wanted.has(r.label.toLowerCase())).map(
    (r) => r.key,
  );
}

export function reasonLabel(key: string): string {
  return RATING_REASONS.find((r) => r.key === key)?.label ?? key;
}

/** Why a rating is refused now, or null when it is accepted (as a first rating or as a replacement). */
export function ratingRefusal(
  o: { invitedAt: Date | null; firstRatedAt: Date | null },
  now: Date,
): 'not_invited' | 'closed' | 'replace_window_over' | null {
  if (!o.invitedAt) {
    return 'not_invited';
  }
  if (o.firstRatedAt) {
    return now.getTime() - o.firstRatedAt.getTime() > REPLACE_WITHIN_DAYS * 86_400_000
      ? 'replace_window_over'
      : null;
  }
  return now.getTime() - o.invitedAt.getTime() > RATING_OPEN_DAYS * 86_400_000 ? 'closed' : null;
}

export const REFUSAL_MESSAGES = {
  not_invited: 'Hồ sơ này chưa kết thúc nên chưa thể đánh giá.',
  closed: `Đã hết thời hạn đánh giá (${RATING_OPEN_DAYS} ngày kể từ khi hồ sơ kết thúc).`,
  replace_window_over: `Ông/bà đã đánh giá hồ sơ này; chỉ có thể sửa đánh giá trong ${REPLACE_WITHIN_DAYS} ngày.`,
} as const;

/** The rating link carries `sig`: holding the message that invited is what lets one rate, without login. */
export function ratingSignature(secret: string, code: string): string {
  return codeSignature(secret, 'rating', code);
}

export function verifyRatingSignature(secret: string, code: string, sig: string | undefined): boolean {
  return verifyCodeSignature(secret, 'rating', code, sig);
}

export function ratingUrl(publicBaseUrl: string, secret: string, code: string): string {
  return `${publicBaseUrl}/danh-gia/${encodeURIComponent(code)}?sig=${ratingSignature(secret, code)}`;
}

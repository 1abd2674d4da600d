import { z } from 'zod';

/**
 * The fallback policy of a province: when a citizen is not told by Zalo, which other channels (SMS, email)
 * take over, after which Zalo outcomes, for which statuses, and when SMS must not ring a phone.
 * Shared by the server (validation, jsonb column) and the officer app (the policy form).
 */

/** Zalo outcomes that can call for a fallback. `not_delivered`: sent, but no receipt within N minutes. */
export const FALLBACK_TRIGGERS = ['not_on_zalo', 'invalid_phone', 'failed', 'not_delivered'] as const;
export type TFallbackTrigger = (typeof FALLBACK_TRIGGERS)[number];

/** Why a fallback message exists: a Zalo outcome, or no Zalo message at all (`no_zalo`). */
export type TFallbackReason = TFallbackTrigger | 'no_zalo';

export const FALLBACK_REASON_LABELS: Record<TFallbackReason, string> = {
  not_on_zalo: 'Số điện thoại chưa đăng ký Zalo',
  invalid_phone: 'Số điện thoại không hợp lệ với Zalo',
  failed: 'Gửi Zalo không thành công',
  not_delivered: 'Zalo chưa báo đã nhận trong thời hạn',
  no_zalo: 'Người dân không đăng ký nhận tin qua Zalo',
};

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const ZFallbackPolicy = z.object({
  sms: z.object({
    enabled: z.boolean(),
    /** Send without diacritics: GSM-7, 160 characters in one SMS instead of 70. */
    unaccented: z.boolean(),
    quietHours: z.object({
      enabled: z.boolean(),
      /** Vietnam time, HH:MM. A window may cross midnight (21:00–07:00). */
      start: z.string().regex(HHMM),
      end: z.string().regex(HHMM),
    }),
  }),
  email: z.object({ enabled: z.boolean() }),
  triggers: z.array(z.enum(FALLBACK_TRIGGERS)).max(FALLBACK_TRIGGERS.length),
  /** For `not_delivered`: minutes after Zalo accepted the message. */
  notDeliveredMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Status codes (1–10) whose changes get fallback messages. */
  statuses: z.array(z.number().int().min(1).max(10)).max(10),
  /** Citizens who did not opt into Zalo (or whose phone cannot have Zalo) get SMS / email directly. */
  withoutZalo: z.boolean(),
});
export type TFallbackPolicy = z.infer<typeof ZFallbackPolicy>;

/** Used until a province saves its own: SMS then email after any Zalo failure or 30 minutes without receipt. */
export const DEFAULT_FALLBACK_POLICY: TFallbackPolicy = {
  sms: { enabled: true, unaccented: true, quietHours: { enabled: true, start: '21:00', end: '07:00' } },
  email: { enabled: true },
  triggers: ['not_on_zalo', 'invalid_phone', 'failed', 'not_delivered'],
  notDeliveredMinutes: 30,
  statuses: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  withoutZalo: false,
};

export interface PolicyProblem {
  field: string;
  message: string;
  userMessage: string;
}

/** Rules across fields that the schema alone cannot say, with the Vietnamese message the form shows. */
export function policyProblems(p: TFallbackPolicy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (p.sms.quietHours.enabled && p.sms.quietHours.start === p.sms.quietHours.end) {
    problems.push({
      field: 'sms.quietHours',
      message: 'quiet hours start and end must differ',
      userMessage: 'Giờ bắt đầu và kết thúc khung giờ yên lặng phải khác nhau.',
    });
  }
  if (new Set(p.statuses).size !== p.statuses.length) {
    problems.push({
      field: 'statuses',
      message: 'statuses must not repeat',
      userMessage: 'Danh sách trạng thái bị trùng.',
    });
  }
  if (new Set(p.triggers).size !== p.triggers.length) {
    problems.push({
      field: 'triggers',
      message: 'triggers must not repeat',
      userMessage: 'Danh sách trường hợp gửi thay thế bị trùng.',
    });
  }
  if ((p.sms.enabled || p.email.enabled) && p.triggers.length === 0 && !p.withoutZalo) {
    problems.push({
      field: 'triggers',
      message: 'an enabled fallback channel needs at least one trigger',
      userMessage: 'Chọn ít nhất một trường hợp gửi thay thế, hoặc tắt SMS và email.',
    });
  }
  return problems;
}

export const ZFallbackPolicyView = z.object({
  provinceCode: z.string(),
  provinceName: z.string(),
  policy: ZFallbackPolicy,
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
  providers: z.object({
    sms: z.enum(['http', 'sandbox', 'none']),
    email: z.enum(['smtp', 'catcher', 'none']),
  }),
});
export type TFallbackPolicyView = z.infer<typeof ZFallbackPolicyView>;

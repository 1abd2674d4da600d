import { z } from 'zod';

export const ZNotificationView = z.object({
  id: z.number().int(),
  journalSeq: z.number().int().describe('The status change (journal entry) it tells about'),
  channel: z.enum(['zalo_phone', 'zalo_uid', 'sms', 'email']),
  recipient: z.string(),
  templateId: z.string().nullable(),
  content: z.string().describe('The template values sent'),
  state: z.enum(['queued', 'waiting', 'sent', 'delivered', 'failed', 'superseded', 'cancelled']),
  createdAt: z.string(),
  sentAt: z.string().nullable().describe('Accepted by Zalo'),
  deliveredAt: z.string().nullable().describe('Delivery receipt from Zalo'),
  failedAt: z.string().nullable(),
  errorCode: z.number().int().nullable(),
  errorMessage: z.string().nullable(),
  reason: z.string().nullable().describe('Vietnamese explanation for officers'),
  unreachable: z.boolean().describe('Zalo cannot reach this number: fallback channels apply'),
  nextAttemptAt: z.string().nullable(),
  attempts: z.array(
    z.object({
      at: z.string(),
      outcome: z.string(),
      errorCode: z.number().int().nullable(),
      errorMessage: z.string().nullable(),
      durationMs: z.number().int(),
    }),
  ),
});
export type TNotificationView = z.infer<typeof ZNotificationView>;

/** Vietnamese words for notification states. */
export const NOTIFICATION_STATES: Record<TNotificationView['state'], string> = {
  queued: 'Đang chờ gửi',
  waiting: 'Tạm hoãn',
  sent: 'Đã gửi tới Zalo',
  delivered: 'Đã nhận',
  failed: 'Không gửi được',
  superseded: 'Bỏ qua (đã có trạng thái mới hơn)',
  cancelled: 'Đã hủy',
};

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
  sentAt: z.string().nullable().describe('Accepted by Zalo (or the SMS gateway, the SMTP server)'),
  deliveredAt: z.string().nullable().describe('Delivery receipt'),
  failedAt: z.string().nullable(),
  errorCode: z.number().int().nullable(),
  errorMessage: z.string().nullable(),
  reason: z.string().nullable().describe('Vietnamese explanation for officers'),
  unreachable: z.boolean().describe('Zalo cannot reach this number: fallback channels apply'),
  nextAttemptAt: z.string().nullable(),
  replacesId: z
    .number()
    .int()
    .nullable()
    .describe('A fallback (SMS, email): the Zalo message it stands in for'),
  fallbackReason: z
    .enum(['not_on_zalo', 'invalid_phone', 'failed', 'not_delivered', 'no_zalo'])
    .nullable()
    .describe('Why the fallback was sent'),
  smsEncoding: z.enum(['gsm7', 'ucs2']).nullable(),
  smsSegments: z.number().int().nullable().describe('SMS parts billed'),
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
  sent: 'Đã gửi',
  delivered: 'Đã nhận',
  failed: 'Không gửi được',
  superseded: 'Bỏ qua (đã có trạng thái mới hơn)',
  cancelled: 'Đã hủy',
};

/** A status change whose messages the planners gave up on (alert status_change.failed), for the Thông báo page. */
export const ZFailedStatusChange = z.object({
  journalId: z.number().int(),
  dossierCode: z.string(),
  toStatus: z.string().describe('The target status, in Vietnamese'),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  failedAt: z.string(),
});
export type TFailedStatusChange = z.infer<typeof ZFailedStatusChange>;

export const ZNotificationChannel = z.enum(['zalo_phone', 'zalo_uid', 'sms', 'email']);
export type TNotificationChannel = z.infer<typeof ZNotificationChannel>;

/** Page "Thông báo" (administrators): queue, sends per day, latency, failures by reason, stuck messages. */
export const ZNotificationStats = z.object({
  queue: z.object({ queued: z.number().int(), waiting: z.number().int() }),
  perDay: z.array(
    z.object({
      day: z.string(),
      sent: z.number().int(),
      delivered: z.number().int(),
      failed: z.number().int(),
    }),
  ),
  latencyMs: z.object({
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    p99: z.number().nullable(),
    count: z.number().int(),
  }),
  failures: z.array(z.object({ reason: z.string(), n: z.number().int() })),
  stuck: z.array(
    z.object({
      id: z.number().int(),
      dossierCode: z.string(),
      channel: ZNotificationChannel,
      state: z.string(),
      reason: z.string().nullable(),
      attempts: z.number().int(),
      createdAt: z.string(),
      nextAttemptAt: z.string().nullable(),
    }),
  ),
});
export type TNotificationStats = z.infer<typeof ZNotificationStats>;

export const ZStatusChangesRetried = z.object({ retried: z.number().int() });
export type TStatusChangesRetried = z.infer<typeof ZStatusChangesRetried>;

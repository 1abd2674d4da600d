import { z } from 'zod';

/** What GET /api/admin/system-status answers (src/operations/system-status.ts), page "Tình trạng hệ thống". */
export const ZAlertLevel = z.enum(['warning', 'error']);
/** Stored as text; written only by `raiseAlert`, which takes this type. */
export type TAlertLevel = z.infer<typeof ZAlertLevel>;
const iso = z.string().describe('ISO 8601 instant');

/** What an alert says, active or past. */
const alertFields = {
  key: z.string(),
  level: ZAlertLevel,
  title: z.string(),
  message: z.string(),
  todo: z.string(),
  page: z.string(),
  firstAt: iso,
};

export const ZActiveAlert = z.object({
  ...alertFields,
  lastAt: iso,
  count: z.number().int(),
  mailedAt: iso.nullable(),
  mailError: z.string().nullable(),
});
export type TActiveAlert = z.infer<typeof ZActiveAlert>;

export const ZPastAlert = z.object({
  ...alertFields,
  resolvedAt: iso,
  count: z.number().int(),
  mailed: z.boolean(),
});
export type TPastAlert = z.infer<typeof ZPastAlert>;

export const ZZaloConnectionHealth = z.object({
  oaId: z.string(),
  sandbox: z.boolean(),
  status: z.enum(['connected', 'broken', 'disconnected']),
  accessExpiresAt: iso.nullable(),
  lastRefreshAt: iso.nullable(),
  refreshTokenExpiresAt: iso.nullable(),
  lastSuccessAt: iso.nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: iso.nullable(),
  quotaDaily: z.number().nullable(),
  quotaRemaining: z.number().nullable(),
});
export type TZaloConnectionHealth = z.infer<typeof ZZaloConnectionHealth>;

export const ZSystemStatus = z.object({
  generatedAt: iso,
  connection: ZZaloConnectionHealth,
  queues: z.array(
    z.object({
      lane: z.string(),
      label: z.string(),
      depth: z.number().int(),
      oldestSeconds: z.number().nullable().describe('How long the oldest item has waited; null when empty'),
    }),
  ),
  sendsByHour: z.array(z.object({ hour: iso, channel: z.string(), sent: z.number(), failed: z.number() })),
  failuresByHour: z.array(z.object({ hour: iso, cause: z.string(), n: z.number() })),
  webhooks: z.object({
    lastReceivedAt: iso.nullable(),
    processingAvgMs: z.number().nullable(),
    processingMaxMs: z.number().nullable(),
  }),
  workers: z.object({
    nodes: z.array(
      z.object({ hostname: z.string(), pid: z.number().int(), startedAt: iso, lastSeenAt: iso }),
    ),
    lastSeenAt: iso.nullable(),
  }),
  gateways: z.array(
    z.object({
      channel: z.enum(['sms', 'email']),
      provider: z.string(),
      lastSuccessAt: iso.nullable(),
      lastFailureAt: iso.nullable(),
      failuresInRow: z.number().int(),
      lastError: z.string().nullable(),
    }),
  ),
  alerts: z.object({ active: z.array(ZActiveAlert), history: z.array(ZPastAlert) }),
  recipients: z.object({
    fromConfig: z.array(z.string()),
    set: z.array(z.string()),
    effective: z.array(z.string()),
  }),
  thresholds: z.object({
    queueMinutes: z.number(),
    workerMinutes: z.number(),
    gatewayFailures: z.number(),
    reminderHours: z.number(),
    refreshWarnDays: z.number(),
  }),
});
export type TSystemStatus = z.infer<typeof ZSystemStatus>;

/** The banner of the officer app: the open alerts, for every signed-in officer. */
export const ZAlertBanner = z.array(
  z.object({
    key: z.string(),
    level: ZAlertLevel,
    message: z.string(),
    count: z.number().int(),
    lastAt: iso,
  }),
);
export type TAlertBanner = z.infer<typeof ZAlertBanner>;

export const ZAlertRecipients = z.object({ emails: z.array(z.string()) });
export const ZAlertResolved = z.object({ resolved: z.boolean() });
export const ZTestMailSent = z.object({ sentTo: z.array(z.string()) });
export type TTestMailSent = z.infer<typeof ZTestMailSent>;

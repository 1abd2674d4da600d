import { z } from 'zod';

/** Request and answer shapes of the connector API (/api/v1), for parsing and OpenAPI. */

export const ZExternalDossier = z.object({
  procedureCode: z.string().max(100).describe('Code of the administrative procedure, as in our catalogue'),
  receivedAt: z.iso.datetime({ offset: true }).describe('When the external system received the dossier'),
  appointmentDate: z.iso
    .date()
    .optional()
    .describe('Ngày hẹn trả kết quả as the external system set it; computed by our calendar when absent'),
  applicant: z.object({
    fullName: z.string().max(1000),
    idNumber: z.string().max(100).optional().describe('CCCD, 12 digits'),
    address: z.string().max(2000).optional(),
    phone: z.string().max(100),
    email: z.string().max(1000).optional(),
  }),
  notifyByZalo: z.boolean().default(false),
  channel: z.enum(['direct', 'post', 'online']).default('direct'),
  status: z
    .number()
    .int()
    .min(1)
    .max(10)
    .optional()
    .describe('Initial national status when the dossier is created (default 2, Được tiếp nhận)'),
  note: z.string().max(20000).optional(),
});
export type TExternalDossier = z.output<typeof ZExternalDossier>;

export const ZAppointment = z.object({
  given: z.string().nullable().describe('The external system’s appointment date, if it sent one'),
  computed: z.string().describe('Our appointment date for the same reception (working-day calendar)'),
  used: z.string().describe('The date the citizen is told'),
  differenceDays: z
    .number()
    .int()
    .nullable()
    .describe('given − computed in calendar days (positive: theirs is later); null when none was given'),
});

export const ZPutDossierAnswer = z.object({
  code: z.string(),
  id: z.number().int(),
  outcome: z.enum(['created', 'updated', 'unchanged']),
  changed: z.array(z.string()),
  status: z.number().int(),
  appointment: ZAppointment,
  lookupUrl: z.string(),
});

export const ZStatusEvent = z.object({
  status: z
    .number()
    .int()
    .min(1)
    .max(10)
    .describe('National status code (1–10) the external system recorded'),
  at: z.iso.datetime({ offset: true }).describe('When it was recorded there; events are ordered by it'),
  note: z.string().max(2000).optional(),
  data: z.record(z.string(), z.unknown()).optional().describe('Extra facts (e.g. documents to supplement)'),
  eventId: z.string().min(1).max(200).describe('The external event’s id: a repeated eventId is a no-op'),
});
export type TStatusEvent = z.output<typeof ZStatusEvent>;

export const ZStatusAnswer = z.object({
  code: z.string(),
  eventId: z.string(),
  outcome: z
    .enum(['applied', 'journaled_late', 'duplicate'])
    .describe(
      'applied: the dossier has this status now and the citizen is told; journaled_late: older than the ' +
        'newest status, kept in the history only; duplicate: this eventId was recorded before',
    ),
  status: z.number().int().describe('The dossier’s status after the event'),
});

export const ZSyncItem = z.discriminatedUnion('type', [
  ZExternalDossier.extend({ type: z.literal('dossier'), code: z.string().max(100) }),
  ZStatusEvent.extend({ type: z.literal('status'), code: z.string().max(100) }),
]);

export const ZSyncRequest = z.object({
  items: z.array(z.unknown()).min(1).max(1000).describe('Up to 1000 dossiers and status events, in order'),
});

export const ZSyncResult = z.object({
  index: z.number().int(),
  code: z.string().nullable(),
  ok: z.boolean(),
  outcome: z.string().optional(),
  status: z.number().int().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const CALLBACK_EVENTS = [
  'notification.sent',
  'notification.delivered',
  'notification.failed',
  'fallback.sent',
  'citizen.followed_dossier',
  'citizen.rated_dossier',
] as const;

export const ZSubscriptionRequest = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(z.enum(CALLBACK_EVENTS)).min(1).max(CALLBACK_EVENTS.length),
});

export const ZSubscription = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});

export const ZIntegrationEvent = z.object({
  id: z.string().describe('Unique id of the event (also in callbacks, for de-duplication)'),
  type: z.string(),
  at: z.string(),
  dossierCode: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

/** An agency's desk mode: run in this product, or connected to the province's one-stop software. */
export const ZDeskMode = z.enum(['own', 'connected']);

/** GET /api/connector/desk-mode: what every officer's app reads. */
export const ZDeskModeAnswer = z.object({ mode: ZDeskMode, label: z.string() });

/** GET /api/admin/connector: the administrator's view of the agency's connection. */
export const ZConnectorOverview = z.object({
  mode: ZDeskMode,
  modeLabel: z.string(),
  subscriptions: z.array(ZSubscription),
});

/** PUT /api/admin/connector/mode. */
export const ZDeskModeChange = z.object({ mode: ZDeskMode, changed: z.boolean() });

/** One row of the callback delivery log. */
export const ZCallbackDelivery = z.object({
  id: z.number().int(),
  subscriptionId: z.number().int(),
  url: z.string(),
  type: z.string(),
  dossierCode: z.string().nullable(),
  state: z.enum(['pending', 'delivered', 'given_up']),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string().nullable(),
});

/** POST /api/admin/connector/deliveries/{id}/resend: the new delivery. */
export const ZResendAnswer = z.object({ id: z.number().int() });

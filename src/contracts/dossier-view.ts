import { z } from 'zod';
import { ZAppointmentBasis } from './calendar.ts';
import { TRANSITION_ACTIONS } from './transitions.ts';

/** Response shapes of the dossier API, shared with the officer app (and the OpenAPI document). */

export const ZDeadlineProgress = z.object({
  overdue: z.boolean(),
  workingDaysLeft: z.number().int(),
  overdueWorkingDays: z.number().int(),
});

export const ZDeadlineUnit = z
  .enum(['working_days', 'calendar_days'])
  .describe(
    'working_days: "ngày làm việc"; calendar_days: "ngày", moved to the next working day if it ends on a day off',
  );

/** What an intake made now would be given: GET /api/dossiers/appointment-preview. */
export const ZAppointmentPreview = z.object({
  receivedAt: z.string(),
  receptionDay: z
    .string()
    .describe('The day the dossier counts as received (the count starts the day after)'),
  appointmentDate: z.string(),
  ...ZAppointmentBasis,
  processingDays: z.number().int(),
  deadlineUnit: ZDeadlineUnit,
  cutoffTime: z.string().nullable(),
  cutoffBasis: z.string(),
});

export type TAppointmentPreview = z.infer<typeof ZAppointmentPreview>;

export const ZDossierAction = z.object({
  action: z.enum(TRANSITION_ACTIONS),
  to: z.number().int(),
  label: z.string(),
});

export type TDossierAction = z.infer<typeof ZDossierAction>;

export const ZDossierView = z.object({
  id: z.number().int(),
  code: z.string().describe('Mã hồ sơ, <agency code>-YYMMDD-NNNN'),
  status: z.number().int().min(1).max(10).describe('National status number 1–10'),
  statusLabel: z.string(),
  procedure: z.object({
    code: z.string(),
    name: z.string(),
    field: z.string(),
    processingDays: z.number().int(),
    deadlineUnit: ZDeadlineUnit,
  }),
  agency: z.object({ code: z.string(), name: z.string() }),
  applicant: z.object({
    fullName: z.string(),
    idNumber: z.string(),
    birthDate: z.string().nullable(),
    address: z.string(),
    phone: z.string().describe('84XXXXXXXXX'),
    phoneDisplay: z.string(),
    email: z.string().nullable(),
  }),
  notifyByZalo: z.boolean(),
  channel: z.enum(['direct', 'post', 'online']),
  channelLabel: z.string(),
  receivedDocuments: z.array(z.object({ name: z.string(), form: z.string(), quantity: z.number().int() })),
  copies: z.number().int(),
  note: z.string(),
  receivedAt: z.string().describe('ISO 8601 instant'),
  appointmentDate: z.string().describe('Ngày hẹn trả, YYYY-MM-DD (Vietnam)'),
  ...ZAppointmentBasis,
  recomputedAppointmentDate: z
    .string()
    .nullable()
    .describe(
      'Open dossiers: the date the current calendar would give when a confirmed or edited year made it differ ' +
        'from the printed one (which never changes); null otherwise',
    ),
  originalAppointmentDate: z.string().nullable().describe('Before an apology reset it'),
  clockPaused: z.boolean().describe('Waiting for the citizen (supplement, payment)'),
  progress: ZDeadlineProgress.nullable().describe('Null when finished or paused'),
  onTime: z.boolean().nullable().describe('Null while processing'),
  supplementCount: z.number().int(),
  apologyIssued: z.boolean(),
  statusData: z
    .record(z.string(), z.unknown())
    .describe('What the current status asks for: missing documents, amount…'),
  finishedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  receiptUrl: z.string(),
  lookupUrl: z.string().describe('Signed public look-up link, as in the receipt QR'),
  actions: z.array(ZDossierAction).describe('What the caller may do now'),
  forms: z
    .array(
      z.object({
        kind: z.enum(['receipt', 'supplement', 'refusal', 'apology', 'stop']),
        title: z.string(),
        formNumber: z.string().nullable().describe('In the circular in force on the reception date'),
        basis: z.string(),
        url: z.string(),
      }),
    )
    .describe('Printed forms the dossier has, titled by the rules in force on its reception date'),
});
export type TDossierView = z.infer<typeof ZDossierView>;

export const ZDossierCreated = ZDossierView.pick({
  id: true,
  code: true,
  status: true,
  receivedAt: true,
  appointmentDate: true,
  appointmentDateBasis: true,
  appointmentProposedYears: true,
  receiptUrl: true,
  lookupUrl: true,
});

export const ZJournalEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  fromStatus: z.number().int().nullable(),
  toStatus: z.number().int(),
  toStatusLabel: z.string(),
  label: z
    .string()
    .describe('The history line as citizens read it too, e.g. "Đang xử lý (đã nhận hồ sơ bổ sung)"'),
  actorName: z.string(),
  note: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TJournalEntry = z.infer<typeof ZJournalEntry>;

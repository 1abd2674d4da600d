import { z } from 'zod';
import { ZRowId } from './ids.ts';

export const ZDocumentSpec = z.object({
  name: z.string().min(1).max(300),
  form: z.string().min(1).max(50),
  quantity: z.number().int().min(1).max(99),
});

export const ZProcedureView = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  field: z.string(),
  level: z.enum(['tinh', 'xa']),
  processingDays: z.number().int().describe('Legal processing time (0 = same day), in deadlineUnit'),
  deadlineUnit: z
    .enum(['working_days', 'calendar_days'])
    .describe(
      'working_days ("ngày làm việc") or calendar_days ("ngày": ending on a day off → next working day)',
    ),
  feeVnd: z.number().int(),
  feeNote: z.string(),
  documents: z.array(ZDocumentSpec),
  authority: z.string().describe('Deciding authority (Cơ quan thực hiện), as in the national catalogue'),
  cutoffTime: z
    .string()
    .nullable()
    .describe('HH:MM; received at/after it counts as received the next working day (same-day matters)'),
  cutoffBasis: z.string().describe('Legal basis of the cut-off, shown with it'),
  supplementRule: z.enum(['restart', 'extend']),
  active: z.boolean(),
  agencyIds: z.array(z.number().int()).describe('Receiving agencies'),
});
export type TProcedureView = z.infer<typeof ZProcedureView>;

/** What an administrator may change. */
export const ZProcedureUpdate = z.object({
  name: z.string().min(1).max(500).optional(),
  field: z.string().min(1).max(200).optional(),
  processingDays: z.number().int().min(0).max(365).optional(),
  deadlineUnit: z.enum(['working_days', 'calendar_days']).optional(),
  feeVnd: z.number().int().min(0).max(1_000_000_000).optional(),
  feeNote: z.string().max(500).optional(),
  documents: z.array(ZDocumentSpec).max(50).optional(),
  authority: z.string().max(300).optional(),
  cutoffTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .nullable()
    .optional(),
  cutoffBasis: z.string().max(300).optional(),
  supplementRule: z.enum(['restart', 'extend']).optional(),
  active: z.boolean().optional(),
  agencyIds: z.array(ZRowId).min(1).max(500).optional(),
});
export type TProcedureUpdate = z.infer<typeof ZProcedureUpdate>;

/** Vietnamese wording of a limit: "trong ngày", "3 ngày làm việc", "15 ngày". */
export function limitLabel(days: number, unit: 'working_days' | 'calendar_days'): string {
  if (days === 0) {
    return 'trong ngày';
  }
  return unit === 'working_days' ? `${days} ngày làm việc` : `${days} ngày`;
}

/** What importing the national catalogue's Excel export would change (POST /api/procedures/import/preview). */
export const ZImportPreview = z.object({
  valid: z.boolean().describe('False when any row has a problem: importing would then write nothing'),
  rowsRead: z.number().int(),
  problems: z.array(
    z.object({ row: z.number().int(), column: z.string(), message: z.string(), userMessage: z.string() }),
  ),
  created: z.array(
    z.object({
      row: z.number().int(),
      code: z.string(),
      name: z.string(),
      field: z.string(),
      limit: z.string(),
      feeVnd: z.number(),
      cutoff: z.object({ time: z.string(), basis: z.string() }).nullable(),
      receivingAgencies: z.array(z.string()),
    }),
  ),
  changed: z.array(
    z.object({
      row: z.number().int(),
      code: z.string(),
      name: z.string(),
      changes: z.array(
        z.object({ field: z.string(), label: z.string(), before: z.string(), after: z.string() }),
      ),
    }),
  ),
  unchanged: z.number().int(),
  notInFile: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type TImportPreview = z.infer<typeof ZImportPreview>;

export const ZImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type TImportResult = z.infer<typeof ZImportResult>;

export const ZAgency = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  parentName: z.string(),
  communeCode: z.string().nullable(),
  address: z.string(),
  hotline: z.string(),
});
export type TAgency = z.infer<typeof ZAgency>;

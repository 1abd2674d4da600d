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
  processingDays: z.number().int().describe('Legal processing time in working days (0 = same day)'),
  feeVnd: z.number().int(),
  feeNote: z.string(),
  documents: z.array(ZDocumentSpec),
  cutoffTime: z.string().nullable().describe('HH:MM; received at/after it counts from the next working day'),
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
  feeVnd: z.number().int().min(0).max(1_000_000_000).optional(),
  feeNote: z.string().max(500).optional(),
  documents: z.array(ZDocumentSpec).max(50).optional(),
  cutoffTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .nullable()
    .optional(),
  supplementRule: z.enum(['restart', 'extend']).optional(),
  active: z.boolean().optional(),
  agencyIds: z.array(ZRowId).min(1).max(500).optional(),
});
export type TProcedureUpdate = z.infer<typeof ZProcedureUpdate>;

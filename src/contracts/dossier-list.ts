import { z } from 'zod';
import { ZDossierView } from './dossier-view.ts';

/** Query of the officer app's dossier list (Danh sách hồ sơ) and its Excel export. */
export const ZDossierListQuery = z.object({
  status: z
    .string()
    .regex(/^\d{1,2}(,\d{1,2})*$/)
    .optional()
    .describe('Comma-separated national status numbers'),
  procedureCode: z.string().max(100).optional(),
  receivedFrom: z.iso.date().optional(),
  receivedTo: z.iso.date().optional().describe('Inclusive'),
  overdue: z.enum(['true', 'false']).optional(),
  dueWithinDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .describe('Open dossiers due within N working days'),
  zalo: z.enum(['true', 'false']).optional().describe('Opted into Zalo notifications or not'),
  q: z.string().max(200).optional().describe('Dossier code, phone, ID number or applicant name'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TDossierListQuery = z.input<typeof ZDossierListQuery>;

/** A page of the officer app's dossier list. */
export const ZDossierPage = z.object({
  items: z.array(ZDossierView),
  total: z.number().describe('Matches, counted up to 10 000'),
  totalCapped: z.boolean().describe('True when there are more than 10 000 matches'),
  page: z.number(),
  pageSize: z.number(),
});
export type TDossierPage = z.infer<typeof ZDossierPage>;

/** A page of the integration API's dossier list: pages follow `nextCursor` (null on the last). */
export const ZDossierCursorPage = z.object({
  items: z.array(ZDossierView),
  nextCursor: z.string().nullable(),
});
export type TDossierCursorPage = z.infer<typeof ZDossierCursorPage>;

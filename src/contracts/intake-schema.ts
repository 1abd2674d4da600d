import { z } from 'zod';
import type { IntakeInput } from './intake.ts';

/** The intake request as the integration API and the officer app send it (OpenAPI and request parsing). */
const ZReceivedDocument = z.union([
  z.string().max(1000),
  z.object({
    name: z.string().max(1000),
    form: z.string().max(100).optional(),
    quantity: z.number().int().optional(),
  }),
]);

/** The intake request, as the integration API and the officer app send it. */
export const ZIntakeRequest = z.object({
  procedureCode: z.string().max(100).describe('Code of the administrative procedure (thủ tục hành chính)'),
  applicant: z.object({
    fullName: z.string().max(1000),
    idNumber: z.string().max(100).describe('CCCD / personal identification number, 12 digits'),
    birthDate: z.string().max(20).optional().describe('YYYY-MM-DD'),
    address: z.string().max(2000).optional(),
    phone: z
      .string()
      .max(100)
      .describe('Điện thoại liên hệ: 0912 345 678, +84 912.345.678, 84912345678 or an old 11-digit number'),
    email: z.string().max(1000).optional(),
  }),
  notifyByZalo: z.boolean().default(false).describe('Đăng ký nhận thông báo trạng thái hồ sơ qua Zalo'),
  receivedDocuments: z
    .array(ZReceivedDocument)
    .max(200)
    .optional()
    .describe('Defaults to every document the procedure requires'),
  copies: z.number().int().optional().describe('Số lượng hồ sơ (bộ), default 1'),
  note: z.string().max(20000).optional(),
  channel: z.enum(['direct', 'post', 'online']).default('direct'),
});
export type TIntakeRequest = z.input<typeof ZIntakeRequest>;

// The schema's output must stay assignable to what checkIntake reads.
export const intakeShapeMatches = (v: z.output<typeof ZIntakeRequest>): IntakeInput => v;

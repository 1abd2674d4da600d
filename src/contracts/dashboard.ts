import { z } from 'zod';

const ZRate = z.object({
  finished: z.number().int(),
  onTime: z.number().int().describe('Ended by the original due date (an apology does not change it), QĐ 766'),
  lateApologised: z.number().int().describe('Late, with an apology and a new date: "trễ hạn, đã xin lỗi"'),
  rate: z.number().nullable(),
});

export const ZDashboard = z.object({
  today: z.string(),
  dueSoonWorkingDays: z.number().int(),
  byStatus: z.array(z.object({ status: z.number().int(), label: z.string(), count: z.number().int() })),
  receivedToday: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int().describe('Open, clock running, past the due date'),
  dueSoon: z.number().int(),
  paused: z.number().int().describe('Open and waiting for the citizen: never overdue'),
  zaloOptInRate: z.number().nullable().describe('Share of the last 12 months’ dossiers opted into Zalo'),
  onTimeByProcedure: z.array(ZRate.extend({ code: z.string(), name: z.string() })),
  onTimeByMonth: z.array(ZRate.extend({ month: z.string() })),
});
export type TDashboard = z.infer<typeof ZDashboard>;

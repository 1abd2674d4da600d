import { z } from 'zod';
import { ZDeadlineProgress } from './dossier-view.ts';

/**
 * What the public look-up answers (GET/POST /api/public/lookup). TT 01/2018 Art. 16: the code alone shows how
 * far handling has got; `details` only when the request proves to be the applicant's (signed receipt link or
 * the second factor). The serializer sends only what is declared here, so a field added to the record or the
 * view never reaches an anonymous caller unless it is added here first (src/lookup/privacy.test.ts).
 */
export const ZPublicLookup = z.object({
  access: z.enum(['public', 'verified']),
  code: z.string(),
  procedureName: z.string(),
  agency: z.object({ name: z.string(), address: z.string(), hotline: z.string() }),
  status: z.number().int(),
  statusLabel: z.string(),
  meaning: z.string(),
  nextStep: z.string(),
  receivedAt: z.string(),
  appointmentDate: z.string(),
  clockPaused: z
    .boolean()
    .describe('The count of working days is stopped while the dossier waits for the citizen'),
  progress: ZDeadlineProgress.nullable(),
  finished: z.boolean(),
  lastUpdate: z.string(),
  history: z.array(z.object({ at: z.string(), label: z.string() })),
  details: z
    .object({
      applicantName: z.string(),
      missingDocuments: z.array(z.string()),
      amountVnd: z.number().nullable(),
      reason: z.string(),
      notifications: z.array(
        z.object({
          channel: z.string(),
          channelLabel: z.string(),
          state: z.string(),
          stateLabel: z.string(),
          at: z.string(),
        }),
      ),
    })
    .optional()
    .describe('Only for the applicant: what was asked of them and the messages sent to them'),
  secondFactor: z
    .enum(['none', 'ok', 'wrong', 'locked'])
    .describe('The outcome of the second factor sent (none when none was)'),
});
export type TPublicLookup = z.infer<typeof ZPublicLookup>;

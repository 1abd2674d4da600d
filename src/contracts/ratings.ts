import { z } from 'zod';

/** Response contracts of the ratings feature (officer app: /api/ratings…). */

export const ZRatingReason = z.object({ key: z.string(), label: z.string() });

export const ZDossierRating = z.object({
  code: z.string(),
  invitedAt: z.string().nullable().describe('When the dossier ended and the citizen was invited to rate'),
  rating: z
    .object({
      stars: z.number().int().min(1).max(5),
      reasons: z.array(ZRatingReason),
      comment: z.string(),
      channel: z.enum(['zalo', 'web']),
      firstRatedAt: z.string(),
      ratedAt: z.string(),
      revisions: z.number().int(),
    })
    .nullable(),
  followUp: z
    .object({
      raisedAt: z.string(),
      answer: z.string().nullable(),
      answeredBy: z.string().nullable(),
      answeredAt: z.string().nullable(),
    })
    .nullable(),
});
export type TDossierRating = z.infer<typeof ZDossierRating>;

const ZSatisfaction = z.object({
  ratings: z.number().int(),
  average: z.number().nullable(),
  stars: z.array(z.number().int()).length(5).describe('Number of 1-, 2-, 3-, 4- and 5-star ratings'),
});

export const ZRatingSummary = z.object({
  overall: ZSatisfaction,
  byMonth: z.array(ZSatisfaction.extend({ month: z.string() })),
  byProcedure: z.array(ZSatisfaction.extend({ code: z.string(), name: z.string() })),
  byOfficer: z
    .array(ZSatisfaction.extend({ officer: z.string() }))
    .nullable()
    .describe('Per receiving officer: leaders and administrators only (null for other roles)'),
  openFollowUps: z.number().int(),
});
export type TRatingSummary = z.infer<typeof ZRatingSummary>;

export const ZFollowUp = z.object({
  code: z.string(),
  procedureName: z.string(),
  stars: z.number().int(),
  reasons: z.array(ZRatingReason),
  comment: z.string(),
  ratedAt: z.string(),
  raisedAt: z.string(),
  answer: z.string().nullable(),
  answeredBy: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
export const ZFollowUpList = z.object({ items: z.array(ZFollowUp) });
export type TFollowUp = z.infer<typeof ZFollowUp>;

export const ZFollowUpAnswer = z.object({
  answer: z.string().trim().min(5).max(2000).describe('The leader’s answer to the citizen’s low rating'),
});

import { z } from 'zod';

/** Response shapes of the working-day calendar API, shared with the officer app. */

export const ZCalendarDay = z.object({
  date: z.string(),
  working: z.boolean(),
  reason: z.string(),
  source: z
    .enum(['weekday', 'weekend', 'statutory', 'exception', 'official'])
    .describe(
      'statutory: proposed holiday of an unconfirmed year; exception: administrator change to such a year; ' +
        'official: a day of a confirmed year',
    ),
  lunar: z.string(),
});

export type TCalendarDay = z.infer<typeof ZCalendarDay>;

export const ZYearStatus = z.object({
  year: z.number().int(),
  status: z.enum(['confirmed', 'proposed']).describe('confirmed: entered from the government decision'),
  decision: z.string().nullable().describe('The decision the confirmed schedule comes from'),
  confirmedAt: z.string().nullable(),
  confirmedBy: z.string().nullable(),
});

export const ZChangedAppointments = z
  .object({
    total: z
      .number()
      .int()
      .describe('Open dossiers of every agency whose date the calendar now gives differently'),
    ownAgency: z.number().int(),
    byAgency: z.array(z.object({ agencyCode: z.string(), agencyName: z.string(), count: z.number().int() })),
    items: z
      .array(
        z.object({
          code: z.string(),
          applicantName: z.string(),
          phoneDisplay: z.string(),
          procedureName: z.string(),
          countedFrom: z.string(),
          appointmentDate: z.string().describe('As printed: never changed by the calendar'),
          recomputedAppointmentDate: z.string().describe('What the current calendar would give'),
        }),
      )
      .describe("The caller's agency's dossiers (at most 200), by appointment date"),
  })
  .describe('Printed appointments are kept; these are the citizens to contact');
export type TChangedAppointments = z.infer<typeof ZChangedAppointments>;
export type TYearStatus = z.infer<typeof ZYearStatus>;

/** A day changed, or a year confirmed, with the open dossiers whose appointment it moved. */
export const ZCalendarDayChanged = ZCalendarDay.extend({ changedAppointments: ZChangedAppointments });
export type TCalendarDayChanged = z.infer<typeof ZCalendarDayChanged>;
export const ZYearConfirmed = ZYearStatus.extend({ changedAppointments: ZChangedAppointments });
export type TYearConfirmed = z.infer<typeof ZYearConfirmed>;

/** What an appointment date rests on, in the dossier view and the intake preview. */
export const ZAppointmentBasis = {
  appointmentDateBasis: z
    .enum(['confirmed', 'proposed'])
    .describe('proposed: counted across a year whose holidays nobody confirmed yet; the date may move'),
  appointmentProposedYears: z.array(z.number().int()),
};

/** The public entry of src/calendar/: what other features and the app module may use. */
export { appointmentBasis, countedFrom, recomputedAppointment } from './appointment-basis.ts';
export { addDays, formatVnDate, fromDayNumber, toDayNumber, vnDateOf, vnInstant, vnTimeOf } from './dates.ts';
export type { DeadlineProgress, DeadlineRule, DeadlineUnit } from './deadline.ts';
export { computeDeadline, daysWaited, deadlineProgress, dueDateFrom, extendDueDate } from './deadline.ts';
export { loadCalendar } from './repo.ts';
export { calendarRoutes } from './routes.ts';
export { seededRandom } from './test-random.ts';
export type { WorkingCalendar } from './working-days.ts';

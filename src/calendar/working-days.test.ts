import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OFFICIAL_SCHEDULES } from '../db/migrations/20261207-16-01-calendar-years.ts';
import { fromDayNumber, toDayNumber, vnInstant, weekdayOf } from './dates.ts';
import {
  computeDeadline,
  type DeadlineRule,
  deadlineProgress,
  dueDateFrom,
  extendDueDate,
} from './deadline.ts';
import { seededRandom } from './test-random.ts';
import { WorkingCalendar } from './working-days.ts';

const official = new WorkingCalendar(
  Object.values(OFFICIAL_SCHEDULES).flatMap((s) => s.days),
  Object.keys(OFFICIAL_SCHEDULES).map(Number),
);

/** Weekdays off and weekend days worked in a year, as the calendar computes them. */
function exceptionsToMondayFriday(calendar: WorkingCalendar, year: number) {
  const daysOff: string[] = [];
  const workedWeekends: string[] = [];
  for (const day of calendar.year(year)) {
    const w = weekdayOf(toDayNumber(day.date));
    const weekend = w === 0 || w === 6;
    if (!weekend && !day.working) {
      daysOff.push(day.date);
    }
    if (weekend && day.working) {
      workedWeekends.push(day.date);
    }
  }
  return { daysOff, workedWeekends };
}

describe('working-day calendar', () => {
  it('matches the official 2025 schedule', () => {
    assert.deepEqual(exceptionsToMondayFriday(official, 2025), {
      daysOff: [
        '2025-01-01',
        // Tết Ất Tỵ: off Sat 25/01 – Sun 02/02
        '2025-01-27',
        '2025-01-28',
        '2025-01-29',
        '2025-01-30',
        '2025-01-31',
        '2025-04-07', // Giỗ Tổ Hùng Vương
        '2025-04-30',
        '2025-05-01',
        '2025-05-02', // swapped with Saturday 26/04
        '2025-09-01',
        '2025-09-02',
      ],
      // No make-up Saturday for Tết Ất Tỵ: 8/2/2025 was an ordinary Saturday (6150/TB-BNV).
      workedWeekends: ['2025-04-26'],
    });
  });

  it('matches the official 2026 schedule', () => {
    assert.deepEqual(exceptionsToMondayFriday(official, 2026), {
      daysOff: [
        '2026-01-01',
        '2026-01-02', // swapped with Saturday 10/01
        // Tết Bính Ngọ: off Sat 14/02 – Sun 22/02
        '2026-02-16',
        '2026-02-17',
        '2026-02-18',
        '2026-02-19',
        '2026-02-20',
        '2026-04-27', // Giỗ Tổ fell on Sunday 26/04: compensating day
        '2026-04-30',
        '2026-05-01',
        '2026-08-31', // swapped with Saturday 22/08
        '2026-09-01',
        '2026-09-02',
      ],
      workedWeekends: ['2026-01-10', '2026-08-22'],
    });
    // Thursday 3/9/2026 is a working day.
    assert.equal(official.isWorkingDay('2026-09-03'), true);
  });

  it('lets an administrator exception override the computed calendar', () => {
    const calendar = new WorkingCalendar([
      { day: '2026-11-24', kind: 'day_off', reason: 'Ngày Văn hóa Việt Nam' },
      { day: '2026-09-03', kind: 'working_day', reason: 'Làm việc' },
    ]);
    assert.equal(calendar.isWorkingDay('2026-11-24'), false);
    assert.equal(calendar.info('2026-11-24').reason, 'Ngày Văn hóa Việt Nam');
    assert.equal(calendar.isWorkingDay('2026-09-03'), true);
  });

  it('adds working days across Tết 2026', () => {
    // Friday 13/02/2026 + 1 working day skips the whole Tết week.
    assert.equal(official.addWorkingDays('2026-02-13', 1), '2026-02-23');
    assert.equal(official.workingDaysBetween('2026-02-13', '2026-02-23'), 1);
    assert.equal(official.addWorkingDays('2026-02-14', 0), '2026-02-23');
    assert.equal(official.nextWorkingDay('2026-01-09'), '2026-01-10');
  });

  it('holds its laws for random dates and lengths (property test)', () => {
    const seed = 4242;
    const random = seededRandom(seed);
    const first = toDayNumber('2024-01-01');
    for (let i = 0; i < 2000; i++) {
      const start = fromDayNumber(first + Math.floor(random() * 1100));
      const n = 1 + Math.floor(random() * 60);
      const m = Math.floor(random() * 30);
      const due = official.addWorkingDays(start, n);
      const context = `seed ${seed}, start ${start}, n ${n}`;
      assert.ok(official.isWorkingDay(due), context);
      assert.ok(due > start, context);
      assert.equal(official.workingDaysBetween(start, due), n, context);
      assert.equal(official.workingDaysBetween(due, start), -n, context);
      assert.equal(official.addWorkingDays(due, m), official.addWorkingDays(start, n + m), context);
      assert.equal(official.addWorkingDays(start, 1), official.nextWorkingDay(start), context);
    }
  });

  it('counts working days between dates years apart as a day-by-day count would', () => {
    const seed = 977;
    const random = seededRandom(seed);
    const first = toDayNumber('2019-06-01');
    for (let i = 0; i < 300; i++) {
      const a = first + Math.floor(random() * 3000);
      const b = a + Math.floor(random() * 1500) - 200;
      let expected = 0;
      for (let d = Math.min(a, b) + 1; d <= Math.max(a, b); d++) {
        expected += official.isWorkingDay(fromDayNumber(d)) ? 1 : 0;
      }
      const [from, to] = [fromDayNumber(a), fromDayNumber(b)];
      assert.equal(
        official.workingDaysBetween(from, to),
        b < a ? -expected : expected,
        `seed ${seed}, ${from} → ${to}`,
      );
    }
  });
});

/** The due date of a dossier received at `at` (Vietnam time) under a rule; at the desk unless `online`. */
function due(
  at: string | Date,
  days: number,
  cutoffTime: string | null = null,
  o: { unit?: DeadlineRule['unit']; online?: boolean; calendar?: WorkingCalendar } = {},
): string {
  const receivedAt = typeof at === 'string' ? vnInstant(at.slice(0, 10), at.slice(11) || '09:00') : at;
  return computeDeadline(
    o.calendar ?? official,
    { receivedAt, online: o.online ?? false, officeClosesAt: '17:00' },
    { days, unit: o.unit ?? 'working_days', cutoffTime },
  ).dueDate;
}

describe('due dates', () => {
  it('follows the official Quốc khánh 2026 and Tết 2025 schedules', () => {
    // Thursday 27/08/2026, 3 working days: Fri 28/8, (31/8, 1/9, 2/9 off), Thu 3/9, Fri 4/9.
    assert.equal(due('2026-08-27', 3), '2026-09-04');
    assert.equal(due('2026-08-28', 1), '2026-09-03');
    // Saturday 22/08/2026 is a working day (swapped with Monday 31/08).
    assert.equal(due('2026-08-21', 1), '2026-08-22');
    // Wednesday 05/02/2025, 3 working days: Thu 6, Fri 7, Mon 10 (Saturday 8/2 was not worked).
    assert.equal(due('2025-02-05', 3), '2025-02-10');
  });

  it('counts from the day after reception (Bộ luật Dân sự Art. 147), whatever the hour', () => {
    // Monday 09/03/2026, 3 working days → Thursday 12/03, in the morning or the afternoon.
    assert.equal(due('2026-03-09 09:00', 3), '2026-03-12');
    assert.equal(due('2026-03-09 16:30', 3), '2026-03-12');
  });

  it('applies a cut-off only where the procedure has one (same-day matters)', () => {
    assert.equal(due('2026-03-09 14:59:59', 0, '15:00:00'), '2026-03-09');
    assert.equal(due('2026-03-09 15:00', 0, '15:00:00'), '2026-03-10');
    // Friday after the cut-off → Monday.
    assert.equal(due('2026-03-13 15:30', 0, '15:00'), '2026-03-16');
    // A multi-day procedure with a cut-off set by its own rule still honours it.
    assert.equal(due('2026-03-09 15:00', 3, '15:00'), '2026-03-13');
  });

  it('receives an online dossier filed after office hours on the next working day', () => {
    // Online at 22:00 on Monday: received Tuesday, 3 working days → Friday. At the desk at 16:30: Thursday.
    assert.equal(due('2026-03-09 22:00', 3, null, { online: true }), '2026-03-13');
    assert.equal(due('2026-03-09 16:59', 3, null, { online: true }), '2026-03-12');
    assert.equal(due('2026-03-09 17:00', 0, '15:00', { online: true }), '2026-03-10');
    // Online at 22:00 on Friday: received Monday.
    assert.equal(due('2026-03-13 22:00', 1, null, { online: true }), '2026-03-17');
  });

  it('counts calendar days where the limit is in days, ending on a day off moved to the next working day (Art. 148)', () => {
    // Monday 09/03/2026 + 10 days = Thursday 19/03.
    assert.equal(due('2026-03-09', 10, null, { unit: 'calendar_days' }), '2026-03-19');
    // Friday 06/03 + 15 days = Saturday 21/03 → Monday 23/03.
    assert.equal(due('2026-03-06', 15, null, { unit: 'calendar_days' }), '2026-03-23');
    // Across Tết 2026: Monday 09/02 + 10 days = Thursday 19/02 (Tết) → Monday 23/02.
    assert.equal(due('2026-02-09', 10, null, { unit: 'calendar_days' }), '2026-02-23');
    // The same limit in working days runs much later.
    assert.equal(due('2026-02-09', 10), '2026-03-02');
    assert.equal(dueDateFrom(official, '2026-03-09', 0, 'calendar_days'), '2026-03-09');
  });

  it('treats a dossier received on a day off as received the next working day', () => {
    // Received on working Saturday 10/01/2026 counts normally; on Sunday 11/01 it counts from Monday 12/01.
    assert.equal(due('2026-01-10', 1), '2026-01-12');
    assert.equal(due('2026-01-11', 1), '2026-01-13');
  });

  it('uses Vietnam time, not the server time zone', () => {
    // 08:30 UTC is 15:30 in Vietnam: after the cut-off.
    assert.equal(due(new Date('2026-03-09T08:30:00Z'), 0, '15:00'), '2026-03-10');
  });

  it('extends a due date by the working days spent waiting', () => {
    const extended = extendDueDate(
      official,
      '2026-03-20',
      vnInstant('2026-03-10', '10:00'),
      vnInstant('2026-03-13', '10:00'),
    );
    assert.equal(extended, '2026-03-25');
  });

  it('reports days left and overdue days', () => {
    assert.deepEqual(deadlineProgress(official, '2026-03-09', '2026-03-12'), {
      overdue: false,
      workingDaysLeft: 3,
      overdueWorkingDays: 0,
    });
    assert.deepEqual(deadlineProgress(official, '2026-03-12', '2026-03-12'), {
      overdue: false,
      workingDaysLeft: 0,
      overdueWorkingDays: 0,
    });
    assert.deepEqual(deadlineProgress(official, '2026-03-16', '2026-03-12'), {
      overdue: true,
      workingDaysLeft: 0,
      overdueWorkingDays: 2,
    });
  });
});

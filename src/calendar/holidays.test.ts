import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toDayNumber, weekdayOf } from './dates.ts';
import { type CalendarException, WorkingCalendar } from './working-days.ts';

/** Weekdays off and weekend days worked in a year. */
function schedule(calendar: WorkingCalendar, year: number) {
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

/** The days off between two dates (inclusive), weekends included: a "break" as announced. */
function breakOf(calendar: WorkingCalendar, from: string, to: string): string[] {
  return calendar
    .year(Number(from.slice(0, 4)))
    .filter((d) => d.date >= from && d.date <= to && !d.working)
    .map((d) => d.date);
}

const proposal = new WorkingCalendar();

/**
 * The computed proposal for years nobody confirmed, checked against the official schedules of past years
 * (domain-vn.md, "Corrections, December 2026"). A swap is never proposed: where a year had one (2024), it is
 * what an administrator enters on top of the proposal.
 */
describe('proposed schedule (computed pre-fill)', () => {
  it('reproduces the official Tết breaks of 2020, 2021, 2023 and 2024', () => {
    const range = (from: string, to: string) => {
      const out: string[] = [];
      for (let n = toDayNumber(from); n <= toDayNumber(to); n++) {
        out.push(new Date(n * 86_400_000).toISOString().slice(0, 10));
      }
      return out;
    };
    // Each break with the weekday before and after it, which must be working days.
    for (const [from, to] of [
      ['2020-01-23', '2020-01-29'],
      ['2021-02-10', '2021-02-16'],
      ['2023-01-20', '2023-01-26'],
      ['2024-02-08', '2024-02-14'],
      ['2025-01-25', '2025-02-02'],
      ['2026-02-14', '2026-02-22'],
    ] as const) {
      assert.deepEqual(breakOf(proposal, from, to), range(from, to), `Tết ${from.slice(0, 4)}`);
      const before = new Date((toDayNumber(from) - 1) * 86_400_000).toISOString().slice(0, 10);
      const after = new Date((toDayNumber(to) + 1) * 86_400_000).toISOString().slice(0, 10);
      assert.equal(proposal.isWorkingDay(before), true, `${before} works before Tết ${from.slice(0, 4)}`);
      assert.equal(proposal.isWorkingDay(after), true, `${after} works after Tết ${from.slice(0, 4)}`);
    }
  });

  it('matches the whole official schedules of 2020–2023, and 2024 with its one swap entered', () => {
    assert.deepEqual(schedule(proposal, 2020), {
      daysOff: [
        '2020-01-01',
        '2020-01-23',
        '2020-01-24',
        '2020-01-27',
        '2020-01-28',
        '2020-01-29',
        '2020-04-02', // Giỗ Tổ
        '2020-04-30',
        '2020-05-01',
        '2020-09-02', // before 2021, 2/9 alone
      ],
      workedWeekends: [],
    });
    assert.equal(proposal.isWorkingDay('2020-09-03'), true);
    assert.deepEqual(schedule(proposal, 2021).daysOff, [
      '2021-01-01',
      '2021-02-10',
      '2021-02-11',
      '2021-02-12',
      '2021-02-15',
      '2021-02-16',
      '2021-04-21',
      '2021-04-30',
      '2021-05-03', // 1/5 was a Saturday
      '2021-09-02',
      '2021-09-03',
    ]);
    assert.deepEqual(schedule(proposal, 2022).daysOff, [
      '2022-01-03', // 1/1 was a Saturday
      '2022-01-31',
      '2022-02-01',
      '2022-02-02',
      '2022-02-03',
      '2022-02-04',
      '2022-04-11', // Giỗ Tổ on Sunday 10/4
      '2022-05-02',
      '2022-05-03',
      '2022-09-01',
      '2022-09-02',
    ]);
    assert.deepEqual(schedule(proposal, 2023).daysOff, [
      '2023-01-02',
      '2023-01-20',
      '2023-01-23',
      '2023-01-24',
      '2023-01-25',
      '2023-01-26',
      '2023-05-01',
      '2023-05-02', // Giỗ Tổ on Saturday 29/4
      '2023-05-03', // 30/4 on Sunday
      '2023-09-01',
      '2023-09-04', // 2/9 on Saturday
    ]);
    const swap2024: CalendarException[] = [
      {
        day: '2024-04-29',
        kind: 'day_off',
        reason: 'Nghỉ lễ 30/4–1/5 (hoán đổi, làm bù thứ Bảy 04/05/2024)',
      },
      { day: '2024-05-04', kind: 'working_day', reason: 'Làm bù cho thứ Hai 29/04/2024' },
    ];
    assert.deepEqual(schedule(new WorkingCalendar(swap2024), 2024), {
      daysOff: [
        '2024-01-01',
        '2024-02-08',
        '2024-02-09',
        '2024-02-12',
        '2024-02-13',
        '2024-02-14',
        '2024-04-18',
        '2024-04-29',
        '2024-04-30',
        '2024-05-01',
        '2024-09-02',
        '2024-09-03',
      ],
      workedWeekends: ['2024-05-04'],
    });
  });

  it('proposes Tết 2027 (Saturday 6/2) by the same rule, and says why each day is off', () => {
    assert.deepEqual(breakOf(proposal, '2027-02-01', '2027-02-12'), [
      '2027-02-04',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
    ]);
    assert.match(proposal.info('2027-02-04').reason, /thay mùng 1, thứ Bảy 06\/02/);
    assert.match(proposal.info('2027-02-10').reason, /thay mùng 2, Chủ nhật 07\/02/);
    assert.equal(proposal.info('2027-02-08').source, 'statutory');
  });

  it('proposes a day next to 2/9 from 2021 on, as the recent decisions chose it', () => {
    const next = (year: number) =>
      schedule(proposal, year).daysOff.filter(
        (d) => d.startsWith(`${year}-09`) || d.startsWith(`${year}-08`),
      );
    assert.deepEqual(next(2020), ['2020-09-02']);
    assert.deepEqual(next(2025), ['2025-09-01', '2025-09-02']);
    // 2026's decision took Tuesday 1/9 (and swapped Monday 31/8, which only the decision can say).
    assert.deepEqual(next(2026), ['2026-09-01', '2026-09-02']);
  });

  it('leaves a confirmed year to its entered schedule alone', () => {
    const confirmed = new WorkingCalendar([{ day: '2027-02-05', kind: 'day_off', reason: 'Tết' }], [2027]);
    assert.equal(confirmed.isWorkingDay('2027-02-04'), true);
    assert.equal(confirmed.isWorkingDay('2027-02-05'), false);
    assert.equal(confirmed.info('2027-02-05').source, 'official');
    assert.equal(confirmed.isWorkingDay('2027-02-08'), true);
    assert.deepEqual(confirmed.proposedYearsBetween('2026-12-20', '2028-01-05'), [2026, 2028]);
  });
});

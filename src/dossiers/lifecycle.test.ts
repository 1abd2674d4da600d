import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vnInstant } from '../calendar/dates.ts';
import { WorkingCalendar } from '../calendar/working-days.ts';
import { Status } from '../contracts/statuses.ts';
import { applyTransition, type ClockState, finishedOnTime } from './effects.ts';
import { availableActions, blockedBecause, findRule, ruleByAction, TRANSITIONS } from './lifecycle.ts';

const facts = (
  status: number,
  extra: Partial<{ apologyCount: number; dueDate: string; today: string; receivedOn: string }> = {},
) => ({
  status: status as 1,
  apologyCount: 0,
  dueDate: '2026-03-16',
  today: '2026-03-09',
  receivedOn: '2026-03-09',
  ...extra,
});

describe('transition table', () => {
  it('has one rule per (from, to) pair so a target status names its action', () => {
    const pairs = TRANSITIONS.flatMap((r) => r.from.map((f) => `${f}→${r.to}`));
    assert.equal(new Set(pairs).size, pairs.length);
  });

  it('never leaves a final status except the hand-over of a ready result', () => {
    for (const rule of TRANSITIONS) {
      for (const from of rule.from) {
        assert.ok(
          ![Status.Refused, Status.Stopped, Status.Returned].includes(from as 3),
          `${rule.action} from ${from}`,
        );
      }
    }
  });

  it('finds rules from the target status, and needs the action for the apology', () => {
    assert.equal(findRule(Status.Received, 4)?.action, 'start_processing');
    assert.equal(findRule(Status.SupplementRequested, 4)?.action, 'receive_supplement');
    assert.equal(findRule(Status.FinancialObligation, 4)?.action, 'confirm_payment');
    assert.notEqual(findRule(Status.Processing, 4)?.action, 'apologise');
    assert.equal(findRule(Status.Processing, 4, 'apologise')?.action, 'apologise');
  });

  it('offers each role its own actions', () => {
    const names = (role: Parameters<typeof availableActions>[0], status: number) =>
      availableActions(role, facts(status)).map((r) => r.action);
    assert.deepEqual(names('viewer', Status.Processing), []);
    assert.deepEqual(names('leader', Status.Done), []);
    assert.deepEqual(names('desk_officer', Status.Done), ['return_result']);
    assert.ok(names('leader', Status.Processing).includes('complete'));
    assert.ok(!names('desk_officer', Status.Processing).includes('complete'));
  });

  it('blocks a second apology and one issued on or after the due date', () => {
    const apologise = ruleByAction('apologise');
    assert.equal(blockedBecause(apologise, facts(4)), undefined);
    assert.equal(blockedBecause(apologise, facts(4, { apologyCount: 1 }))?.code, 'apology_already_issued');
    assert.equal(blockedBecause(apologise, facts(4, { today: '2026-03-16' }))?.code, 'apology_too_late');
  });

  it('cites the rules in force on the reception date: NĐ 61/2018 before 1/7/2025, NĐ 118/2025 after', () => {
    const apologise = ruleByAction('apologise');
    const old = blockedBecause(apologise, facts(4, { apologyCount: 1, receivedOn: '2025-06-30' }));
    assert.match(old!.message, /NĐ 61\/2018, Điều 19 khoản 9/);
    const current = blockedBecause(apologise, facts(4, { apologyCount: 1, receivedOn: '2025-07-01' }));
    assert.match(current!.userMessage, /NĐ 118\/2025/);
    assert.doesNotMatch(current!.userMessage, /61\/2018/);
    const tooLate = (receivedOn: string) =>
      blockedBecause(apologise, facts(4, { today: '2026-03-16', receivedOn }))!.userMessage;
    assert.match(tooLate('2025-08-01'), /^Phiếu xin lỗi và hẹn lại ngày trả kết quả phải được lập/);
    assert.match(
      tooLate('2025-09-15'),
      /^Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết phải được lập/,
    );
  });
});

describe('clock effects', () => {
  const calendar = new WorkingCalendar();
  const base: ClockState = {
    status: 4,
    dueDate: '2026-03-16',
    originalDueDate: null,
    clockStartedAt: vnInstant('2026-03-09', '09:00'),
    clockPausedAt: null,
    supplementCount: 0,
    apologyCount: 0,
    finishedAt: null,
    returnedAt: null,
    statusData: {},
    deadline: { start: '2026-03-09', unit: 'working_days', days: 5 },
  };
  const procedure = {
    processingDays: 5,
    unit: 'working_days' as const,
    cutoffTime: null,
    supplementRule: 'restart' as const,
  };
  const reception = { online: false, officeClosesAt: '17:00' };

  it('pauses for a supplement and restarts in full when it arrives', () => {
    const paused = applyTransition(
      base,
      'request_supplement',
      5,
      { reason: 'x', missingDocuments: ['a'] },
      {
        now: vnInstant('2026-03-10', '10:00'),
        calendar,
        procedure,
        reception,
      },
    ).next;
    assert.ok(paused.clockPausedAt);
    assert.equal(paused.supplementCount, 1);
    const resumed = applyTransition(
      paused,
      'receive_supplement',
      4,
      {},
      {
        now: vnInstant('2026-03-11', '10:00'),
        calendar,
        procedure,
        reception,
      },
    );
    assert.equal(resumed.next.dueDate, '2026-03-18');
    assert.equal(resumed.next.clockPausedAt, null);
    assert.equal(resumed.journalData.previousDueDate, '2026-03-16');
  });

  it('counts more than one supplement request as late (QĐ 766)', () => {
    const finished = {
      finishedAt: vnInstant('2026-03-12', '10:00'),
      dueDate: '2026-03-16',
      originalDueDate: null,
    };
    assert.equal(finishedOnTime({ ...finished, supplementCount: 1 }), true);
    assert.equal(finishedOnTime({ ...finished, supplementCount: 2 }), false);
    assert.equal(
      finishedOnTime({ finishedAt: null, dueDate: '2026-03-16', originalDueDate: null, supplementCount: 0 }),
      undefined,
    );
  });

  it('judges on time against the original due date after an apology', () => {
    const apologised = { dueDate: '2026-03-20', originalDueDate: '2026-03-16', supplementCount: 0 };
    assert.equal(finishedOnTime({ ...apologised, finishedAt: vnInstant('2026-03-16', '16:00') }), true);
    assert.equal(finishedOnTime({ ...apologised, finishedAt: vnInstant('2026-03-18', '10:00') }), false);
  });

  it('keeps the first end of processing when the result is returned', () => {
    const done = applyTransition(
      base,
      'complete',
      9,
      {},
      { now: vnInstant('2026-03-12', '10:00'), calendar, procedure, reception },
    ).next;
    const returned = applyTransition(
      done,
      'return_result',
      10,
      { method: 'direct' },
      {
        now: vnInstant('2026-03-20', '10:00'),
        calendar,
        procedure,
        reception,
      },
    ).next;
    assert.deepEqual(returned.finishedAt, done.finishedAt);
    assert.ok(returned.returnedAt);
  });
});

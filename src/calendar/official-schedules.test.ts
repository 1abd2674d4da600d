import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
} from '../test-support/factories.ts';

/**
 * The schedules that ship (2025 and 2026 confirmed from the official decisions) and the computed proposal of
 * other years, read through the API from a migrated PostgreSQL database, and the appointment dates the
 * intake gives with them (domain-vn.md, "Corrections, December 2026").
 */
describe('official schedules through the API', () => {
  let t: TestApp;
  let cookie: string;
  let authorization: string;
  const codes: Record<number, string> = {};

  before(async () => {
    t = await createTestApp();
    const agency = await buildAgency(t.app);
    const officer = await buildOfficer(t.app, agency.id);
    cookie = await loginCookie(t.server, officer.username, officer.password);
    authorization = (await buildApiKey(t.app, agency.id)).authorization;
    for (const days of [1, 3]) {
      codes[days] = (
        await buildProcedure(t.app, [agency.id], { processingDays: days, cutoffTime: null })
      ).code;
    }
  });
  after(() => t.close());

  const appointment = async (at: string, days: number) => {
    t.clock.set(at);
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { authorization },
      payload: intakeBody(codes[days]!),
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().appointmentDate as string;
  };

  const year = async (y: number) => {
    const res = await t.server.inject({ url: `/api/calendar/${y}`, headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    return new Map(
      (res.json() as { date: string; working: boolean; source: string }[]).map((d) => [d.date, d]),
    );
  };

  it('gives the appointment dates of the official 2025 and 2026 schedules', async () => {
    assert.equal(await appointment('2026-08-27T09:00:00+07:00', 3), '2026-09-04');
    assert.equal(await appointment('2026-08-28T09:00:00+07:00', 1), '2026-09-03');
    assert.equal(await appointment('2026-08-21T09:00:00+07:00', 1), '2026-08-22');
    assert.equal(await appointment('2025-02-05T09:00:00+07:00', 3), '2025-02-10');
  });

  it('shows 2025 and 2026 as decided, with Saturday 8/2/2025 an ordinary Saturday', async () => {
    const y2025 = await year(2025);
    assert.deepEqual([y2025.get('2025-02-08')?.working, y2025.get('2025-02-08')?.source], [false, 'weekend']);
    assert.equal(y2025.get('2025-01-27')?.source, 'official');
    const y2026 = await year(2026);
    for (const [day, working] of [
      ['2026-08-22', true],
      ['2026-08-31', false],
      ['2026-09-01', false],
      ['2026-09-02', false],
      ['2026-09-03', true],
    ] as const) {
      assert.equal(y2026.get(day)?.working, working, day);
    }
  });

  it('proposes the Tết breaks of 2020–2024 as they were decided, and 2/9 alone before 2021', async () => {
    for (const [from, to] of [
      ['2020-01-23', '2020-01-29'],
      ['2021-02-10', '2021-02-16'],
      ['2023-01-20', '2023-01-26'],
      ['2024-02-08', '2024-02-14'],
    ] as const) {
      const days = await year(Number(from.slice(0, 4)));
      const offDays = [...days.values()].filter((d) => !d.working && d.date >= from && d.date <= to);
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      assert.equal(offDays.length, span, `Tết ${from}–${to}`);
      assert.equal(days.get(from)?.source, 'statutory');
    }
    const y2020 = await year(2020);
    assert.equal(y2020.get('2020-09-02')?.working, false);
    assert.equal(y2020.get('2020-09-03')?.working, true);
  });
});

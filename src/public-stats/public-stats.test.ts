import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { vnInstant } from '../calendar/dates.ts';
import { loadCalendar } from '../calendar/repo.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { buildAgency, buildProcedure } from '../test-support/factories.ts';
import { refreshPublicStats } from './refresh.ts';

/**
 * The public figures against dossiers whose figures are known: written straight into the tables (reception
 * and end times, due dates, supplement counts, Zalo messages, ratings), the per-day rows refreshed, and what
 * the open data and the page say compared with the same figures computed here from those dossiers.
 */
describe('public scoreboard and open data', () => {
  let t: TestApp;
  let a: { id: number; code: string; name: string };
  let b: { id: number; code: string; name: string };
  let procedureId: number;
  let n = 0;

  interface Known {
    agency: number;
    received: string;
    finished?: string;
    due: string;
    originalDue?: string;
    supplements?: number;
    zalo?: boolean;
    stars?: number;
  }
  const known: Known[] = [];

  /** One dossier as the desk would have left it, with its journal entry, Zalo message and rating. */
  const add = async (k: Known) => {
    n++;
    known.push(k);
    const d = await t.app.db
      .insertInto('dossier')
      .values({
        code: `000.00.99.H50-260105-${String(n).padStart(4, '0')}`,
        agency_id: k.agency,
        procedure_id: procedureId,
        status: k.finished ? 10 : 4,
        channel: 'direct',
        applicant_name: `Người Nộp Bí Mật ${n}`,
        applicant_id_number: '001234567890',
        applicant_address: 'Quảng Trị',
        phone: '84912000000',
        notify_by_zalo: true,
        received_documents: '[]',
        copies: 1,
        note: '',
        received_at: vnInstant(k.received, '08:30:00'),
        due_date: k.due,
        original_due_date: k.originalDue ?? null,
        clock_started_at: vnInstant(k.received, '08:30:00'),
        supplement_count: k.supplements ?? 0,
        finished_at: k.finished ? vnInstant(k.finished, '15:00:00') : null,
        status_data: '{}',
        updated_at: t.app.clock(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const j = await t.app.db
      .insertInto('dossier_journal')
      .values({
        dossier_id: d.id,
        seq: 1,
        action: 'receive',
        to_status: 2,
        actor_name: 'Thử',
        note: '',
        data: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (k.zalo !== undefined) {
      await t.app.db
        .insertInto('notification')
        .values({
          dossier_id: d.id,
          journal_id: j.id,
          journal_seq: 1,
          channel: 'zalo_phone',
          recipient: '84912000000',
          template_key: 'status',
          payload: '{}',
          state: k.zalo ? 'delivered' : 'failed',
          delivered_at: k.zalo ? t.app.clock() : null,
          created_at: t.app.clock(),
        })
        .execute();
    }
    if (k.stars) {
      await t.app.db
        .insertInto('rating')
        .values({
          dossier_id: d.id,
          stars: k.stars,
          reasons: [],
          comment: 'Bình luận riêng tư',
          channel: 'web',
          first_rated_at: t.app.clock(),
          rated_at: t.app.clock(),
          revisions: 0,
        })
        .execute();
    }
    return d.id;
  };

  before(async () => {
    t = await createTestApp({ now: '2026-02-02T09:00:00+07:00' });
    a = await buildAgency(t.app, { name: 'Bộ phận Một cửa xã An Phú' });
    b = await buildAgency(t.app, { name: 'Bộ phận Một cửa xã Bình Minh' });
    procedureId = (await buildProcedure(t.app, [a.id, b.id])).id;
    // Agency A, January 2026 (no holiday between 5 and 23 January): 7 received, 6 ended, 5 rated.
    await add({
      agency: a.id,
      received: '2026-01-05',
      finished: '2026-01-07',
      due: '2026-01-08',
      zalo: true,
      stars: 5,
    });
    await add({
      agency: a.id,
      received: '2026-01-05',
      finished: '2026-01-09',
      due: '2026-01-08',
      zalo: true,
      stars: 2,
    });
    await add({
      agency: a.id,
      received: '2026-01-06',
      finished: '2026-01-12',
      due: '2026-01-14',
      supplements: 2,
      zalo: false,
      stars: 3,
    });
    // An apology moved the appointment to 20/01; on time is judged against the original 13/01.
    await add({
      agency: a.id,
      received: '2026-01-07',
      finished: '2026-01-16',
      due: '2026-01-20',
      originalDue: '2026-01-13',
      stars: 4,
    });
    await add({
      agency: a.id,
      received: '2026-01-08',
      finished: '2026-01-08',
      due: '2026-01-08',
      zalo: true,
      stars: 5,
    });
    await add({
      agency: a.id,
      received: '2026-01-09',
      finished: '2026-01-13',
      due: '2026-01-14',
      supplements: 1,
    });
    await add({ agency: a.id, received: '2026-01-12', due: '2026-01-15', zalo: true });
    // Agency B: 3 received, 3 ended, 2 rated: too few for any figure of its own.
    await add({
      agency: b.id,
      received: '2026-01-05',
      finished: '2026-01-06',
      due: '2026-01-08',
      zalo: true,
      stars: 1,
    });
    await add({ agency: b.id, received: '2026-01-06', finished: '2026-01-07', due: '2026-01-08', stars: 1 });
    await add({ agency: b.id, received: '2026-01-07', finished: '2026-01-20', due: '2026-01-09' });
  });
  after(() => t.close());

  /** The figures of a set of known dossiers, computed the long way (working days from the calendar). */
  const expected = async (ks: Known[]) => {
    const calendar = await loadCalendar(t.app);
    const workingDays = (from: string, to: string) => {
      let d = from;
      let count = 0;
      while (d < to) {
        d = calendar.nextWorkingDay(d);
        if (d <= to) {
          count++;
        }
      }
      return count;
    };
    const ended = ks.filter((k) => k.finished);
    const rated = ended.filter((k) => k.stars);
    const onTime = ended.filter((k) => k.finished! <= (k.originalDue ?? k.due) && (k.supplements ?? 0) <= 1);
    return {
      received: ks.length,
      resolved: ended.length,
      onTime: onTime.length,
      onTimeRate: Math.round((onTime.length / ended.length) * 1e4) / 1e4,
      avgProcessingWorkingDays:
        Math.round(
          (ended.reduce((s, k) => s + workingDays(k.received, k.finished!), 0) / ended.length) * 10,
        ) / 10,
      zaloReachedShare: Math.round((ks.filter((k) => k.zalo).length / ks.length) * 1e4) / 1e4,
      ratings: rated.length,
      satisfactionAverage: Math.round((rated.reduce((s, k) => s + k.stars!, 0) / rated.length) * 100) / 100,
      stars: [1, 2, 3, 4, 5].map((s) => rated.filter((k) => k.stars === s).length),
    };
  };
  const stats = (query: string) => t.server.inject({ url: `/api/public/stats?${query}` });

  it('equals the figures computed from the dossiers, per agency and for the province; small groups hidden', async () => {
    const first = await refreshPublicStats(t.app);
    assert.equal(first.full, true);
    const res = await stats('from=2026-01&to=2026-01');
    assert.equal(res.statusCode, 200, res.body);
    const rows = res.json().rows as Record<string, unknown>[];
    const province = rows.find((r) => r.agencyCode === null)!;
    const ofA = rows.find((r) => r.agencyCode === a.code)!;
    const ofB = rows.find((r) => r.agencyCode === b.code)!;
    const pick = (r: Record<string, unknown>) => ({
      received: r.received,
      resolved: r.resolved,
      onTime: r.onTime,
      onTimeRate: r.onTimeRate,
      avgProcessingWorkingDays: r.avgProcessingWorkingDays,
      zaloReachedShare: r.zaloReachedShare,
      ratings: r.ratings,
      satisfactionAverage: r.satisfactionAverage,
      stars: r.stars,
    });
    assert.deepEqual(pick(ofA), await expected(known.filter((k) => k.agency === a.id)));
    assert.deepEqual(pick(province), await expected(known));
    assert.equal(ofA.period, '2026-01');
    // Agency B's group is under 5 dossiers: not one figure of it.
    assert.deepEqual(Object.values(pick(ofB)), Array(9).fill(null));
    // Yearly period: the same sums.
    const yearly = (await stats('from=2026-01&to=2026-12&period=year')).json().rows;
    assert.deepEqual(pick(yearly.find((r: { agencyCode: string }) => r.agencyCode === a.code)), pick(ofA));
    // Nothing personal in the open data.
    assert.ok(!res.body.includes('Bí Mật') && !res.body.includes('riêng tư'));
  });

  it('refreshes incrementally: only the days touched since the last refresh are recomputed', async () => {
    // Beyond the refresh's overlap and its look-back for Zalo receipts.
    const later = 3 * 86_400_000;
    const catchUp = async () => {
      t.clock.advance(later);
      await refreshPublicStats(t.app);
      t.clock.advance(10 * 60_000);
    };
    await catchUp();
    await add({
      agency: b.id,
      received: '2026-01-08',
      finished: '2026-01-09',
      due: '2026-01-12',
      zalo: true,
      stars: 4,
    });
    await add({ agency: b.id, received: '2026-01-08', finished: '2026-01-09', due: '2026-01-12', stars: 5 });
    t.clock.advance(60_000);
    const r = await refreshPublicStats(t.app);
    assert.equal(r.full, false);
    assert.equal(r.pairs, 2, 'their reception day and their end day');
    const rows = (await stats('from=2026-01&to=2026-01')).json().rows;
    const ofB = rows.find((x: { agencyCode: string }) => x.agencyCode === b.code);
    const fromB = await expected(known.filter((k) => k.agency === b.id));
    assert.equal(ofB.received, 5);
    assert.equal(ofB.resolved, fromB.resolved);
    assert.equal(ofB.onTimeRate, fromB.onTimeRate);
    assert.equal(ofB.ratings, null, 'still fewer than 5 ratings');
    const province = rows.find((x: { agencyCode: string | null }) => x.agencyCode === null);
    assert.equal(province.received, known.length);
    assert.equal(province.satisfactionAverage, (await expected(known)).satisfactionAverage);
    // A rating changed later moves the figures of its dossier's end day only.
    await catchUp();
    await sql`update rating set stars = 5, rated_at = ${t.app.clock()}
      where dossier_id = (select id from dossier where code like '%-0002')`.execute(t.app.db);
    known[1]!.stars = 5;
    t.clock.advance(60_000);
    assert.equal((await refreshPublicStats(t.app)).pairs, 1);
    const after = (await stats('from=2026-01&to=2026-01')).json().rows;
    assert.equal(
      after.find((x: { agencyCode: string }) => x.agencyCode === a.code).satisfactionAverage,
      (await expected(known.filter((k) => k.agency === a.id))).satisfactionAverage,
    );
  });

  it('gives the same figures as CSV, hidden ones as empty cells', async () => {
    const res = await t.server.inject({ url: '/api/public/stats.csv?from=2026-01&to=2026-01' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/csv/);
    assert.match(
      res.headers['content-disposition'] as string,
      /attachment; filename="cong-khai-2026-01-2026-01.csv"/,
    );
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(
      lines[0],
      'period,agency_code,agency_name,received,resolved,on_time,on_time_rate,avg_processing_working_days,zalo_reached_share,ratings,satisfaction_average,stars_1,stars_2,stars_3,stars_4,stars_5',
    );
    const json = (await stats('from=2026-01&to=2026-01')).json().rows;
    assert.equal(lines.length, json.length + 1);
    const ofA = lines.find((l) => l.includes(a.code))!.split(',');
    const jsonA = json.find((x: { agencyCode: string }) => x.agencyCode === a.code);
    assert.equal(Number(ofA[3]), jsonA.received);
    assert.equal(Number(ofA[6]), jsonA.onTimeRate);
  });

  it('refuses a bad range with a reason', async () => {
    assert.equal((await stats('from=2026-05&to=2026-01')).statusCode, 400);
    assert.equal((await stats('from=2026-13')).statusCode, 400);
    assert.equal((await stats('from=2000-01&to=2026-01')).statusCode, 400);
    const unknown = await stats('agency=khong-co&from=2026-01&to=2026-01');
    assert.deepEqual(unknown.json().rows, []);
  });

  it('renders /cong-khai on the server: charts with their tables, no script, small groups as “—”', async () => {
    const res = await t.server.inject({ url: '/cong-khai?year=2026' });
    assert.equal(res.statusCode, 200);
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'none'/);
    assert.ok(!res.body.includes('<script'));
    for (const id of [
      'chart-volume',
      'chart-on-time',
      'chart-stars',
      'table-volume',
      'table-on-time',
      'table-stars',
      'table-agencies',
    ]) {
      assert.ok(res.body.includes(`id="${id}"`), id);
    }
    assert.ok(!res.body.includes('Bí Mật'));
    const one = await t.server.inject({ url: `/cong-khai?year=2026&agency=${encodeURIComponent(a.code)}` });
    assert.equal(one.statusCode, 200);
    assert.ok(one.body.includes('Bộ phận Một cửa xã An Phú · năm 2026'));
  });
});

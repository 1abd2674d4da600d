import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { STATUSES } from '../contracts/statuses.ts';
import { planNotifications } from '../notifications/plan-notifications.ts';
import { loginCookie } from '../test-support/app.ts';
import { buildOfficer } from '../test-support/factories.ts';
import { createFallbackDesk, type FallbackDesk } from '../test-support/fallback-desk.ts';
import { drainJobs } from '../test-support/jobs.ts';
import { INVITING_STATUSES, ratingSignature } from './rules.ts';

/**
 * Ratings end to end on real PostgreSQL, the in-process Zalo sandbox (real HTTP, signed webhooks), the SMS
 * sandbox and the mail catcher: the invitation once per dossier on each channel, Zalo's user_feedback and the
 * signed web page both recorded, replacement within 7 days, the leader's follow-up of a low rating.
 */
describe('ratings', () => {
  let f: FallbackDesk;
  let leader: string;
  let desk: string;
  before(async () => {
    f = await createFallbackDesk();
    const l = await buildOfficer(f.t.app, f.desk.agencyId, 'leader', 'Lãnh Đạo Thử');
    leader = await loginCookie(f.t.server, l.username, l.password);
    const o = await buildOfficer(f.t.app, f.desk.agencyId, 'desk_officer');
    desk = await loginCookie(f.t.server, o.username, o.password);
  });
  after(() => f.close());
  beforeEach(() => f.quietHoursOff());

  const move = async (code: string, body: Record<string, unknown>) => {
    const res = await f.t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/transitions`,
      headers: { authorization: f.key.authorization },
      payload: body,
    });
    assert.equal(res.statusCode, 200, res.body);
  };
  /** Received → processing → done → result handed over (the change that invites). */
  const finish = async (code: string) => {
    await move(code, { to: 4 });
    await move(code, { to: 9, resultSummary: 'Đã cấp giấy' });
    await move(code, { to: 10, method: 'direct', receiverName: 'Nguyễn Văn An' });
  };
  const sig = (code: string) => ratingSignature(f.t.app.config.secrets.lookupLink, code);
  const form = (payload: Record<string, string | string[]>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(payload)) {
      for (const x of [v].flat()) {
        p.append(k, x);
      }
    }
    return p.toString();
  };
  const post = (code: string, payload: Record<string, string | string[]>) =>
    f.t.server.inject({
      method: 'POST',
      url: `/danh-gia/${code}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(payload),
    });
  const ratingOf = (dossierId: number) =>
    f.t.app.db.selectFrom('rating').selectAll().where('dossier_id', '=', dossierId).executeTakeFirst();

  it('invites on statuses that end a dossier for the citizen: refused, stopped, result handed over', () => {
    for (const s of INVITING_STATUSES) {
      assert.ok(STATUSES[s].final, `status ${s} is final`);
    }
    assert.ok(!INVITING_STATUSES.includes(9), 'not before the result is handed over');
  });

  it('invites once on Zalo with the rating template; the citizen’s stars arrive as user_feedback', async () => {
    const d = await f.intake('0912 000 301');
    await finish(d.code);
    await f.settle(d.id, (ns) => ns.some((n) => n.template_id === '419005' && n.state !== 'queued'));
    const invitations = (await f.notifications(d.id)).filter((n) => n.template_id === '419005');
    assert.equal(invitations.length, 1, 'one rating template message');
    assert.equal(invitations[0]!.template_key, 'rating');
    // A replayed planning of the inviting change creates nothing more.
    const journal = await f.t.app.db
      .selectFrom('rating_invitation')
      .selectAll()
      .where('dossier_id', '=', d.id)
      .executeTakeFirstOrThrow();
    await planNotifications(f.t.app, {
      dossierId: d.id,
      journalId: journal.journal_id,
      fromStatus: 9,
      toStatus: 10,
    });
    assert.equal((await f.notifications(d.id)).filter((n) => n.template_id === '419005').length, 1);
    // Earlier status messages used the status template.
    assert.ok((await f.notifications(d.id)).filter((n) => n.template_id === '419001').length >= 3);

    const message = f.sandbox().messages.find((m) => m.trackingId?.endsWith(`-${invitations[0]!.id}`))!;
    assert.ok(message.rating, 'the simulated phone shows stars');
    const rate = (body: object) =>
      f.t.server.inject({
        method: 'POST',
        url: `/sandbox/api/phones/0912000301/messages/${message.msgId}/feedback`,
        headers: { cookie: f.admin },
        payload: body,
      });
    assert.equal(
      (await rate({ rate: 2, feedbacks: ['Phải đi lại nhiều lần'], note: 'Phải đến 3 lần' })).statusCode,
      200,
    );
    // The agency's one-stop software listens (to another event: nothing is sent, the events are recorded).
    const listening = await f.t.app.db
      .insertInto('callback_subscription')
      .values({
        agency_id: f.desk.agencyId,
        api_key_id: f.key.id,
        url: 'https://motcua.example.gov.vn/hooks',
        events: sql<string[]>`array['citizen.followed_dossier']::text[]`,
        secret_enc: 'unused',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await drainJobs(f.t.app.db, f.work, { until: async () => (await ratingOf(d.id)) !== undefined });
    let r = await ratingOf(d.id);
    assert.equal(r!.channel, 'zalo');
    assert.equal(r!.stars, 2);
    assert.deepEqual(r!.reasons, ['di_lai_nhieu_lan']);
    assert.equal(r!.comment, 'Phải đến 3 lần');
    assert.equal(r!.zalo_msg_id, message.msgId);

    // Changed on the phone a moment later: the second submission replaces the first.
    await new Promise((res) => setTimeout(res, 5));
    assert.equal((await rate({ rate: 4, feedbacks: ['Đúng hẹn'], note: '' })).statusCode, 200);
    await drainJobs(f.t.app.db, f.work, { until: async () => (await ratingOf(d.id))?.stars === 4 });
    r = await ratingOf(d.id);
    assert.equal(r!.revisions, 1);
    assert.deepEqual(r!.reasons, ['dung_hen']);
    const events = await f.t.app.db
      .selectFrom('zalo_event')
      .select('outcome')
      .where('event_name', '=', 'user_feedback')
      .execute();
    assert.deepEqual(events.map((e) => e.outcome).sort(), ['feedback:recorded', 'feedback:replaced']);
    // Both are events for the connected one-stop software (src/connector: callbacks and the pull feed).
    const rated = await f.t.app.db
      .selectFrom('integration_event')
      .select('data')
      .where('dossier_id', '=', d.id)
      .where('type', '=', 'citizen.rated_dossier')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rated.map((e) => {
        const x = e.data as { stars: number; channel: string; comment: string; revision: number };
        return [x.stars, x.channel, x.comment, x.revision];
      }),
      [
        [2, 'zalo', 'Phải đến 3 lần', 0],
        [4, 'zalo', '', 1],
      ],
    );
    await f.t.app.db
      .updateTable('callback_subscription')
      .set({ active: false })
      .where('id', '=', listening.id)
      .execute();
  });

  it('invites once by SMS and e-mail with a signed link when the number is not on Zalo', async () => {
    f.sandbox().phones.set('84987000302', { onZalo: false });
    const d = await f.intake('0987 000 302', { email: 'tran.binh@example.vn' });
    await finish(d.code);
    const link = `https://motcua.test/danh-gia/${d.code}?sig=${sig(d.code)}`;
    await f.settle(d.id, (ns) => ns.some((n) => n.channel === 'email' && n.rendered.includes(link)));
    const ns = await f.notifications(d.id);
    const withLink = (channel: string) =>
      ns.filter((n) => n.channel === channel && n.rendered.includes('/danh-gia/'));
    assert.equal(withLink('sms').length, 1, 'one SMS invites');
    assert.ok(withLink('sms')[0]!.rendered.includes(link));
    assert.equal(withLink('email').length, 1, 'one e-mail invites');
  });

  it('records the web page’s rating, replaces it within 7 days, refuses later; low ratings reach the leader', async () => {
    const d = await f.intake('0912 000 303');
    // Not ended yet: no rating.
    const early = await f.t.server.inject({ url: `/danh-gia/${d.code}?sig=${sig(d.code)}` });
    assert.equal(early.statusCode, 409);
    assert.match(early.body, /chưa kết thúc/);
    await finish(d.code);

    const bad = await f.t.server.inject({ url: `/danh-gia/${d.code}?sig=AAAAAAAAAAAAAAAAAAAAAA` });
    assert.equal(bad.statusCode, 403);
    const page = await f.t.server.inject({ url: `/danh-gia/${d.code}?sig=${sig(d.code)}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-security-policy'] as string, /default-src 'none'/);
    assert.ok(!page.body.includes('Nguyễn Văn'), 'nothing personal on the page');
    assert.ok(page.body.includes(d.code));

    const first = await post(d.code, {
      sig: sig(d.code),
      stars: '1',
      reasons: ['di_lai_nhieu_lan', 'thai_do_can_bo', 'not-a-reason'],
      comment: '<script>alert(1)</script> Cán bộ hướng dẫn chưa rõ',
    });
    assert.equal(first.statusCode, 200, first.body);
    assert.match(first.body, /Đã ghi nhận đánh giá 1 sao/);
    let r = await ratingOf(d.id);
    assert.equal(r!.channel, 'web');
    assert.deepEqual(r!.reasons, ['thai_do_can_bo', 'di_lai_nhieu_lan']);
    // The comment shows escaped when the page is opened again.
    const again = await f.t.server.inject({ url: `/danh-gia/${d.code}?sig=${sig(d.code)}` });
    assert.ok(again.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!again.body.includes('<script>alert'));

    // The leader's item.
    const items = await f.t.server.inject({ url: '/api/ratings/follow-ups', headers: { cookie: leader } });
    assert.equal(items.statusCode, 200);
    const item = items.json().items.find((i: { code: string }) => i.code === d.code);
    assert.equal(item.stars, 1);
    assert.equal(item.answer, null);
    const forbidden = await f.t.server.inject({ url: '/api/ratings/follow-ups', headers: { cookie: desk } });
    assert.equal(forbidden.statusCode, 403);
    const answer = (text: string) =>
      f.t.server.inject({
        method: 'POST',
        url: `/api/ratings/follow-ups/${d.code}/answer`,
        headers: { cookie: leader },
        payload: { answer: text },
      });
    assert.equal((await answer('Đã gọi điện xin lỗi và nhắc nhở cán bộ.')).statusCode, 200);
    assert.equal((await answer('Lần hai')).statusCode, 409);
    const audit = await f.t.app.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'rating.answer')
      .where('target_id', '=', d.code)
      .execute();
    assert.equal(audit.length, 1);
    const view = await f.t.server.inject({
      url: `/api/dossiers/${d.code}/rating`,
      headers: { cookie: desk },
    });
    assert.equal(view.statusCode, 200);
    assert.equal(view.json().rating.stars, 1);
    assert.equal(view.json().followUp.answer, 'Đã gọi điện xin lỗi và nhắc nhở cán bộ.');
    assert.equal(view.json().followUp.answeredBy, 'Lãnh Đạo Thử');

    // Six days later: replaced. Eight days after the first: refused, the rating stays.
    f.t.clock.advance(6 * 86_400_000);
    const second = await post(d.code, { sig: sig(d.code), stars: '3', comment: '' });
    assert.match(second.body, /Đã cập nhật đánh giá 3 sao/);
    r = await ratingOf(d.id);
    assert.equal(r!.stars, 3);
    assert.equal(r!.revisions, 1);
    f.t.clock.advance(2 * 86_400_000);
    const late = await post(d.code, { sig: sig(d.code), stars: '5' });
    assert.equal(late.statusCode, 409);
    assert.equal((await ratingOf(d.id))!.stars, 3);
    f.t.clock.advance(-8 * 86_400_000);

    // A form without stars, or a tampered signature, records nothing.
    assert.equal((await post(d.code, { sig: sig(d.code) })).statusCode, 400);
    assert.equal((await post(d.code, { sig: 'x', stars: '5' })).statusCode, 403);
  });

  it('shows the agency’s satisfaction on the dashboard, per officer to leaders only', async () => {
    const forLeader = await f.t.server.inject({ url: '/api/ratings/summary', headers: { cookie: leader } });
    assert.equal(forLeader.statusCode, 200);
    const s = forLeader.json();
    assert.ok(s.overall.ratings >= 2);
    assert.equal(
      s.overall.stars.reduce((a: number, b: number) => a + b, 0),
      s.overall.ratings,
    );
    assert.ok(Array.isArray(s.byOfficer));
    assert.ok(s.byProcedure.length >= 1);
    const forDesk = await f.t.server.inject({ url: '/api/ratings/summary', headers: { cookie: desk } });
    assert.equal(forDesk.json().byOfficer, null);
  });
});

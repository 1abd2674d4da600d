import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ratingSignature } from '../ratings/rules.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { startCallbackReceiver } from '../test-support/callback-receiver.ts';
import { buildAgency, buildApiKey, buildProcedure } from '../test-support/factories.ts';
import { sendDueCallbacks } from './callback-lane.ts';
import { SIGNATURE_HEADER, verifyCallback } from './signature.ts';

/**
 * The citizen's rating reaches the connected one-stop software: rated on the web page (and replaced), it is a
 * signed `citizen.rated_dossier` callback in order after the dossier's other events, and an item of the feed.
 */
describe('the citizen’s rating as a callback event', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let secret: string;
  const CODE = '000.00.21.H53-260309-0001';
  const api = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    t.server.inject({
      method,
      url,
      headers: { authorization: key.authorization },
      ...(payload ? { payload } : {}),
    });
  const rate = (fields: [string, string][]) =>
    t.server.inject({
      method: 'POST',
      url: `/danh-gia/${CODE}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([
        ['sig', ratingSignature(t.app.config.secrets.lookupLink, CODE)],
        ...fields,
      ]).toString(),
    });
  /**
   * Sends until `calls` callbacks arrived. A delivery is claimed only once every older transaction ended (in
   * order, never overtaken), so one held back by another test's open transaction is waited for.
   */
  const drain = async (calls: number) => {
    const deadline = Date.now() + 10_000;
    while (receiver.calls.length < calls && Date.now() < deadline) {
      while ((await sendDueCallbacks(t.app)) > 0) {}
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  before(async () => {
    t = await createTestApp();
    receiver = await startCallbackReceiver();
    const agency = await buildAgency(t.app, { code: '000.00.21.H53', deskMode: 'connected' });
    key = await buildApiKey(t.app, agency.id);
    const procedureCode = (await buildProcedure(t.app, [agency.id])).code;
    const sub = await api('POST', '/api/v1/callbacks', {
      url: receiver.url,
      events: ['citizen.followed_dossier', 'citizen.rated_dossier'],
    });
    assert.equal(sub.statusCode, 201, sub.body);
    secret = sub.json().secret;
    const put = await api('PUT', `/api/v1/dossiers/${CODE}`, {
      procedureCode,
      receivedAt: '2026-03-09T08:00:00+07:00',
      applicant: { fullName: 'Lê Văn Cường', phone: '0912000111' },
    });
    assert.equal(put.statusCode, 201, put.body);
    // The external system hands the result over: the dossier ends and the citizen is invited to rate.
    const done = await api('POST', `/api/v1/dossiers/${CODE}/status`, {
      status: 10,
      at: t.clock.now().toISOString(),
      eventId: 'ext-handed-over',
    });
    assert.equal(done.json().outcome, 'applied', done.body);
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });

  it('sends the web page’s rating, then its replacement, signed and in order', async () => {
    const first = await rate([
      ['stars', '2'],
      ['reasons', 'di_lai_nhieu_lan'],
      ['reasons', 'tre_hen'],
      ['comment', 'Phải đến ba lần mới nhận được kết quả'],
    ]);
    assert.equal(first.statusCode, 200, first.body);
    t.clock.advance(60_000);
    const second = await rate([
      ['stars', '4'],
      ['reasons', 'huong_dan_ro_rang'],
      ['comment', ''],
    ]);
    assert.equal(second.statusCode, 200, second.body);
    await drain(2);

    const bodies = receiver.calls.map((c) => JSON.parse(c.body));
    assert.deepEqual(
      bodies.map((b) => b.type),
      ['citizen.rated_dossier', 'citizen.rated_dossier'],
    );
    for (const call of receiver.calls) {
      assert.ok(
        verifyCallback(
          secret,
          call.headers[SIGNATURE_HEADER] as string,
          call.body,
          t.clock.now().getTime() / 1000,
        ),
        'signed with the subscription’s secret',
      );
    }
    assert.equal(bodies[0].dossierCode, CODE);
    assert.deepEqual(bodies[0].data, {
      stars: 2,
      reasons: ['di_lai_nhieu_lan', 'tre_hen'],
      comment: 'Phải đến ba lần mới nhận được kết quả',
      channel: 'web',
      ratedAt: bodies[0].data.ratedAt,
      firstRatedAt: bodies[0].data.ratedAt,
      revision: 0,
    });
    assert.equal(new Date(bodies[0].data.ratedAt).getTime(), t.clock.now().getTime() - 60_000);
    assert.equal(bodies[1].data.stars, 4);
    assert.deepEqual(bodies[1].data.reasons, ['huong_dan_ro_rang']);
    assert.equal(bodies[1].data.comment, '');
    assert.equal(bodies[1].data.revision, 1);
    assert.equal(bodies[1].data.firstRatedAt, bodies[0].data.ratedAt);
  });

  it('is an item of the pull feed too', async () => {
    const feed = await api('GET', '/api/v1/events?limit=100');
    assert.equal(feed.statusCode, 200, feed.body);
    const rated = (feed.json().items as { type: string; data: { stars: number } }[]).filter(
      (e) => e.type === 'citizen.rated_dossier',
    );
    assert.deepEqual(
      rated.map((e) => e.data.stars),
      [2, 4],
    );
  });
});

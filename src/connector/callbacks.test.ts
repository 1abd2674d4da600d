import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import { startCallbackReceiver } from '../test-support/callback-receiver.ts';
import { eventsReleased } from '../test-support/events-released.ts';
import { buildAgency, buildApiKey, buildOfficer, buildProcedure } from '../test-support/factories.ts';
import { pruneCallbackHistory, sendDueCallbacks } from './callback-lane.ts';
import { SIGNATURE_HEADER, verifyCallback } from './signature.ts';

/**
 * Callbacks from the outbox to a local receiver that fails, times out and recovers: retried with backoff, in
 * order per dossier, signed, logged, given up after 24 h and resent by an administrator.
 */
describe('callbacks to the external system', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let secret: string;
  let dossierId: number;
  let adminCookie: string;
  let admin: Awaited<ReturnType<typeof buildOfficer>>;
  const CODE = '000.00.21.H51-260309-0001';

  const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.server.inject({
      method,
      url,
      headers: { authorization: key.authorization },
      ...(payload ? { payload } : {}),
    });
  const deliveries = () => t.app.db.selectFrom('callback_delivery').selectAll().orderBy('id').execute();
  /**
   * Sends until nothing is due. A delivery is claimed only once every transaction older than it has ended
   * (in order, never overtaken), so one held back by another connection's open transaction is waited for —
   * on a loaded machine another test file's transaction may run for long, hence the generous bound, after
   * which the test fails naming what was still due.
   */
  const drain = async (timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while ((await sendDueCallbacks(t.app)) > 0) {}
      const all = await deliveries();
      const pending = all.filter((d) => d.state === 'pending');
      const due = pending.filter(
        (d) =>
          (d.next_attempt_at === null || new Date(d.next_attempt_at) <= t.clock.now()) &&
          !d.claimed_until &&
          // Not waiting behind an earlier one of its dossier (sent in order).
          !pending.some(
            (e) => e.subscription_id === d.subscription_id && e.dossier_id === d.dossier_id && e.id < d.id,
          ),
      );
      if (due.length === 0) {
        return;
      }
      if (Date.now() > deadline) {
        const what = due.map((d) => `#${d.id} (event ${d.event_id}, tx ${d.tx}, attempts ${d.attempts})`);
        throw new Error(`callbacks still due after ${timeoutMs / 1000} s: ${what.join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  /** A message of the dossier going through its states, as the dispatcher and receipts write them. */
  const message = async (states: { state: 'sent' | 'delivered' | 'failed'; error?: [number, string] }[]) => {
    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .select(['id', 'seq'])
      .where('dossier_id', '=', dossierId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const n = await t.app.db
      .insertInto('notification')
      .values({
        dossier_id: dossierId,
        journal_id: journal.id,
        journal_seq: journal.seq,
        channel: 'zalo_phone',
        recipient: `8491234${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}`,
        template_key: 'status',
        payload: '{}',
        state: 'queued',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const s of states) {
      await t.app.db
        .updateTable('notification')
        .set({ state: s.state, error_code: s.error?.[0] ?? null, error_message: s.error?.[1] ?? null })
        .where('id', '=', n.id)
        .execute();
    }
    return n.id;
  };

  before(async () => {
    t = await createTestApp({ env: { CALLBACK_TIMEOUT_MS: '300' } });
    receiver = await startCallbackReceiver();
    const agency = await buildAgency(t.app, { code: '000.00.21.H51', deskMode: 'connected' });
    key = await buildApiKey(t.app, agency.id);
    admin = await buildOfficer(t.app, agency.id, 'admin');
    adminCookie = await loginCookie(t.server, admin.username, admin.password);
    const procedureCode = (await buildProcedure(t.app, [agency.id])).code;
    const sub = await api('POST', '/api/v1/callbacks', {
      url: receiver.url,
      events: [
        'notification.sent',
        'notification.delivered',
        'notification.failed',
        'citizen.followed_dossier',
      ],
    });
    assert.equal(sub.statusCode, 201, sub.body);
    secret = sub.json().secret;
    assert.match(secret, /^whsec_/);
    const put = await api('PUT', `/api/v1/dossiers/${CODE}`, {
      procedureCode,
      receivedAt: '2026-03-09T08:00:00+07:00',
      applicant: { fullName: 'Lê Văn Cường', phone: '0912000111' },
      notifyByZalo: true,
    });
    assert.equal(put.statusCode, 201, put.body);
    dossierId = put.json().id;
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });

  it('queues a delivery in the same transaction as the message state that causes it', async () => {
    await message([{ state: 'sent' }, { state: 'delivered' }]);
    await message([{ state: 'failed', error: [-124, 'Người dùng không tồn tại hoặc không dùng Zalo'] }]);
    const queued = await deliveries();
    assert.equal(queued.length, 3);
    assert.ok(queued.every((d) => d.state === 'pending'));
    const events = await t.app.db
      .selectFrom('integration_event')
      .select(['type', 'data'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((e) => e.type),
      ['notification.sent', 'notification.delivered', 'notification.failed'],
    );
    assert.equal((events[2]!.data as { errorCode: number }).errorCode, -124);
    assert.match(String((events[2]!.data as { errorMessage: string }).errorMessage), /không dùng Zalo/);
  });

  it('retries a receiver that fails, then times out, and delivers in order when it recovers', async () => {
    receiver.set('fail');
    await drain();
    assert.equal(receiver.calls.length, 1, 'only the first of the dossier is tried: in order');
    let [first, second] = await deliveries();
    assert.equal(first!.attempts, 1);
    assert.equal(first!.last_status, 500);
    assert.equal(first!.state, 'pending');
    assert.equal(second!.attempts, 0);
    assert.ok(first!.next_attempt_at);

    // Not due yet: nothing is sent before the backoff ends.
    await drain();
    assert.equal(receiver.calls.length, 1);

    receiver.set('hang');
    t.clock.advance(5_000);
    await drain();
    assert.equal(receiver.calls.length, 2);
    [first] = await deliveries();
    assert.equal(first!.attempts, 2);
    assert.equal(first!.last_status, null);
    assert.match(String(first!.last_error), /no answer within 300 ms/);
    assert.ok(
      new Date(first!.next_attempt_at!).getTime() - t.clock.now().getTime() >= 9_000,
      'backoff doubles',
    );

    receiver.set('ok');
    t.clock.advance(10_000);
    await drain();
    const all = await deliveries();
    assert.deepEqual(
      all.map((d) => d.state),
      ['delivered', 'delivered', 'delivered'],
    );
    const types = receiver.calls.slice(2).map((c) => JSON.parse(c.body).type);
    assert.deepEqual(types, ['notification.sent', 'notification.delivered', 'notification.failed']);
  });

  it('signs every call: HMAC-SHA256 of timestamp and body, which the receiver verifies', async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    for (const call of receiver.calls) {
      const header = call.headers[SIGNATURE_HEADER] as string;
      assert.ok(verifyCallback(secret, header, call.body, now), header);
      assert.equal(
        verifyCallback(secret, header, call.body.replace('notification', 'notificatioN'), now),
        false,
      );
      assert.equal(verifyCallback('whsec_other', header, call.body, now), false);
      assert.equal(verifyCallback(secret, header, call.body, now + 3600), false, 'an old call is refused');
    }
    const body = JSON.parse(receiver.calls.at(-1)!.body);
    assert.equal(body.dossierCode, CODE);
    assert.equal(receiver.calls.at(-1)!.headers['x-motcua-event-id'], body.id);
  });

  it('tells of citizens who follow the dossier', async () => {
    await t.app.db
      .insertInto('dossier_follower')
      .values({ dossier_id: dossierId, zalo_user_id: 'zuid-1' })
      .execute();
    await drain();
    assert.equal(JSON.parse(receiver.calls.at(-1)!.body).type, 'citizen.followed_dossier');
  });

  it('serves the same events to systems that pull them, with a cursor', async () => {
    // The feed serves an event only once every transaction on the PostgreSQL server that began before it has
    // ended, and the server is shared with the other test files running at the same time: wait for that, as
    // a puller would by pulling again, rather than expect it at once.
    await eventsReleased(t.app);
    const page1 = await api('GET', '/api/v1/events?limit=2');
    assert.equal(page1.statusCode, 200, page1.body);
    assert.deepEqual(
      page1.json().items.map((e: { type: string }) => e.type),
      ['notification.sent', 'notification.delivered'],
    );
    const page2 = await api('GET', `/api/v1/events?after=${page1.json().nextCursor}`);
    assert.deepEqual(
      page2.json().items.map((e: { type: string }) => e.type),
      ['notification.failed', 'citizen.followed_dossier'],
    );
    const page3 = await api('GET', `/api/v1/events?after=${page2.json().nextCursor}`);
    assert.deepEqual(page3.json().items, []);
    assert.equal(page3.json().nextCursor, page2.json().nextCursor);
    const bad = await api('GET', '/api/v1/events?after=garbage');
    assert.equal(bad.statusCode, 400);
  });

  it('gives up after 24 h with an alert, and an administrator resends from the delivery log', async () => {
    receiver.set('fail');
    await message([{ state: 'sent' }]);
    await drain();
    t.clock.advance(25 * 3600_000);
    await drain();
    adminCookie = await loginCookie(t.server, admin.username, admin.password);
    const log = await t.server.inject({
      url: '/api/admin/connector/deliveries?state=given_up',
      headers: { cookie: adminCookie },
    });
    assert.equal(log.statusCode, 200, log.body);
    const [given] = log.json().items;
    assert.equal(given.type, 'notification.sent');
    assert.equal(given.attempts, 2);
    const alert = await t.app.db
      .selectFrom('app_alert')
      .select('key')
      .where('key', '=', 'callback.given_up')
      .executeTakeFirst();
    assert.ok(alert);

    receiver.set('ok');
    const calls = receiver.calls.length;
    const resend = await t.server.inject({
      method: 'POST',
      url: `/api/admin/connector/deliveries/${given.id}/resend`,
      headers: { cookie: adminCookie },
    });
    assert.equal(resend.statusCode, 200, resend.body);
    await drain();
    assert.equal(receiver.calls.length, calls + 1);
    const after = await t.app.db
      .selectFrom('callback_delivery')
      .selectAll()
      .where('id', '=', given.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.state, 'delivered');
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'callback.resend')
      .execute();
    assert.equal(audit.length, 1);
  });

  it('forgets finished deliveries and events after 30 days, never a pending one', async () => {
    receiver.set('fail');
    await message([{ state: 'sent' }]);
    await drain();
    const pendingBefore = (await deliveries()).filter((d) => d.state === 'pending').length;
    assert.equal(pendingBefore, 1);
    t.clock.set(new Date(Date.now() + 31 * 86_400_000));
    await pruneCallbackHistory(t.app);
    const left = await deliveries();
    assert.deepEqual(
      left.map((d) => d.state),
      ['pending'],
    );
    const events = await t.app.db.selectFrom('integration_event').select('id').execute();
    assert.deepEqual(
      events.map((e) => e.id),
      [left[0]!.event_id],
    );
    await t.app.db.updateTable('callback_delivery').set({ state: 'given_up' }).execute();
    receiver.set('ok');
  });

  it('stops queuing for a deleted subscription', async () => {
    const [sub] = (await api('GET', '/api/v1/callbacks')).json();
    const del = await api('DELETE', `/api/v1/callbacks/${sub.id}`);
    assert.equal(del.statusCode, 204);
    const before = (await deliveries()).length;
    await message([{ state: 'sent' }]);
    assert.equal((await deliveries()).length, before);
  });
});

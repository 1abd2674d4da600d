import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loginCookie } from '../test-support/app.ts';
import { startCallbackReceiver } from '../test-support/callback-receiver.ts';
import { buildOfficer } from '../test-support/factories.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { sendDueCallbacks } from './callback-lane.ts';
import { SIGNATURE_HEADER, verifyCallback } from './signature.ts';

/**
 * A connected agency fed end to end through the API, on the in-process Zalo sandbox over real HTTP: the
 * external system's code reaches the citizen's phone (the phone simulator's thread) and the look-up page, the
 * message states come back as signed callbacks.
 */
describe('connected agency end to end (Zalo sandbox)', () => {
  let desk: ZaloDesk;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let secret: string;
  let officerCookie: string;
  const CODE = '000.00.12.H34-260309-0777';
  const PHONE = '0912 777 001';

  const api = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    desk.t.server.inject({
      method,
      url,
      headers: { authorization: desk.key.authorization },
      ...(payload ? { payload } : {}),
    });
  const work = async () => {
    await desk.work();
    while ((await sendDueCallbacks(desk.t.app)) > 0) {}
  };
  const thread = async () => {
    const res = await desk.t.server.inject({
      url: '/sandbox/api/phones/0912777001',
      headers: { cookie: officerCookie },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().messages as { text: string; templateData?: Record<string, string> }[];
  };

  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    receiver = await startCallbackReceiver();
    await desk.t.app.db
      .updateTable('agency')
      .set({ desk_mode: 'connected' })
      .where('id', '=', desk.agencyId)
      .execute();
    const officer = await buildOfficer(desk.t.app, desk.agencyId, 'desk_officer');
    officerCookie = await loginCookie(desk.t.server, officer.username, officer.password);
    const sub = await api('POST', '/api/v1/callbacks', {
      url: receiver.url,
      events: ['notification.sent', 'notification.delivered', 'notification.failed'],
    });
    assert.equal(sub.statusCode, 201, sub.body);
    secret = sub.json().secret;
  });
  after(async () => {
    await receiver.close();
    await desk.t.close();
  });

  it('tells the citizen on Zalo with the external code, and calls the external system back', async () => {
    const put = await api('PUT', `/api/v1/dossiers/${CODE}`, {
      procedureCode: desk.procedureCode,
      receivedAt: new Date().toISOString(),
      applicant: { fullName: 'Phạm Thị Dung', phone: PHONE },
      notifyByZalo: true,
    });
    assert.equal(put.statusCode, 201, put.body);
    const dossierId = put.json().id as number;
    await desk.settle(dossierId, (ns) => ns.length === 1 && ns[0]!.state === 'delivered');
    const messages = await thread();
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.templateData?.ma_ho_so, CODE);

    const processing = await api('POST', `/api/v1/dossiers/${CODE}/status`, {
      status: 4,
      at: new Date().toISOString(),
      eventId: 'ext-1001',
    });
    assert.equal(processing.json().outcome, 'applied');
    // An older event arriving late: journaled, and the citizen gets no outdated message.
    const late = await api('POST', `/api/v1/dossiers/${CODE}/status`, {
      status: 5,
      at: new Date(Date.now() - 3600_000).toISOString(),
      eventId: 'ext-1000',
    });
    assert.equal(late.json().outcome, 'journaled_late');
    await desk.settle(dossierId, (ns) => ns.length === 2 && ns.every((n) => n.state === 'delivered'));
    const after = await thread();
    assert.equal(after.length, 2);
    assert.equal(after[1]!.templateData?.ma_ho_so, CODE);
    assert.equal(after[1]!.templateData?.trang_thai, 'Đang xử lý');

    const deadline = Date.now() + 10_000;
    while (receiver.calls.length < 4 && Date.now() < deadline) {
      await work();
      await new Promise((r) => setTimeout(r, 20));
    }
    const types = receiver.calls.map((c) => JSON.parse(c.body).type as string);
    assert.deepEqual(types, [
      'notification.sent',
      'notification.delivered',
      'notification.sent',
      'notification.delivered',
    ]);
    for (const call of receiver.calls) {
      assert.ok(
        verifyCallback(secret, call.headers[SIGNATURE_HEADER] as string, call.body, Date.now() / 1000),
      );
      assert.equal(JSON.parse(call.body).dossierCode, CODE);
    }
  });

  it('shows the external code and status on the look-up page of their receipt QR', async () => {
    const link = await api('GET', `/api/v1/dossiers/${CODE}/lookup-link`);
    const url = new URL(link.json().url);
    const page = await desk.t.server.inject({ url: url.pathname + url.search });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /000\.00\.12\.H34-260309-0777/);
    assert.match(page.body, /Đang xử lý/);
  });
});

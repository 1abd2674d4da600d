import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_API_KEY } from '../../src/demo/demo-catalogue.ts';
import { startCallbackReceiver } from '../../src/test-support/callback-receiver.ts';
import { browserOrSkip, e2eSuite, login, screenshot } from './support.ts';

/**
 * The administrator connects the agency to the province's one-stop software in a real browser; the desk
 * officer then sees dossiers but no receive or move actions; the citizen's phone (the simulator) shows the
 * external code; a failed callback is resent from the delivery log.
 */
describe('connected one-stop software in the officer app (Chromium)', () => {
  const { server, browser, newPage } = e2eSuite();
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const CODE = '000.00.01.H50-261207-0555';
  const api = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  before(async () => {
    receiver = await startCallbackReceiver();
  });
  after(async () => {
    await receiver?.close();
  });

  it('connects the agency, hides receive and move actions, and resends a failed callback', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const admin = await newPage({ username: 'quantri' });
    await admin.goto(`${server.baseUrl}/quan-tri`);
    const receiveMenuItem = (page: typeof admin) =>
      page.getByRole('menuitem').filter({ hasText: 'Tiếp nhận hồ sơ' });
    await admin.getByRole('tab', { name: 'Kết nối phần mềm một cửa' }).click();
    await admin.getByTestId('desk-mode').getByText('Một cửa vận hành trên phần mềm này').waitFor();
    await receiveMenuItem(admin).waitFor();
    await admin.getByRole('button', { name: 'Chuyển sang kết nối phần mềm một cửa của tỉnh' }).click();
    await admin.getByRole('button', { name: 'Đổi' }).click();
    await admin.getByTestId('desk-mode').getByText('Kết nối phần mềm một cửa của tỉnh').waitFor();
    // Dossiers are now received in the province's software: the menu no longer offers it.
    await receiveMenuItem(admin).waitFor({ state: 'detached' });

    receiver.set('fail');
    const sub = await api('POST', '/api/v1/callbacks', {
      url: receiver.url,
      events: ['citizen.followed_dossier'],
    });
    assert.equal(sub.status, 201);
    const put = await api('PUT', `/api/v1/dossiers/${CODE}`, {
      procedureCode: '1.004873',
      receivedAt: new Date().toISOString(),
      applicant: { fullName: 'Đặng Thị Hạnh', phone: '0912 000 555' },
      notifyByZalo: true,
    });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    await server.app.db
      .insertInto('dossier_follower')
      .values({ dossier_id: put.body.id, zalo_user_id: 'uid-e2e' })
      .execute();
    const deadline = Date.now() + 20_000;
    while (receiver.calls.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(receiver.calls.length, 1);

    const officer = await (await (await browser()).newContext({ locale: 'vi-VN' })).newPage();
    await login(officer, server.baseUrl, 'tiepnhan');
    // A desk officer of a connected agency starts on the list, with no "Tiếp nhận hồ sơ" in the menu…
    await officer.waitForURL(/\/ho-so$/);
    await officer.getByRole('menuitem').filter({ hasText: 'Danh sách hồ sơ' }).waitFor();
    assert.equal(await receiveMenuItem(officer).count(), 0);
    // …and a typed /tiep-nhan shows where dossiers are received instead of the form.
    await officer.goto(`${server.baseUrl}/tiep-nhan`);
    await officer.getByText('Tiếp nhận trên phần mềm một cửa của tỉnh').waitFor();
    assert.equal(await receiveMenuItem(officer).count(), 0);
    await officer.goto(`${server.baseUrl}/ho-so/${CODE}`);
    await officer.getByText('Hồ sơ được chuyển trạng thái trên phần mềm một cửa của tỉnh.').waitFor();
    assert.equal(await officer.getByRole('button', { name: 'Bắt đầu xử lý' }).count(), 0);
    await screenshot(officer, 'connector-officer-detail');

    // The citizen's phone (the built-in simulator) got the "received" message with the external code.
    await officer.goto(`${server.baseUrl}/sandbox/phone`);
    await officer.getByLabel('Số điện thoại').fill('0912 000 555');
    await officer.getByRole('button', { name: 'Mở Zalo' }).click();
    await officer.getByText(CODE).first().waitFor({ timeout: 20_000 });
    await screenshot(officer, 'connector-phone');

    await admin.reload();
    await admin.getByRole('tab', { name: 'Kết nối phần mềm một cửa' }).click();
    const row = admin.getByRole('row').filter({ hasText: CODE });
    await row.getByText('Đang chờ gửi').waitFor();
    await row.getByText('HTTP 500').waitFor();
    await screenshot(admin, 'connector-admin');
    receiver.set('ok');
    const failedCalls = receiver.calls.length;
    await row.getByRole('button', { name: 'Gửi lại' }).click();
    await admin.getByText('Đã đưa vào hàng đợi gửi lại.').waitFor();
    // Sent again at once, not at the end of the backoff.
    await row.getByText('Đã gửi').waitFor({ timeout: 15_000 });
    // At least the resend (the backoff's own retry may also have come due meanwhile, now answered too).
    assert.ok(receiver.calls.length > failedCalls, 'the resend reached the receiver');
    assert.equal(JSON.parse(receiver.calls.at(-1)!.body).type, 'citizen.followed_dossier');
    const audit = await server.app.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'in', ['agency.desk_mode', 'callback.resend'])
      .execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['agency.desk_mode', 'callback.resend']);
  });
});

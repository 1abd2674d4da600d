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

describe('officer sessions, API keys and agency scoping', () => {
  let t: TestApp;
  let agencyA: Awaited<ReturnType<typeof buildAgency>>;
  let agencyB: Awaited<ReturnType<typeof buildAgency>>;
  let deskA: Awaited<ReturnType<typeof buildOfficer>>;
  let deskB: Awaited<ReturnType<typeof buildOfficer>>;
  let codeA: string;

  before(async () => {
    t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
    agencyA = await buildAgency(t.app, { name: 'Một cửa A' });
    agencyB = await buildAgency(t.app, { name: 'Một cửa B' });
    deskA = await buildOfficer(t.app, agencyA.id, 'desk_officer', 'Cán bộ A');
    deskB = await buildOfficer(t.app, agencyB.id, 'desk_officer', 'Cán bộ B');
    const proc = await buildProcedure(t.app, [agencyA.id, agencyB.id]);
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { cookie: await loginCookie(t.server, deskA.username, deskA.password) },
      payload: intakeBody(proc.code),
    });
    codeA = res.json().code;
  });
  after(() => t.close());

  it('logs in with an HTTP-only, SameSite cookie and tells who is signed in', async () => {
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: deskA.username.toUpperCase(), password: deskA.password },
    });
    assert.equal(res.statusCode, 200);
    const cookie = res.cookies.find((c) => c.name === 'motcua_session')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.secure, true, 'PUBLIC_BASE_URL is https in tests');
    const me = await t.server.inject({
      url: '/api/auth/me',
      headers: { cookie: `motcua_session=${cookie.value}` },
    });
    assert.equal(me.json().fullName, 'Cán bộ A');
    assert.equal(me.json().agency.id, agencyA.id);
    // What officers tell citizens to search for in Zalo, from the province in the database.
    assert.equal(me.json().oaName, 'Dịch vụ công tỉnh Quảng Trị');
  });

  it('rejects a wrong password with a Vietnamese message, then rate-limits', async () => {
    const officer = await buildOfficer(t.app, agencyA.id);
    const attempt = (password: string) =>
      t.server.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: officer.username, password },
      });
    for (let i = 0; i < 3; i++) {
      const res = await attempt('sai-mat-khau-1');
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().userMessage, 'Tên đăng nhập hoặc mật khẩu không đúng.');
    }
    const limited = await attempt(officer.password);
    assert.equal(limited.statusCode, 429);
    assert.match(limited.json().userMessage, /Đăng nhập sai quá nhiều lần/);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    t.clock.advance(16 * 60_000);
    assert.equal((await attempt(officer.password)).statusCode, 200);
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select('action')
      .where('target_id', '=', String(officer.id))
      .execute();
    assert.equal(audit.filter((a) => a.action === 'auth.login_failed').length, 3);
  });

  it('rejects requests without a session, and tampered cookies', async () => {
    assert.equal((await t.server.inject({ url: '/api/dossiers' })).statusCode, 401);
    const cookie = await loginCookie(t.server, deskA.username, deskA.password);
    const tampered = cookie.replace(/^motcua_session=(\d+)/, 'motcua_session=999');
    assert.equal(
      (await t.server.inject({ url: '/api/auth/me', headers: { cookie: tampered } })).statusCode,
      401,
    );
  });

  it('never shows agency B a dossier of agency A, by code, list or search', async () => {
    const cookieB = await loginCookie(t.server, deskB.username, deskB.password);
    const direct = await t.server.inject({ url: `/api/dossiers/${codeA}`, headers: { cookie: cookieB } });
    assert.equal(direct.statusCode, 404);
    const pdf = await t.server.inject({
      url: `/api/dossiers/${codeA}/receipt.pdf`,
      headers: { cookie: cookieB },
    });
    assert.equal(pdf.statusCode, 404);
    const move = await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${codeA}/transitions`,
      headers: { cookie: cookieB },
      payload: { to: 4 },
    });
    assert.equal(move.statusCode, 404);
    const list = await t.server.inject({
      url: `/api/dossiers?q=${encodeURIComponent(codeA)}`,
      headers: { cookie: cookieB },
    });
    assert.equal(list.json().total, 0);
    const keyB = await buildApiKey(t.app, agencyB.id);
    const viaApi = await t.server.inject({
      url: `/api/v1/dossiers/${codeA}`,
      headers: { authorization: keyB.authorization },
    });
    assert.equal(viaApi.statusCode, 404);
    const cookieA = await loginCookie(t.server, deskA.username, deskA.password);
    const own = await t.server.inject({ url: `/api/dossiers/${codeA}`, headers: { cookie: cookieA } });
    assert.equal(own.statusCode, 200);
  });

  it('ends other sessions when the password changes', async () => {
    const officer = await buildOfficer(t.app, agencyA.id);
    const old = await loginCookie(t.server, officer.username, officer.password);
    const weak = await t.server.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: old },
      payload: { currentPassword: officer.password, newPassword: 'ngan' },
    });
    assert.equal(weak.statusCode, 400);
    const changed = await t.server.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: old },
      payload: { currentPassword: officer.password, newPassword: 'Hoa-Sen-Nở-2026' },
    });
    assert.equal(changed.statusCode, 204);
    const fresh = changed.cookies.find((c) => c.name === 'motcua_session')!;
    assert.equal((await t.server.inject({ url: '/api/auth/me', headers: { cookie: old } })).statusCode, 401);
    assert.equal(
      (await t.server.inject({ url: '/api/auth/me', headers: { cookie: `motcua_session=${fresh.value}` } }))
        .statusCode,
      200,
    );
  });

  it('stops accepting a revoked API key', async () => {
    const key = await buildApiKey(t.app, agencyA.id);
    assert.equal(
      (await t.server.inject({ url: '/api/v1/procedures', headers: { authorization: key.authorization } }))
        .statusCode,
      200,
    );
    // Revoked by another node (or the CLI): this node's copy of the key lasts a few seconds at most.
    await t.app.db.updateTable('api_key').set({ revoked_at: new Date() }).where('id', '=', key.id).execute();
    const call = async () =>
      (await t.server.inject({ url: '/api/v1/procedures', headers: { authorization: key.authorization } }))
        .statusCode;
    assert.equal(await call(), 200, 'remembered for a few seconds');
    t.clock.advance(5000);
    assert.equal(await call(), 401);
  });

  it('stops accepting a key at once on the node that revoked it', async () => {
    const key = await buildApiKey(t.app, agencyA.id);
    const call = async () =>
      (await t.server.inject({ url: '/api/v1/procedures', headers: { authorization: key.authorization } }))
        .statusCode;
    assert.equal(await call(), 200);
    const admin = await buildOfficer(t.app, agencyA.id, 'admin', 'Quản trị A');
    const revoked = await t.server.inject({
      method: 'DELETE',
      url: `/api/api-keys/${key.id}`,
      headers: { cookie: await loginCookie(t.server, admin.username, admin.password) },
    });
    assert.equal(revoked.statusCode, 204);
    assert.equal(await call(), 401);
  });
});

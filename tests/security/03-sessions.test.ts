import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildOfficer } from '../../src/test-support/factories.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/**
 * Item 3: logout used to clear only the browser's cookie; a copy of it kept working for the rest of its 12 hours.
 * Sessions are now rows on the server, checked on every request.
 */
describe('attack: replaying a copied session cookie', () => {
  let t: LiveServer;
  let agencyId: number;

  before(async () => {
    t = await startLiveServer();
    agencyId = (await deskFixture(t)).agency.id;
  });
  after(() => t.close());

  const me = (cookie: string) => request(t.port, '/api/auth/me', { headers: { cookie } });

  it('refuses a cookie copied before logout', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const cookie = await liveLogin(t.port, officer.username, officer.password);
    assert.equal((await me(cookie)).status, 200);
    const logout = await request(t.port, '/api/auth/logout', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(logout.status, 204);
    assert.equal((await me(cookie)).status, 401, 'the copied cookie no longer works');
  });

  it('ends one session on logout and leaves the officer’s other devices signed in', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const laptop = await liveLogin(t.port, officer.username, officer.password);
    const desk = await liveLogin(t.port, officer.username, officer.password);
    await request(t.port, '/api/auth/logout', { method: 'POST', headers: { cookie: laptop } });
    assert.equal((await me(laptop)).status, 401);
    assert.equal((await me(desk)).status, 200);
  });

  it('signs out everywhere, this session included, and audits it', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const a = await liveLogin(t.port, officer.username, officer.password);
    const b = await liveLogin(t.port, officer.username, officer.password);
    const res = await request(t.port, '/api/auth/logout-everywhere', {
      method: 'POST',
      headers: { cookie: a, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 204, res.body);
    assert.equal((await me(a)).status, 401);
    assert.equal((await me(b)).status, 401);
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'auth.logout_everywhere')
      .where('target_id', '=', String(officer.id))
      .execute();
    assert.equal(audit.length, 1);
    assert.equal((await liveLogin(t.port, officer.username, officer.password)).length > 0, true);
  });

  it('ends the other sessions on a password change and when an administrator disables the account', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const admin = await buildOfficer(t.app, agencyId, 'admin');
    const stolen = await liveLogin(t.port, officer.username, officer.password);
    const own = await liveLogin(t.port, officer.username, officer.password);
    const changed = await request(t.port, '/api/auth/password', {
      headers: { cookie: own },
      body: { currentPassword: officer.password, newPassword: 'Hoa-Sen-Nở-2026' },
    });
    assert.equal(changed.status, 204, changed.body);
    const fresh = [changed.headers['set-cookie'] ?? []].flat()[0]!.split(';')[0]!;
    assert.equal((await me(stolen)).status, 401);
    assert.equal((await me(fresh)).status, 200);
    const adminCookie = await liveLogin(t.port, admin.username, admin.password);
    const disabled = await request(t.port, `/api/users/${officer.id}`, {
      method: 'PATCH',
      headers: { cookie: adminCookie },
      body: { disabled: true },
    });
    assert.equal(disabled.status, 200, disabled.body);
    assert.equal((await me(fresh)).status, 401);
  });

  it('forgets expired sessions: a cookie is refused once its session is past its end', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const cookie = await liveLogin(t.port, officer.username, officer.password);
    t.clock.advance(13 * 3600_000);
    try {
      assert.equal((await me(cookie)).status, 401);
    } finally {
      t.clock.advance(-13 * 3600_000);
    }
  });
});

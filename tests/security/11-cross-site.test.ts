import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildOfficer } from '../../src/test-support/factories.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/**
 * Item 11: state changes authenticated by the cookie relied on SameSite alone, and routes without a body took a
 * cross-site `text/plain` POST (what any page can send without asking). Now the browser's Sec-Fetch-Site or
 * Origin must name this site, and bodies must be JSON.
 */
describe('attack: cross-site requests riding on the officer’s cookie', () => {
  let t: LiveServer;
  let agencyId: number;

  before(async () => {
    t = await startLiveServer();
    agencyId = (await deskFixture(t)).agency.id;
  });
  after(() => t.close());

  const me = (cookie: string) => request(t.port, '/api/auth/me', { headers: { cookie } });

  it('refuses a state change that a browser marks cross-site, or from another origin', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const cookie = await liveLogin(t.port, officer.username, officer.password);
    const crossSite = await request(t.port, '/api/auth/logout-everywhere', {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(crossSite.status, 403, crossSite.body);
    assert.equal(crossSite.json<{ error: string }>().error, 'cross_site_request');
    const otherOrigin = await request(t.port, '/api/auth/logout-everywhere', {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(otherOrigin.status, 403, otherOrigin.body);
    assert.equal((await me(cookie)).status, 200, 'the session survived');
  });

  it('refuses text/plain and form bodies on cookie-authenticated state changes', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const cookie = await liveLogin(t.port, officer.username, officer.password);
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await request(t.port, '/api/auth/logout-everywhere', {
        method: 'POST',
        headers: { cookie, 'content-type': type },
        body: 'x',
      });
      assert.equal(res.status, 415, `${type}: ${res.body}`);
    }
    assert.equal((await me(cookie)).status, 200, 'the session survived');
  });

  it('accepts our own pages’ requests', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const cookie = await liveLogin(t.port, officer.username, officer.password);
    const own = await request(t.port, '/api/auth/logout-everywhere', {
      method: 'POST',
      headers: {
        cookie,
        'sec-fetch-site': 'same-origin',
        origin: 'https://motcua.test',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    assert.equal(own.status, 204, own.body);
  });
});

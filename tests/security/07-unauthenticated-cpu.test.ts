import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PNG } from 'pngjs';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/**
 * Item 7: work anyone can make the server do. The desk poster was drawn anew for every request (60 a second
 * slowed officers' pages to 0.5 s), and a login with a random username cost an argon2 hash and an audit row.
 */
describe('attack: making the server burn CPU without an account', () => {
  let t: LiveServer;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;

  before(async () => {
    t = await startLiveServer({ LOGIN_MAX_FAILURES_PER_IP: '10' });
    fixture = await deskFixture(t);
  });
  after(() => t.close());

  const poster = (headers: Record<string, string> = {}) =>
    request(t.port, '/qrcode/tra-cuu-zalo.pdf', { headers });

  it('draws the desk poster once per change, not once per request', async () => {
    const first = await poster();
    assert.equal(first.status, 200);
    // A drawing carries its creation time to the second: a poster drawn again later differs from the first.
    await sleep(1100);
    const burst = await Promise.all(Array.from({ length: 20 }, () => poster()));
    for (const res of burst) {
      assert.equal(res.status, 200);
      assert.equal(res.body, first.body, 'the same drawing is served');
    }
    const etag = String(first.headers.etag);
    assert.equal((await poster({ 'if-none-match': etag })).status, 304);
    // A new OA QR changes the poster.
    const cookie = await liveLogin(t.port, fixture.admin.username, fixture.admin.password);
    const png = new PNG({ width: 64, height: 64 });
    png.data.fill(0xff);
    const uploaded = await request(t.port, '/api/zalo/oa-qr', {
      method: 'PUT',
      headers: { cookie, 'content-type': 'image/png' },
      body: PNG.sync.write(png),
    });
    assert.equal(uploaded.status, 204, uploaded.body);
    const changed = await poster({ 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.body, first.body);
  });

  it('refuses logins from an address past its failures before hashing or auditing them', async () => {
    const answers = [];
    for (let i = 0; i < 25; i++) {
      answers.push(
        await request(t.port, '/api/auth/login', {
          body: { username: `khong-co-${randomBytes(4).toString('hex')}`, password: 'sai-mat-khau-1' },
          localAddress: '127.0.0.9',
        }),
      );
    }
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 401).length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 15);
    const audited = await t.app.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'auth.login_failed')
      .where('ip', '=', '127.0.0.9')
      .execute();
    assert.equal(audited.length, 10);
    // Officers elsewhere still sign in.
    assert.ok(await liveLogin(t.port, fixture.desk.username, fixture.desk.password));
  });

  it('answers a flood of logins from one address in memory, before the database', async () => {
    const flood = await startLiveServer({ LOGIN_PER_MINUTE_PER_IP: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await request(flood.port, '/api/auth/login', {
          body: { username: `khong-co-${i}`, password: 'sai-mat-khau-1' },
        });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
      const hits = await flood.app.db
        .selectFrom('rate_limit_hit')
        .select('hits')
        .where('key', '=', 'login-ip:127.0.0.1')
        .executeTakeFirst();
      assert.equal(hits?.hits, 5, 'the refused requests never reached PostgreSQL');
    } finally {
      await flood.close();
    }
  });
});

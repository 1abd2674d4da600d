import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/**
 * Item 10: headers. No HSTS although PUBLIC_BASE_URL is https; `/index.html` (served as a file) without the
 * app's CSP; the sandbox pages without any CSP; the API's map at /docs public in production.
 */
describe('attack surface: security headers', () => {
  let t: LiveServer;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;

  before(async () => {
    // The test app's PUBLIC_BASE_URL is https://motcua.test.
    t = await startLiveServer();
    fixture = await deskFixture(t);
  });
  after(() => t.close());

  it('sends HSTS and the app CSP everywhere, /index.html included', async () => {
    for (const path of ['/index.html', '/', '/ho-so', '/api/auth/me', '/healthz']) {
      const res = await request(t.port, path);
      assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/, path);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self'/, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
    }
    const index = await request(t.port, '/index.html');
    assert.equal(index.status, 200);
    assert.match(String(index.headers['content-security-policy']), /frame-ancestors 'none'/);
  });

  it('gives the sandbox pages a CSP that allows their own inline script and nothing else', async () => {
    const cookie = await liveLogin(t.port, fixture.admin.username, fixture.admin.password);
    for (const path of ['/sandbox/phone', '/sandbox/admin']) {
      const res = await request(t.port, path, { headers: { cookie } });
      assert.equal(res.status, 200, path);
      const csp = String(res.headers['content-security-policy']);
      const script = /<script\b[^>]*>([\s\S]*?)<\/script>/.exec(res.body)?.[1] ?? '';
      const hash = createHash('sha256').update(script).digest('base64');
      assert.ok(csp.includes(`'sha256-${hash}'`), `${path}: ${csp}`);
      assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    }
  });

  it('sends no HSTS over plain http', async () => {
    const plain = await startLiveServer({ PUBLIC_BASE_URL: 'http://localhost:3000' });
    try {
      assert.equal((await request(plain.port, '/healthz')).headers['strict-transport-security'], undefined);
    } finally {
      await plain.close();
    }
  });

  it('serves /docs only where it is asked for: not in production by default', async () => {
    assert.equal((await request(t.port, '/docs')).status < 400, true);
    const secret = () => randomBytes(32).toString('base64');
    const production = await startLiveServer({
      NODE_ENV: 'production',
      DEMO_DATA: '0',
      SESSION_SECRET: secret(),
      LOOKUP_LINK_SECRET: secret(),
      ENCRYPTION_KEY: secret(),
      ZALO_APP_ID: '1',
      ZALO_APP_SECRET: secret(),
      ZALO_OA_ID: '2',
      ZALO_OA_SECRET_KEY: secret(),
    });
    try {
      assert.equal((await request(production.port, '/docs')).status, 404);
      assert.equal((await request(production.port, '/docs/json')).status, 404);
    } finally {
      await production.close();
    }
    const off = await startLiveServer({ API_DOCS: '0' });
    try {
      assert.equal((await request(off.port, '/docs')).status, 404);
    } finally {
      await off.close();
    }
  });
});
